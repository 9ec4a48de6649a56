using Waymark.Core.Events;
using Waymark.Core.Sessions;
using Waymark.Server.Store;
using Waymark.Server.Ingest;

namespace Waymark.Server.Console.Data;

/// <summary>One request of an action, placed on the action's waterfall.</summary>
public sealed record WaterfallRow(EventRecord Request, double OffsetMs, double DurationMs, string Host)
{
    public bool ThirdParty => Request.ThirdParty;
    public bool Failed => Request.Failed || Request.Status is 0 or >= 500;
}

/// <summary>A user action (or the load of a page) with what it caused.</summary>
public sealed class ActionStep(EventRecord e, bool pageLoad, ApdexClass rating)
{
    public EventRecord Event { get; } = e;
    public bool PageLoad { get; } = pageLoad;
    public ApdexClass Rating { get; set; } = rating;
    public List<EventRecord> Errors { get; } = [];
    public List<WaterfallRow> Requests { get; } = [];
    public List<EventRecord> Other { get; } = [];

    /// <summary>The waterfall's width: the action and its last request's end.</summary>
    public double SpanMs { get; set; }

    public bool Broken => Errors.Count > 0 || Event.Failed || Event.Frustration?.Contains("error", StringComparison.Ordinal) == true;
}

/// <summary>A page (or screen) and everything that happened on it, in order.</summary>
public sealed class PageStep(EventRecord? view, string name, DateTimeOffset start)
{
    public EventRecord? View { get; } = view;
    public string Name { get; } = name;
    public DateTimeOffset Start { get; } = start;
    public TimeSpan? TimeOnPage { get; set; }
    public List<ActionStep> Actions { get; } = [];
    public List<EventRecord> Vitals { get; } = [];
    /// <summary>Errors that name no action of the session.</summary>
    public List<EventRecord> LooseErrors { get; } = [];
    /// <summary>Requests that name no action, placed from the page's start.</summary>
    public List<WaterfallRow> LooseRequests { get; } = [];
    public double LooseSpanMs { get; set; }
    /// <summary>Custom events, conversions, identifies before the page's first action.</summary>
    public List<EventRecord> Other { get; } = [];
    public bool IsEmpty => Actions.Count == 0 && LooseErrors.Count == 0 && LooseRequests.Count == 0 && Vitals.Count == 0 && Other.Count == 0;
    public bool Broken => LooseErrors.Count > 0 || Actions.Exists(a => a.Broken);
    public int ErrorCount => LooseErrors.Count + Actions.Sum(a => a.Errors.Count);
}

/// <summary>An error, where it happened and what it broke.</summary>
public sealed record ErrorPlace(EventRecord Error, PageStep Page, ActionStep? Action);

/// <summary>A session's events arranged as the session page shows them.</summary>
public sealed class SessionView
{
    public required SessionSummary Summary { get; init; }
    public required IReadOnlyList<StoredEvent> Events { get; init; }
    public List<PageStep> Pages { get; } = [];
    public List<ErrorPlace> Errors { get; } = [];
    public List<(EventRecord Vital, PageStep Page)> Vitals { get; } = [];
    public BatchContext? LastContext { get; private set; }

