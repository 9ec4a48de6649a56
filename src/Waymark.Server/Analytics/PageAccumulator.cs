using Waymark.Core.Analytics;
using Waymark.Core.Events;
using Waymark.Server.Store;

namespace Waymark.Server.Analytics;

/// <summary>Page and screen figures: visits by <see cref="PageMetrics"/>, load times of the views, web vitals per page and device.</summary>
internal sealed class PageAccumulator
{
    private readonly List<SessionPages> _sessions = [];
    private readonly Dictionary<string, List<double>> _loads = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Page, VitalMetric Metric, string Device), List<double>> _vitals = [];

    /// <summary>Mobile and tablet apart from desktop, as definitions.md reports vitals.</summary>
    public static string DeviceGroup(string deviceClass) => deviceClass is "mobile" or "tablet" ? "mobile" : "desktop";

    /// <summary>The page or screen a view names, as the session aggregator names entry and exit pages.</summary>
    public static string PageOf(EventRecord view) => view.Name ?? view.Url ?? "";

    public void Add(SessionWithEvents s)
    {
        var events = new List<PageEvent>(s.Events.Count);
        string? page = null;
        var device = DeviceGroup(s.Session.DeviceClass);
        foreach (var stored in s.Events)
        {
            var e = stored.Event;
            switch (e.Type)
            {
                case EventType.View:
                    page = PageOf(e);
                    events.Add(new PageEvent(e.Timestamp, PageEventKind.View, page));
                    if (e.Duration is { } d && d >= 0)
                    {
                        List(_loads, page).Add(d);
                    }
                    break;
                case EventType.Action:
                    events.Add(new PageEvent(e.Timestamp, PageEventKind.Action));
                    break;
                case EventType.Error:
                    events.Add(new PageEvent(e.Timestamp, PageEventKind.Error));
                    break;
                case EventType.Vital when page is not null && e.Value is { } v && WebVitals.TryParse(e.Name, out var metric):
                    if (!_vitals.TryGetValue((page, metric, device), out var values))
                    {
                        _vitals[(page, metric, device)] = values = [];
                    }
                    values.Add(v);
                    break;
                default:
                    events.Add(new PageEvent(e.Timestamp, PageEventKind.Other));
                    break;
            }
        }
        var pages = PageMetrics.Analyze(events);
        if (pages.Visits.Count > 0)
        {
            _sessions.Add(pages);
        }
    }

    public IReadOnlyList<PageRow> Rows(VitalThresholds thresholds)
    {
        var vitals = _vitals
            .Select(kv => (kv.Key.Page, Summary: WebVitals.Summarize(kv.Key.Metric, kv.Value, thresholds), kv.Key.Device))
            .Where(v => v.Summary is not null)
            .ToLookup(v => v.Page, v => new VitalRow(v.Summary!.Metric.ToString().ToUpperInvariant(), v.Device, v.Summary.Count, v.Summary.P75,
                Rating(v.Summary.Rating), v.Summary.GoodShare, v.Summary.NeedsImprovementShare, v.Summary.PoorShare), StringComparer.Ordinal);
        return [.. PageMetrics.Aggregate(_sessions).Select(p =>
        {
            var loads = _loads.TryGetValue(p.Page, out var l) ? Percentiles.Summarize(l) : null;
            return new PageRow(p.Page, p.Views, loads?.P50, loads?.P75, loads?.P95, p.Entrances, p.Bounces,
                p.Entrances == 0 ? 0 : (double)p.Bounces / p.Entrances, p.Exits, p.Views == 0 ? 0 : (double)p.Exits / p.Views,
                p.MeanTimeOnPage.TotalSeconds, p.MedianTimeOnPage.TotalSeconds, p.Errors, p.Views == 0 ? 0 : (double)p.Errors / p.Views,
                [.. vitals[p.Page].OrderBy(v => v.Metric, StringComparer.Ordinal).ThenBy(v => v.Device, StringComparer.Ordinal)]);
        })];
    }

    public static string Rating(VitalRating r) => r switch
    {
        VitalRating.Good => "good",
        VitalRating.NeedsImprovement => "needs-improvement",
        _ => "poor",
    };

    private static List<double> List(Dictionary<string, List<double>> d, string key)
    {
        if (!d.TryGetValue(key, out var l))
        {
            d[key] = l = [];
        }
        return l;
    }
}
