namespace Waymark.Core.Mining;

/// <summary>
/// An event log: cases (traces) of events, as XES (IEEE 1849) defines it. The
/// standard attributes of the concept, time, lifecycle and org extensions are
/// lifted into properties; every other attribute stays typed in
/// <c>Attributes</c>.
/// </summary>
public sealed class EventLog
{
    public List<LogTrace> Traces { get; } = [];

    /// <summary>Log-level attributes (including the log's <c>concept:name</c> if any).</summary>
    public List<XesAttribute> Attributes { get; } = [];

    public List<XesExtension> Extensions { get; } = [];

    /// <summary>Default attributes every trace has (XES <c>global scope="trace"</c>).</summary>
    public List<XesAttribute> TraceGlobals { get; } = [];

    /// <summary>Default attributes every event has (XES <c>global scope="event"</c>).</summary>
    public List<XesAttribute> EventGlobals { get; } = [];

    /// <summary>The classifiers the file declares.</summary>
    public List<EventClassifier> Classifiers { get; } = [];

    /// <summary>Total number of events over all traces.</summary>
    public int EventCount
    {
        get
        {
            var n = 0;
            foreach (var t in Traces)
            {
                n += t.Events.Count;
            }
            return n;
        }
    }
}

/// <summary>One case: its id (<c>concept:name</c> of the trace), attributes and events in order.</summary>
public sealed class LogTrace
{
    public LogTrace(string caseId) => CaseId = caseId ?? throw new ArgumentNullException(nameof(caseId));

    /// <summary>The case id, from the trace's <c>concept:name</c> ("" when the file has none).</summary>
    public string CaseId { get; set; }

    /// <summary>Trace attributes other than <c>concept:name</c>.</summary>
    public List<XesAttribute> Attributes { get; } = [];

    public List<LogEvent> Events { get; } = [];
}

/// <summary>One event of a case.</summary>
public sealed class LogEvent
{
    public LogEvent(string activity) => Activity = activity ?? throw new ArgumentNullException(nameof(activity));

    /// <summary>The activity (<c>concept:name</c>); "" when the event has none.</summary>
    public string Activity { get; set; }

    /// <summary><c>time:timestamp</c>, if the event has one.</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary><c>lifecycle:transition</c>, e.g. "start" or "complete".</summary>
    public string? Lifecycle { get; set; }

    /// <summary><c>org:resource</c>.</summary>
    public string? Resource { get; set; }

    /// <summary>Event attributes other than the four standard ones above.</summary>
    public List<XesAttribute> Attributes { get; } = [];

    /// <summary>The attribute with this key, or null; the standard keys are answered from the properties.</summary>
    public XesAttribute? Find(string key)
    {
        switch (key)
        {
            case XesKeys.Activity:
                return XesAttribute.String(key, Activity);
            case XesKeys.Timestamp:
                return Timestamp is { } t ? XesAttribute.Date(key, t) : null;
            case XesKeys.Lifecycle:
                return Lifecycle is { } l ? XesAttribute.String(key, l) : null;
            case XesKeys.Resource:
                return Resource is { } r ? XesAttribute.String(key, r) : null;
        }
        foreach (var a in Attributes)
        {
            if (string.Equals(a.Key, key, StringComparison.Ordinal))
            {
                return a;
            }
        }
        return null;
    }
}

/// <summary>An XES extension declaration.</summary>
public sealed record XesExtension(string Name, string Prefix, string Uri);

/// <summary>The standard attribute keys Waymark lifts into properties.</summary>
public static class XesKeys
{
    public const string Activity = "concept:name";
    public const string Timestamp = "time:timestamp";
    public const string Lifecycle = "lifecycle:transition";
    public const string Resource = "org:resource";
}
