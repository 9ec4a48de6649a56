using System.Globalization;
using Waymark.Core.Events;

namespace Waymark.Server.Mining;

/// <summary>The query parameters every mining endpoint shares, read with the errors they have.</summary>
public sealed class MiningQuery
{
    private readonly IQueryCollection _q;

    public MiningQuery(IQueryCollection q, TimeProvider clock)
    {
        _q = q;
        LogId = Text("log");
        App = Text("app");
        if (LogId is null && App is null)
        {
            Errors.Add("app: the app whose journeys to mine (or log: the id of an uploaded XES log)");
        }
        var now = clock.GetUtcNow();
        var to = Time("to") ?? now;
        var from = Time("from") ?? to.AddDays(-30);
        if (from >= to)
        {
            Errors.Add("from: must be before to");
        }
        var caseNotion = Text("case")?.ToLowerInvariant() switch
        {
            null or "session" => CaseNotion.Session,
            "customer" => CaseNotion.Customer,
            var other => Error(CaseNotion.Session, $"case: session or customer, not '{other}'"),
        };
        var activity = Text("activity")?.ToLowerInvariant() switch
        {
            null or "page" or "screen" => ActivityClassifier.Page,
            "event" => ActivityClassifier.Event,
            "channel-touchpoint" or "touchpoint" => ActivityClassifier.ChannelTouchpoint,
            var other => Error(ActivityClassifier.Page, $"activity: page, event or channel-touchpoint, not '{other}'"),
        };
        string? channel = null;
        if (Text("channel") is { } c)
        {
            channel = Channels.Normalize(c);
            if (channel is null)
            {
                Errors.Add("channel: one of " + string.Join(", ", Channels.All));
            }
        }
        var segment = new JourneySegment(Text("device"), Text("country"), Text("version"), Text("browser"), Text("os"), Text("locale"), Bool("converted"));
        Journey = App is null ? null : new JourneyLogQuery(App, from, to, caseNotion, activity, channel, segment);
    }

    public List<string> Errors { get; } = [];

    public string? LogId { get; }

    public string? App { get; }

    /// <summary>The journey log to build, when the source is an app.</summary>
    public JourneyLogQuery? Journey { get; }


    public string? Text(string name) =>
        _q.TryGetValue(name, out var v) && v.ToString() is { Length: > 0 } s ? s : null;

    public double Share(string name, double fallback)
    {
        if (Text(name) is not { } s)
        {
            return fallback;
        }
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d is >= 0 and <= 1)
        {
            return d;
        }
        Errors.Add($"{name}: a number from 0 to 1");
        return fallback;
    }

    public int Whole(string name, int fallback, int min, int max)
    {
        if (Text(name) is not { } s)
        {
            return fallback;
        }
        if (int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
        {
            return n;
        }
        Errors.Add($"{name}: a whole number from {min} to {max}");
        return fallback;
    }

    public bool? Bool(string name)
    {
        switch (Text(name)?.ToLowerInvariant())
        {
            case null: return null;
            case "true" or "1" or "yes": return true;
            case "false" or "0" or "no": return false;
            default:
                Errors.Add($"{name}: use true or false");
                return null;
        }
    }

    private DateTimeOffset? Time(string name)
    {
        if (Text(name) is not { } s)
        {
            return null;
        }
        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
        {
            return t;
        }
        Errors.Add($"{name}: '{s}' is not an ISO 8601 time such as 2026-11-24T09:00:00Z");
        return null;
    }

    private T Error<T>(T fallback, string message)
    {
        Errors.Add(message);
        return fallback;
    }
}
