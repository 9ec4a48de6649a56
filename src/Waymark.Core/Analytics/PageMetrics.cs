namespace Waymark.Core.Analytics;

/// <summary>What kind of event a page metric sees.</summary>
public enum PageEventKind : byte
{
    /// <summary>A page or screen view: starts a page visit.</summary>
    View = 1,
    /// <summary>A user action (click, tap, submit): ends a bounce.</summary>
    Action = 2,
    /// <summary>An error on the page.</summary>
    Error = 3,
    /// <summary>Anything else (requests, vitals, custom events): only extends the time on the last page.</summary>
    Other = 4,
}

/// <summary>One event of a session as page metrics need it; the server fills it from its store.</summary>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Page">For a view, the page or screen name; ignored otherwise.</param>
public readonly record struct PageEvent(DateTimeOffset Timestamp, PageEventKind Kind, string? Page = null);

/// <summary>One page view and what happened on it until the next view.</summary>
/// <param name="Page">The page or screen name.</param>
/// <param name="Start">When the page was viewed.</param>
/// <param name="TimeOnPage">Until the next view; for the last page, until the last event on it (zero if none).</param>
/// <param name="Actions">User actions on it.</param>
/// <param name="Errors">Errors on it.</param>
/// <param name="IsExit">True for the session's last page view.</param>
public sealed record PageVisit(string Page, DateTimeOffset Start, TimeSpan TimeOnPage, int Actions, int Errors, bool IsExit);

/// <summary>The page visits of one session.</summary>
/// <param name="Visits">In order.</param>
/// <param name="Bounced">A single page view and no user action after it (definitions.md, "Web metrics").</param>
public sealed record SessionPages(IReadOnlyList<PageVisit> Visits, bool Bounced)
{
    /// <summary>The first page, or null for a session without a view.</summary>
    public string? EntryPage => Visits.Count == 0 ? null : Visits[0].Page;
    /// <summary>The last page, or null for a session without a view.</summary>
    public string? ExitPage => Visits.Count == 0 ? null : Visits[^1].Page;
}

/// <summary>One page's figures over many sessions.</summary>
/// <param name="Page">The page or screen.</param>
/// <param name="Views">Page views.</param>
/// <param name="Entrances">Sessions that started on it.</param>
/// <param name="Bounces">Sessions that started on it and bounced.</param>
/// <param name="Exits">Sessions that ended on it.</param>
/// <param name="Errors">Errors on its views.</param>
/// <param name="MeanTimeOnPage">The mean time on page over its views.</param>
/// <param name="MedianTimeOnPage">The median (quantile_cont interpolation).</param>
public sealed record PageStats(string Page, int Views, int Entrances, int Bounces, int Exits, int Errors, TimeSpan MeanTimeOnPage, TimeSpan MedianTimeOnPage)
{
    /// <summary>Exits / views: of the views of this page, the share that were the session's last.</summary>
    public double ExitRate => Views == 0 ? 0 : (double)Exits / Views;
    /// <summary>Bounces / entrances.</summary>
    public double BounceRate => Entrances == 0 ? 0 : (double)Bounces / Entrances;
    /// <summary>Errors / views.</summary>
    public double ErrorsPerView => Views == 0 ? 0 : (double)Errors / Views;
}

/// <summary>Time on page, bounce, exit page and errors per view (definitions.md, "Web metrics").</summary>
public static class PageMetrics
{
    /// <summary>
    /// The page visits of one session from its events in time order (events with
    /// the same time keep the order given). Events before the first view belong
    /// to no page and are ignored.
    /// </summary>
    public static SessionPages Analyze(IReadOnlyList<PageEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var ordered = InTimeOrder(events);
        var visits = new List<PageVisit>();
        var open = -1;
        int actions = 0, errors = 0;
        var lastOnPage = default(DateTimeOffset);
        var actionAfterFirstView = false;
        for (var i = 0; i < ordered.Count; i++)
        {
            var e = ordered[i];
            if (e.Kind == PageEventKind.View)
            {
                if (open >= 0)
                {
                    visits.Add(Visit(ordered[open], e.Timestamp, actions, errors, isExit: false));
                }
                open = i;
                actions = errors = 0;
                lastOnPage = e.Timestamp;
                continue;
            }
            if (open < 0)
            {
                continue;
            }
            lastOnPage = e.Timestamp;
            if (e.Kind == PageEventKind.Action)
            {
                actions++;
                actionAfterFirstView = true;
            }
            else if (e.Kind == PageEventKind.Error)
            {
                errors++;
            }
        }
        if (open >= 0)
        {
            visits.Add(Visit(ordered[open], lastOnPage, actions, errors, isExit: true));
        }
        return new SessionPages(visits, Bounced: visits.Count == 1 && !actionAfterFirstView);
    }

    /// <summary>Per-page figures over sessions, busiest page first (then by name).</summary>
    public static IReadOnlyList<PageStats> Aggregate(IEnumerable<SessionPages> sessions)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        var pages = new Dictionary<string, Accumulator>(StringComparer.Ordinal);
        foreach (var session in sessions)
        {
            for (var i = 0; i < session.Visits.Count; i++)
            {
                var v = session.Visits[i];
                if (!pages.TryGetValue(v.Page, out var a))
                {
                    pages[v.Page] = a = new Accumulator();
                }
                a.Times.Add(v.TimeOnPage.TotalMilliseconds);
                a.Errors += v.Errors;
                if (i == 0)
                {
                    a.Entrances++;
                    if (session.Bounced)
                    {
                        a.Bounces++;
                    }
                }
                if (v.IsExit)
                {
                    a.Exits++;
                }
            }
        }
        return pages
            .Select(p => new PageStats(
                p.Key,
                p.Value.Times.Count,
                p.Value.Entrances,
                p.Value.Bounces,
                p.Value.Exits,
                p.Value.Errors,
                TimeSpan.FromMilliseconds(p.Value.Times.Average()),
                TimeSpan.FromMilliseconds(Percentiles.Of(p.Value.Times, 0.5))))
            .OrderByDescending(p => p.Views)
            .ThenBy(p => p.Page, StringComparer.Ordinal)
            .ToList();
    }

    private static PageVisit Visit(PageEvent view, DateTimeOffset end, int actions, int errors, bool isExit) =>
        new(view.Page ?? "", view.Timestamp, end - view.Timestamp, actions, errors, isExit);

    private static IReadOnlyList<PageEvent> InTimeOrder(IReadOnlyList<PageEvent> events)
    {
        for (var i = 1; i < events.Count; i++)
        {
            if (events[i].Timestamp < events[i - 1].Timestamp)
            {
                // LINQ's OrderBy is stable: events at the same instant keep their order.
                return events.OrderBy(e => e.Timestamp).ToList();
            }
        }
        return events;
    }

    private sealed class Accumulator
    {
        public List<double> Times { get; } = [];
        public int Entrances { get; set; }
        public int Bounces { get; set; }
        public int Exits { get; set; }
        public int Errors { get; set; }
    }
}
