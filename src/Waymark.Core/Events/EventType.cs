namespace Waymark.Core.Events;

/// <summary>The kinds of event the beacon protocol carries (protocol v1).</summary>
public enum EventType : byte
{
    /// <summary>A page view (web) or a screen view (apps, kiosks).</summary>
    View = 1,
    /// <summary>A user action: click, tap, submit, key command.</summary>
    Action = 2,
    /// <summary>An error or a crash (fatal error).</summary>
    Error = 3,
    /// <summary>An outgoing request: fetch, XHR, HTTP call of an app.</summary>
    Request = 4,
    /// <summary>A web vital measurement (LCP, INP, CLS, FCP, TTFB).</summary>
    Vital = 5,
    /// <summary>A custom event with properties.</summary>
    Custom = 6,
    /// <summary>A conversion goal reached.</summary>
    Conversion = 7,
    /// <summary>The visitor identified as a user tag.</summary>
    Identify = 8,
    /// <summary>The app ended the session explicitly.</summary>
    SessionEnd = 9,

    // System facts: written by the visitor's journey, never accepted from a client.

    /// <summary>A session began (OpenTelemetry's <c>session.start</c>); written before its first event.</summary>
    SessionStarted = 10,
    /// <summary>A session ended (OpenTelemetry's <c>session.end</c>); its name is the reason.</summary>
    SessionEnded = 11,
    /// <summary>A deadline of per-visitor logic fired; its name is the logic's.</summary>
    Timer = 12,
    /// <summary>Per-visitor logic emitted a signal (a rule matched); name and props say what.</summary>
    Signal = 13,
}

/// <summary>Wire names of <see cref="EventType"/>.</summary>
public static class EventTypes
{
    private static readonly string[] s_names = ["", "view", "action", "error", "request", "vital", "custom", "conversion", "identify", "session_end",
        "session.start", "session.end", "timer", "signal"];

    /// <summary>The wire name of an event type.</summary>
    public static string Name(EventType type) => s_names[(int)type];

    /// <summary>Parses a client's wire name; false for an unknown name and for the system facts, which no client may send.</summary>
    public static bool TryParse(string? name, out EventType type)
    {
        for (var i = 1; i <= (int)EventType.SessionEnd; i++)
        {
            if (string.Equals(s_names[i], name, StringComparison.Ordinal))
            {
                type = (EventType)i;
                return true;
            }
        }
        // Accepted aliases: the protocol document lists them.
        switch (name)
        {
            case "page_view" or "pageview" or "screen_view" or "screen":
                type = EventType.View;
                return true;
            case "web_vital" or "browser.web_vital":
                type = EventType.Vital;
                return true;
            case "session.end":
                type = EventType.SessionEnd;
                return true;
            default:
                type = default;
                return false;
        }
    }

    /// <summary>Facts the journey writes itself: session boundaries, timers, signals.</summary>
    public static bool IsSystemFact(EventType type) => type >= EventType.SessionStarted;

    /// <summary>Views and actions are the user actions that sessions count and Apdex rates.</summary>
    public static bool IsUserAction(EventType type) => type is EventType.View or EventType.Action;
}