    /// <summary>
    /// Pages in order; each action under the page it happened on; requests and
    /// errors under the action they name (action id), else under the page.
    /// </summary>
    public static SessionView Build(SessionSummary summary, IReadOnlyList<StoredEvent> events, ApdexThresholds apdex)
    {
        var view = new SessionView { Summary = summary, Events = events };
        var actions = new Dictionary<string, (ActionStep Action, PageStep Page)>(StringComparer.Ordinal);
        PageStep? page = null;
        PageStep Current(DateTimeOffset ts)
        {
            if (page is null)
            {
                page = new PageStep(null, "Before the first page", ts);
                view.Pages.Add(page);
            }
            return page;
        }
        // First pass: pages and actions, so that requests sent before their
        // action's event (timestamps are the action's start) still find it.
        foreach (var stored in events)
        {
            var e = stored.Event;
            view.LastContext = stored.Context;
            switch (e.Type)
            {
                case EventType.View:
                    if (page is not null && page.View is not null)
                    {
                        page.TimeOnPage = e.Timestamp - page.Start;
                    }
                    page = new PageStep(e, e.Name ?? e.Url ?? "(page)", e.Timestamp);
                    view.Pages.Add(page);
                    var load = new ActionStep(e, pageLoad: true, Apdex.Classify(e.Duration, apdex.ViewMs, e.Failed));
                    page.Actions.Add(load);
                    actions.TryAdd(e.EventId, (load, page));
                    break;
                case EventType.Action:
                    var errorClick = e.Frustration?.Contains("error", StringComparison.Ordinal) == true;
                    var step = new ActionStep(e, pageLoad: false, Apdex.Classify(e.Duration, apdex.ActionMs, e.Failed || errorClick));
                    var p = Current(e.Timestamp);
                    p.Actions.Add(step);
                    actions.TryAdd(e.EventId, (step, p));
                    break;
            }
        }
        var pageIndex = -1;
        // The page an event happened on: the last page started at or before it.
        PageStep On(DateTimeOffset ts)
        {
            while (pageIndex + 1 < view.Pages.Count && view.Pages[pageIndex + 1].Start <= ts)
            {
                pageIndex++;
            }
            if (pageIndex < 0)
            {
                if (view.Pages.Count == 0 || view.Pages[0].View is not null)
                {
                    view.Pages.Insert(0, new PageStep(null, "Before the first page", ts));
                }
                pageIndex = 0;
            }
            return view.Pages[pageIndex];
        }
        foreach (var stored in events)
        {
            var e = stored.Event;
            var on = On(e.Timestamp);
            var owner = e.ActionId is not null && actions.TryGetValue(e.ActionId, out var a) ? a : default;
            switch (e.Type)
            {
                case EventType.Request:
                    if (owner.Action is not null)
                    {
                        owner.Action.Requests.Add(Row(e, owner.Action.Event.Timestamp));
                    }
                    else
                    {
                        on.LooseRequests.Add(Row(e, on.Start));
                    }
                    break;
                case EventType.Error:
                    if (owner.Action is not null)
                    {
                        owner.Action.Errors.Add(e);
                        // An action that ends in an error counts as frustrated.
                        owner.Action.Rating = ApdexClass.Frustrated;
                        view.Errors.Add(new ErrorPlace(e, owner.Page, owner.Action));
                    }
                    else
                    {
                        on.LooseErrors.Add(e);
                        view.Errors.Add(new ErrorPlace(e, on, null));
                    }
                    break;
                case EventType.Vital:
                    on.Vitals.Add(e);
                    view.Vitals.Add((e, on));
                    break;
                case EventType.Custom or EventType.Conversion or EventType.Identify or EventType.SessionEnd:
                    var target = on.Actions.LastOrDefault(x => x.Event.Timestamp <= e.Timestamp);
                    if (target is not null)
                    {
                        target.Other.Add(e);
                    }
                    else
                    {
                        on.Other.Add(e);
                    }
                    break;
            }
        }
        var last = events.Count > 0 ? events[^1].Event.Timestamp : summary.End;
        foreach (var p in view.Pages)
        {
            if (p.View is not null && p.TimeOnPage is null)
            {
                // The last page's time comes from the last event on it.
                p.TimeOnPage = last - p.Start;
            }
            foreach (var action in p.Actions)
            {
                action.Requests.Sort((x, y) => x.OffsetMs.CompareTo(y.OffsetMs));
                action.SpanMs = Math.Max(action.Event.Duration ?? 0, action.Requests.Count == 0 ? 0 : action.Requests.Max(r => r.OffsetMs + r.DurationMs));
            }
            p.LooseSpanMs = p.LooseRequests.Count == 0 ? 0 : p.LooseRequests.Max(r => r.OffsetMs + r.DurationMs);
        }
        return view;
    }

    private static WaterfallRow Row(EventRecord e, DateTimeOffset from) =>
        new(e, Math.Max(0, (e.Timestamp - from).TotalMilliseconds), Math.Max(0, e.Duration ?? 0), Enricher.Host(e.Url) ?? e.Url ?? "?");
}
