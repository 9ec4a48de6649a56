using Waymark.Core.Attribution;
using Waymark.Core.Events;
using Waymark.Core.Funnels;
using Waymark.Core.JourneyMaps;
using Waymark.Server.Http;
using Waymark.Server.Store;

namespace Waymark.Server.Funnels;

public sealed record CreditRowDto(string Label, IReadOnlyDictionary<string, double> Conversions, IReadOnlyDictionary<string, double> Value, double RemovalEffect);

public sealed record AttributionDto(string App, string By, DateTimeOffset From, DateTimeOffset To, double LookbackDays, int Customers, int Conversions, double Value,
    double MarkovConversionProbability, IReadOnlyList<string> Models, IReadOnlyList<CreditRowDto> Rows);

/// <summary>
/// /v1/attribution: the conversions of customers (identity links joined, as
/// customer funnels are) credited to channels, to the touchpoints of a journey
/// map or to the departments that own them, by every model side by side:
/// first touch, last touch, linear, position-based, time decay and the Markov
/// removal effect, computed exactly (definitions.md, "Attribution").
/// </summary>
public static class AttributionEndpoints
{
    private static readonly string[] s_models = ["first", "last", "linear", "position", "decay", "markov"];

    public static IEndpointRouteBuilder MapAttribution(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1").WithTags("Attribution").MapGet("/attribution", GetAsync).WithName("Attribution")
            .WithSummary("Conversions credited by=channel (each session a touch), by=touchpoint or by=department (each event of a journey map's touchpoint a touch; map=, default book-a-holiday) under six models side by side; lookback (default 30d), goal (the conversion's name), halfLife for time decay.");
        return app;
    }

    private static async Task<IResult> GetAsync(string? app, DateTimeOffset? from, DateTimeOffset? to, string? by, string? map, string? lookback, string? halfLife, string? goal,
        ISessionEvents events, IJourneyMaps maps, TimeProvider clock, CancellationToken ct)
    {
        var errors = new List<string>();
        if (string.IsNullOrEmpty(app))
        {
            errors.Add("app: required");
        }
        var mode = (by ?? "channel").ToLowerInvariant();
        if (mode is not ("channel" or "touchpoint" or "department"))
        {
            errors.Add("by: one of channel, touchpoint, department");
        }
        var options = new AttributionOptions
        {
            Lookback = FunnelRequests.Duration(lookback, "lookback", errors) ?? TimeSpan.FromDays(30),
            HalfLife = FunnelRequests.Duration(halfLife, "halfLife", errors) ?? TimeSpan.FromDays(7),
        };
        if (errors.Count > 0)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid query", string.Join("; ", errors));
        }
        JourneyMap? journey = null;
        if (mode != "channel")
        {
            journey = await JourneyMapEndpoints.LoadAsync(maps, app!, map ?? JourneyMapEndpoints.DemoId, null, clock, ct);
            if (journey is null)
            {
                return Problems.Create(StatusCodes.Status404NotFound, "No such journey map", $"No map '{map}' in app '{app}'.");
            }
        }
        var (f, t) = FunnelEndpoints.Range(from, to, clock);
        var set = await FunnelCases.LoadAsync(events, app!, f, t, CaseKind.Customer, null, ct);
        var matchers = journey?.Touchpoints.Select(tp => (Label: mode == "department" ? tp.Department ?? "(no department)" : tp.Name, Matcher: tp.ToStepMatcher())).ToList();
        var conversions = new List<ConversionJourney>();
        var paths = new List<MarkovPath>();
        foreach (var c in set.Cases)
        {
            var touches = new List<Touch>();
            if (matchers is null)
            {
                touches.AddRange(set.Sessions[c.Id].Select(s => new Touch(s.Source.Session.Channel, s.Source.Session.Start)));
            }
            else
            {
                foreach (var e in c.Events)
                {
                    if (matchers.FirstOrDefault(m => m.Matcher.Matches(e)) is { Label: { } label })
                    {
                        touches.Add(new Touch(label, e.Timestamp));
                    }
                }
            }
            touches.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
            var stored = set.Stored[c.Id];
            var conv = stored.Where(s => s.Event.Type == EventType.Conversion && (goal is null || s.Event.Name == goal)).ToList();
            foreach (var cv in conv)
            {
                conversions.Add(new ConversionJourney(touches, cv.Event.Timestamp, cv.Event.Value ?? 0));
            }
            // Markov: one path per customer, up to the first conversion (within the lookback) or all touches.
            var end = conv.Count > 0 ? conv[0].Event.Timestamp : DateTimeOffset.MaxValue;
            var begin = conv.Count > 0 ? end - options.Lookback : DateTimeOffset.MinValue;
            var path = touches.Where(x => x.Timestamp <= end && x.Timestamp >= begin).Select(x => x.Channel).ToList();
            if (path.Count > 0)
            {
                paths.Add(new MarkovPath(path, conv.Count > 0 ? 1 : 0, conv.Count > 0 ? 0 : 1, conv.Count > 0 ? conv[0].Event.Value ?? 0 : 0));
            }
        }
        var heuristic = new (string Name, AttributionModel Model)[]
        {
            ("first", AttributionModel.FirstTouch), ("last", AttributionModel.LastTouch), ("linear", AttributionModel.Linear),
            ("position", AttributionModel.PositionBased), ("decay", AttributionModel.TimeDecay),
        }.ToDictionary(m => m.Name, m => HeuristicAttribution.Attribute(m.Model, conversions, options).ToDictionary(x => x.Channel, StringComparer.Ordinal));
        var markov = MarkovAttribution.Compute(paths);
        var labels = heuristic.Values.SelectMany(d => d.Keys).Concat(markov.Channels.Select(m => m.Channel)).Distinct(StringComparer.Ordinal).ToList();
        var rows = labels.Select(l =>
        {
            var n = new Dictionary<string, double>(StringComparer.Ordinal);
            var v = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (name, credits) in heuristic)
            {
                n[name] = credits.TryGetValue(l, out var cr) ? cr.Conversions : 0;
                v[name] = credits.TryGetValue(l, out cr) ? cr.Value : 0;
            }
            var mk = markov.Channels.FirstOrDefault(m => m.Channel == l);
            n["markov"] = mk?.Conversions ?? 0;
            v["markov"] = mk?.Value ?? 0;
            return new CreditRowDto(l, n, v, mk?.RemovalEffect ?? 0);
        }).OrderByDescending(r => r.Conversions["last"] + r.Conversions["markov"]).ThenBy(r => r.Label, StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new AttributionDto(app!, mode, f, t, options.Lookback.TotalDays, set.Cases.Count, conversions.Count, conversions.Sum(c => c.Value),
            markov.ConversionProbability, s_models, rows));
    }
}
