using Waymark.Core.Analytics;
using Waymark.Core.Events;
using Waymark.Core.Funnels;
using Waymark.Core.JourneyMaps;
using Waymark.Server.Http;
using Waymark.Server.Store;

namespace Waymark.Server.Funnels;

/// <param name="Sessions">Sessions with at least one event of the touchpoint.</param>
/// <param name="Visits">Events of the touchpoint in them.</param>
/// <param name="MedianTimeMs">Median time from the touchpoint's event to the session's next view or custom event (time on page), over visits that have one.</param>
/// <param name="ExpectedMs">The map's expected duration.</param>
/// <param name="TimeRatio">Median over expected.</param>
/// <param name="BounceRate">Share of sessions whose last view or custom event is this touchpoint's (they left here).</param>
/// <param name="ExitWithoutConversion">Share of sessions that reached no later stage of the map and did not convert.</param>
/// <param name="FrustratedShare">Share of sessions with a frustrated action (Apdex) or a frustration signal after the touchpoint.</param>
/// <param name="Errors">Errors between the touchpoint's event and the next view.</param>
/// <param name="SessionsWithErrors">Sessions with such an error.</param>
/// <param name="TopError">The most frequent of those errors.</param>
/// <param name="VisitsPerSession">Visits over sessions (above 1.5 on a touchpoint that is not repeatable is a loop).</param>
/// <param name="Stuck">True when customers get stuck here; <paramref name="Why"/> says why.</param>
public sealed record TouchpointOverlayDto(string Id, string Name, string Channel, string Stage, int Sessions, int Visits,
    double? MedianTimeMs, double? ExpectedMs, double? TimeRatio, double? BounceRate, double? ExitWithoutConversion, double? FrustratedShare,
    int Errors, int SessionsWithErrors, string? TopError, double? VisitsPerSession, bool Stuck, IReadOnlyList<string> Why);

public sealed record StageOverlayDto(string Name, int Sessions, bool Stuck, IReadOnlyList<TouchpointOverlayDto> Touchpoints);

public sealed record OverlayDto(string App, string Map, int Version, string Goal, DateTimeOffset From, DateTimeOffset To, int Sessions, IReadOnlyList<StageOverlayDto> Stages);

/// <summary>
/// The measured journeys laid over a map (docs/journey-maps.md, "Overlay"). A
/// touchpoint is flagged stuck when its median time is more than twice the
/// expected one, when customers loop on it (more than 1.5 visits a session on a
/// touchpoint not marked repeatable), or when at least 10 % of its sessions meet
/// an error there and at least a third of them go no further.
/// </summary>
public static class JourneyOverlay
{
    public const double SlowRatio = 2;
    public const double LoopVisits = 1.5;
    public const double ErrorShare = 0.10;
    public const double ExitShare = 1.0 / 3;

