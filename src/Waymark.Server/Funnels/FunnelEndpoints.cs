using Waymark.Server.Accounts;
using Waymark.Core.Funnels;
using Waymark.Core.JourneyMaps;
using Waymark.Server.Http;
using Waymark.Server.Store;

namespace Waymark.Server.Funnels;

public sealed record StepStatsDto(int Index, string Label, int Entered, int Performed, int Converted, int Dropped, double? ConversionRate,
    double? MedianToNextMs, double? P90ToNextMs, IReadOnlyList<string> DroppedCases);

public sealed record DropFeatureDto(string Feature, int DroppedWith, int Dropped, int WentOnWith, int WentOn, double OddsRatio, double Lower, double Upper,
    double DroppedShare, double WentOnShare, IReadOnlyList<string> Sessions);

public sealed record DropReasonsDto(int Step, string Label, IReadOnlyList<DropFeatureDto> Features);

public sealed record FunnelResponse(string App, string Over, int Cases, IReadOnlyList<StepStatsDto> Steps,
    IReadOnlyDictionary<string, IReadOnlyList<StepStatsDto>> BySegment, DropReasonsDto? Reasons,
    IReadOnlyDictionary<string, IReadOnlyList<string>> DroppedSessions);

public sealed record PathRequest(string? App, DateTimeOffset? From, DateTimeOffset? To, string? Over, MatcherDto? Anchor, int Before = 3, int After = 3, int Top = 8);

/// <summary>/v1/funnels and /v1/paths: computed in C# over <see cref="ISessionEvents"/>.</summary>
public static class FunnelEndpoints
{
    public static IEndpointRouteBuilder MapFunnels(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").WithTags("Funnels");
        v1.MapPost("/funnels", RunFunnelAsync).ReadsOnly().WithName("RunFunnel")
            .WithSummary("A funnel over sessions or customers (steps with any-of matchers, order strict/ordered/any, windows, exclusions, optional steps, a property held constant, built from a journey map when 'map' is given): per step entered, converted, dropped, median and p90 time to the next step, a breakdown, the dropped cases, and why they dropped (smoothed odds ratios).");
        v1.MapPost("/paths", PathsAsync).ReadsOnly().WithName("Paths")
            .WithSummary("What cases do before and after the first event matching 'anchor', as a Sankey graph with the given depth.");
        app.MapJourneyMaps();
        app.MapAttribution();
        return app;
    }

    internal static (DateTimeOffset From, DateTimeOffset To) Range(DateTimeOffset? from, DateTimeOffset? to, TimeProvider clock)
    {
        var t = to ?? clock.GetUtcNow();
        return (from ?? t.AddDays(-7), t);
    }

    internal static Func<SessionWithEvents, string?>? Segment(string? breakdown) => breakdown?.ToLowerInvariant() switch
    {
        null or "" => null,
        "channel" => s => s.Session.Channel,
        "device" => s => s.Session.DeviceClass,
        "browser" => s => s.Session.Browser,
        "os" => s => s.Session.Os,
        "country" => s => s.Session.Country,
        "locale" => s => s.Session.Locale,
        "appversion" => s => s.Session.AppVersion,
        "entrypage" => s => s.Session.EntryPage,
        "touchpoint" => s => s.Session.Touchpoint,
        _ => throw new ArgumentException("breakdown: one of channel, device, browser, os, country, locale, appVersion, entryPage, touchpoint"),
    };