    internal static async Task<IResult> GetAsync(string id, string? app, int? version, DateTimeOffset? from, DateTimeOffset? to,
        IJourneyMaps maps, ISessionEvents events, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(app))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid query", "app: required");
        }
        var map = await JourneyMapEndpoints.LoadAsync(maps, app, id, version, clock, ct);
        if (map is null)
        {
            return Problems.Create(StatusCodes.Status404NotFound, "No such journey map", $"No map '{id}' in app '{app}'.");
        }
        var (f, t) = FunnelEndpoints.Range(from, to, clock);
        var set = await FunnelCases.LoadAsync(events, app, f, t, CaseKind.Session, null, ct);
        return TypedResults.Ok(Compute(map, app, f, t, set.Sessions.Values.Select(v => v[0]).ToList()));
    }

    public static OverlayDto Compute(JourneyMap map, string app, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<FunnelSession> sessions)
    {
        var touchpoints = map.Stages.SelectMany((s, si) => s.Touchpoints.Select(tp => (Stage: si, Touchpoint: tp, Matcher: tp.ToStepMatcher()))).ToList();
        var acc = touchpoints.Select(_ => new Acc()).ToArray();
        foreach (var s in sessions)
        {
            var ev = s.Events;
            // The furthest stage this session reached, for "went no further".
            var furthest = -1;
            var hits = new List<(int Tp, int Index)>();
            for (var i = 0; i < ev.Count; i++)
            {
                for (var k = 0; k < touchpoints.Count; k++)
                {
                    if (touchpoints[k].Matcher.Matches(ev[i]))
                    {
                        hits.Add((k, i));
                        furthest = Math.Max(furthest, touchpoints[k].Stage);
                    }
                }
            }
            var lastPathEvent = LastIndex(ev, e => e.Type is "view" or "custom" or "conversion");
            var converted = s.Source.Session.Converted;
            foreach (var group in hits.GroupBy(h => h.Tp))
            {
                var a = acc[group.Key];
                a.Sessions++;
                var bounced = false;
                var error = false;
                var frustrated = false;
                foreach (var (_, i) in group)
                {
                    a.Visits++;
                    var next = NextIndex(ev, i, e => e.Type is "view" or "custom" or "conversion");
                    if (next >= 0)
                    {
                        a.Times.Add((ev[next].Timestamp - ev[i].Timestamp).TotalMilliseconds);
                    }
                    bounced |= i == lastPathEvent;
                    for (var j = i + 1; j < (next < 0 ? ev.Count : next); j++)
                    {
                        var stored = s.Stored[j].Event;
                        if (stored.Type == EventType.Error)
                        {
                            a.Errors++;
                            error = true;
                            var key = stored.Message ?? "error";
                            a.ErrorCounts[key] = a.ErrorCounts.GetValueOrDefault(key) + 1;
                        }
                        frustrated |= stored.Frustration is not null;
                    }
                }
                a.Bounced += bounced ? 1 : 0;
                a.WithErrors += error ? 1 : 0;
                a.Frustrated += frustrated || s.Source.Session.FrustratedActions > 0 ? 1 : 0;
                a.NoFurther += furthest <= touchpoints[group.Key].Stage && !converted ? 1 : 0;
            }
        }
        var stages = new List<StageOverlayDto>();
        for (var si = 0; si < map.Stages.Count; si++)
        {
            var list = new List<TouchpointOverlayDto>();
            for (var k = 0; k < touchpoints.Count; k++)
            {
                if (touchpoints[k].Stage == si)
                {
                    list.Add(Dto(map.Stages[si].Name, touchpoints[k].Touchpoint, acc[k]));
                }
            }
            stages.Add(new StageOverlayDto(map.Stages[si].Name, list.Sum(x => x.Sessions), list.Any(x => x.Stuck), list));
        }
        return new OverlayDto(app, map.Id, map.Version, map.Goal, from, to, sessions.Count, stages);
    }

    private static TouchpointOverlayDto Dto(string stage, Touchpoint tp, Acc a)
    {
        double? Share(int n) => a.Sessions == 0 ? null : (double)n / a.Sessions;
        double? median = a.Times.Count == 0 ? null : Percentiles.Of(a.Times, 0.5);
        var expected = tp.ExpectedDuration?.TotalMilliseconds;
        var ratio = median is { } m && expected is { } x ? m / x : (double?)null;
        var perSession = a.Sessions == 0 ? (double?)null : (double)a.Visits / a.Sessions;
        var why = new List<string>();
        if (ratio > SlowRatio)
        {
            why.Add($"time there {ratio:0.0}× the expected {DurationText.Format(tp.ExpectedDuration!.Value)}");
        }
        if (!tp.Repeatable && perSession > LoopVisits)
        {
            why.Add($"loops: {perSession:0.0} visits a session");
        }
        if (Share(a.WithErrors) >= ErrorShare && Share(a.NoFurther) >= ExitShare)
        {
            why.Add($"{Share(a.WithErrors):P0} meet an error here and {Share(a.NoFurther):P0} go no further");
        }
        var top = a.ErrorCounts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key).FirstOrDefault();
        return new TouchpointOverlayDto(tp.Id, tp.Name, tp.Channel, stage, a.Sessions, a.Visits, median, expected, ratio, Share(a.Bounced), Share(a.NoFurther),
            Share(a.Frustrated), a.Errors, a.WithErrors, top, perSession, why.Count > 0, why);
    }

    private static int NextIndex(IReadOnlyList<FunnelEvent> ev, int i, Func<FunnelEvent, bool> p)
    {
        for (var j = i + 1; j < ev.Count; j++)
        {
            if (p(ev[j]))
            {
                return j;
            }
        }
        return -1;
    }

    private static int LastIndex(IReadOnlyList<FunnelEvent> ev, Func<FunnelEvent, bool> p)
    {
        for (var j = ev.Count - 1; j >= 0; j--)
        {
            if (p(ev[j]))
            {
                return j;
            }
        }
        return -1;
    }

    private sealed class Acc
    {
        public int Sessions;
        public int Visits;
        public int Bounced;
        public int WithErrors;
        public int Errors;
        public int Frustrated;
        public int NoFurther;
        public List<double> Times { get; } = [];
        public Dictionary<string, int> ErrorCounts { get; } = new(StringComparer.Ordinal);
    }
}