    private static async Task<IResult> RunFunnelAsync(FunnelRequest body, ISessionEvents events, IJourneyMaps maps, TimeProvider clock, CancellationToken ct)
    {
        var errors = new List<string>();
        if (string.IsNullOrEmpty(body.App))
        {
            errors.Add("app: required");
        }
        var over = body.Over?.ToLowerInvariant() switch { null or "sessions" or "session" => CaseKind.Session, "customers" or "customer" => CaseKind.Customer, _ => (CaseKind?)null };
        if (over is null)
        {
            errors.Add("over: one of sessions, customers");
        }
        FunnelDefinition? def = null;
        if (body.Map is { } mapId && body.Steps is null)
        {
            var stored = errors.Count == 0 ? await JourneyMapEndpoints.LoadAsync(maps, body.App!, mapId, body.MapVersion, clock, ct) : null;
            if (stored is null)
            {
                errors.Add($"map: no journey map '{mapId}' in app '{body.App}'");
            }
            else
            {
                var (order, window, hold) = FunnelRequests.Shape(body, errors);
                def = stored.ToFunnel(order, window) with { HoldConstant = hold };
            }
        }
        else
        {
            def = FunnelRequests.Definition(body, errors);
        }
        Func<SessionWithEvents, string?>? segment = null;
        try
        {
            segment = Segment(body.Breakdown);
        }
        catch (ArgumentException ex)
        {
            errors.Add(ex.Message);
        }
        if (errors.Count > 0 || def is null)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid funnel", string.Join("; ", errors));
        }
        var (from, to) = Range(body.From, body.To, clock);
        var set = await FunnelCases.LoadAsync(events, body.App!, from, to, over!.Value, segment, ct);
        var results = Funnel.Evaluate(def, set.Cases);
        var report = Funnel.Aggregate(def, results, new FunnelReportOptions { MaxDroppedIds = Math.Clamp(body.MaxDropped, 0, 5000) });
        DropReasonsDto? reasons = null;
        if (body.Reasons && def.Steps.Count > 1)
        {
            var step = body.ReasonsStep ?? report.Steps.Take(def.Steps.Count - 1).OrderByDescending(s => s.Dropped).ThenBy(s => s.Index).First().Index;
            if (step < 0 || step >= def.Steps.Count - 1)
            {
                return Problems.Create(StatusCodes.Status400BadRequest, "Invalid funnel", $"reasonsStep: between 0 and {def.Steps.Count - 2}");
            }
            var (features, sessionOf) = DropFeatures.Of(set, results, step);
            var dropped = results.Where(r => r.FurthestStep == step).Select(r => r.CaseId).ToList();
            var found = DropReasons.Analyze(results, step, features, new DropReasonOptions { MinSupport = 3 });
            reasons = new DropReasonsDto(step, def.Steps[step].Label, [.. found.Select(f => new DropFeatureDto(
                f.Feature, f.DroppedWith, f.Dropped, f.WentOnWith, f.WentOn, f.OddsRatio, f.Lower, f.Upper, f.DroppedShare, f.WentOnShare,
                [.. dropped.Where(c => sessionOf.ContainsKey((c, f.Feature))).Take(20).Select(c => sessionOf[(c, f.Feature)])]))]);
        }
        // The dropped cases as sessions the console opens: a customer's last session.
        var droppedSessions = report.Steps.ToDictionary(s => s.Index.ToString(System.Globalization.CultureInfo.InvariantCulture),
            s => (IReadOnlyList<string>)[.. s.DroppedCaseIds.Select(c => set.Sessions[c][^1].Source.Session.SessionId)]);
        return TypedResults.Ok(new FunnelResponse(body.App!, over == CaseKind.Session ? "sessions" : "customers", results.Count(r => r.Entered),
            Dto(report.Steps), report.BySegment.ToDictionary(kv => kv.Key, kv => Dto(kv.Value)), reasons, droppedSessions));
    }

    private static IReadOnlyList<StepStatsDto> Dto(IReadOnlyList<FunnelStepStats> steps) =>
        [.. steps.Select(s => new StepStatsDto(s.Index, s.Label, s.Entered, s.Performed, s.Converted, s.Dropped,
            double.IsNaN(s.ConversionRate) ? null : s.ConversionRate, s.MedianToNext?.TotalMilliseconds, s.P90ToNext?.TotalMilliseconds, s.DroppedCaseIds))];

    private static async Task<IResult> PathsAsync(PathRequest body, ISessionEvents events, TimeProvider clock, CancellationToken ct)
    {
        var errors = new List<string>();
        if (string.IsNullOrEmpty(body.App))
        {
            errors.Add("app: required");
        }
        if (body.Anchor is null)
        {
            errors.Add("anchor: required (a matcher: page, screen, event, type, channel, properties)");
        }
        if (body.Before is < 0 or > 10 || body.After is < 0 or > 10)
        {
            errors.Add("before, after: between 0 and 10");
        }
        var anchor = body.Anchor is null ? null : FunnelRequests.Matcher(body.Anchor, "anchor", errors);
        var over = string.Equals(body.Over, "customers", StringComparison.OrdinalIgnoreCase) ? CaseKind.Customer : CaseKind.Session;
        if (errors.Count > 0)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid paths query", string.Join("; ", errors));
        }
        var (from, to) = Range(body.From, body.To, clock);
        var set = await FunnelCases.LoadAsync(events, body.App!, from, to, over, null, ct);
        var anchors = set.Cases.Select(c => new PathAnchor(c.Events, IndexOf(c.Events, anchor!))).Where(a => a.Index >= 0);
        var graph = Paths.Around(anchors, new PathOptions
        {
            StepsBefore = body.Before, StepsAfter = body.After, TopLabelsPerLevel = Math.Clamp(body.Top, 2, 30),
            // Views and custom events make the path; clicks, requests and errors would drown it.
            Label = e => e.Type is "view" or "custom" or "conversion" ? (e.Channel is null or "web" ? "" : e.Channel + ": ") + e.Name : null,
        });
        return TypedResults.Ok(graph);
    }

    private static int IndexOf(IReadOnlyList<FunnelEvent> events, StepMatcher m)
    {
        for (var i = 0; i < events.Count; i++)
        {
            if (m.Matches(events[i]))
            {
                return i;
            }
        }
        return -1;
    }
}
