using Waymark.Core.Events;
using Waymark.Core.Identity;
using Waymark.Core.Protocol;

namespace Waymark.Demo;

/// <summary>
/// Records one client session's events on a clock of its own, then cuts them
/// into the beacons a real client would send: a batch every 5–20 s of
/// activity or every 10–20 events, flushed at once after an identify, each
/// received 50–500 ms after its last event completed.
/// </summary>
internal sealed class SessionRecorder(BatchContext context, DateTimeOffset start, DemoRandom rng)
{
    private readonly List<IncomingEvent> _events = [];
    private string? _identifiedTag;
    private DateTimeOffset _now = Truncate(start);

    public BatchContext Context { get; } = context;

    /// <summary>The session's clock: the time the next event happens.</summary>
    public DateTimeOffset Now
    {
        get => _now;
        set => _now = Truncate(value);
    }

    /// <summary>The user tag the client knows: from the start, or since an identify.</summary>
    public string? UserTag => _identifiedTag ?? Context.UserTag;

    public string NewId() => rng.EventId();

    public void Advance(TimeSpan by) => Now += by;

    public void AdvanceMs(double ms) => Advance(TimeSpan.FromMilliseconds(ms));

    /// <summary>A person's pause: log-normal around a median, never past the 30-minute session rule.</summary>
    public void Think(double medianSeconds, double sigma = 0.7, double maxSeconds = 600) =>
        AdvanceMs(1000 * rng.LogNormal(medianSeconds, sigma, 0.8, maxSeconds));

    public void View(string id, string name, string? url, double durationMs, DateTimeOffset at) =>
        Add(new IncomingEvent { EventId = id, Type = EventType.View, Timestamp = at, Name = name, Url = url, Duration = Math.Round(durationMs) });

    public void Action(string id, string name, string target, double durationMs, DateTimeOffset at, string? frustration = null, bool failed = false) =>
        Add(new IncomingEvent
        {
            EventId = id, Type = EventType.Action, Timestamp = at, Name = name, Target = target,
            Duration = Math.Round(durationMs), Frustration = frustration, Failed = failed,
        });

    public void Request(string url, string method, int status, double durationMs, DateTimeOffset at, string? actionId, bool thirdParty = false) =>
        Add(new IncomingEvent
        {
            EventId = NewId(), Type = EventType.Request, Timestamp = at, Url = url, Method = method, Status = status,
            Duration = Math.Round(durationMs), ActionId = actionId, ThirdParty = thirdParty, Failed = status is 0 or >= 400,
        });

    public void Vital(string name, double value, string? url, DateTimeOffset at) =>
        Add(new IncomingEvent { EventId = NewId(), Type = EventType.Vital, Timestamp = at, Name = name, Value = value, Url = url });

    public void Error(DemoError error, DateTimeOffset at, string? actionId, string? url) =>
        Add(new IncomingEvent
        {
            EventId = NewId(), Type = EventType.Error, Timestamp = at, Message = error.Message, Stack = error.Stack,
            Source = error.Source, Fingerprint = error.Fingerprint, ActionId = actionId, Url = url, Failed = error.Fatal,
        });

    public void Custom(string name, string? props, DateTimeOffset? at = null) =>
        Add(new IncomingEvent { EventId = NewId(), Type = EventType.Custom, Timestamp = at ?? Now, Name = name, Props = props });

    public void Conversion(string goal, double value, string? props) =>
        Add(new IncomingEvent { EventId = NewId(), Type = EventType.Conversion, Timestamp = Now, Name = goal, Value = value, Props = props });

    /// <summary>The visitor says who they are; batches after this one carry the tag.</summary>
    public void Identify(string tag, string? traits = null)
    {
        Add(new IncomingEvent
        {
            EventId = NewId(), Type = EventType.Identify, Timestamp = Now, Props = traits,
            Identity = new IdentityClaim(IdentityKeys.User, tag, Hashed: false, TraitsOf(traits)),
        });
        _identifiedTag = tag;
    }

    /// <summary>
    /// A key other than a login links the session to a customer: a loyalty
    /// card scanned at a kiosk, the caller's phone number (sent as its SHA-256).
    /// </summary>
    public void IdentifyBy(string kind, string value, bool hashed = false) =>
        Add(new IncomingEvent { EventId = NewId(), Type = EventType.Identify, Timestamp = Now, Identity = new IdentityClaim(kind, value, hashed) });

    /// <summary>The e-mail, phone and loyalty traits of an identify's props, as the beacon parser reads them.</summary>
    private static List<(string, string)>? TraitsOf(string? props)
    {
        if (props is null)
        {
            return null;
        }
        using var doc = System.Text.Json.JsonDocument.Parse(props);
        var traits = new List<(string, string)>();
        foreach (var kind in (string[])[IdentityKeys.Email, IdentityKeys.Phone, IdentityKeys.Loyalty])
        {
            if (doc.RootElement.TryGetProperty(kind, out var v) && v.GetString() is { Length: > 0 } value)
            {
                traits.Add((kind, value));
            }
        }
        return traits.Count == 0 ? null : traits;
    }

    /// <summary>The app ends the session explicitly (kiosks, desks, calls).</summary>
    public void End() => Add(new IncomingEvent { EventId = NewId(), Type = EventType.SessionEnd, Timestamp = Now });

    /// <summary>The session's events as the beacons that carried them, in the order they were sent.</summary>
    public List<DemoBatch> Batches()
    {
        var ordered = _events.OrderBy(e => e.Timestamp).ToList();
        var batches = new List<DemoBatch>(ordered.Count / 8 + 1);
        var lastReceived = DateTimeOffset.MinValue;
        var tag = Context.UserTag;
        var i = 0;
        while (i < ordered.Count)
        {
            var first = ordered[i].Timestamp;
            var window = TimeSpan.FromSeconds(rng.Uniform(5, 20));
            var max = rng.Between(10, 20);
            var events = new List<IncomingEvent>(max);
            var ready = first;
            string? identified = null;
            while (i < ordered.Count && events.Count < max && ordered[i].Timestamp - first <= window)
            {
                var e = ordered[i++];
                events.Add(e);
                var done = e.Type is EventType.View or EventType.Action or EventType.Request && e.Duration is { } d
                    ? e.Timestamp.AddMilliseconds(d)
                    : e.Timestamp;
                ready = done > ready ? done : ready;
                if (e.Type == EventType.Identify && e.Identity is { Kind: IdentityKeys.User } id)
                {
                    identified = id.Value;
                    break;
                }
            }
            var received = Truncate(ready.AddMilliseconds(rng.Between(50, 500)));
            if (received <= lastReceived)
            {
                received = lastReceived.AddMilliseconds(1);
            }
            lastReceived = received;
            batches.Add(new DemoBatch(Context with { Received = received, UserTag = tag }, events));
            tag = identified ?? tag;
        }
        return batches;
    }

    private void Add(IncomingEvent e) => _events.Add(e with { Timestamp = Truncate(e.Timestamp) });

    /// <summary>Whole milliseconds, as the wire protocol carries them.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset t) => new(t.Ticks - (t.Ticks % TimeSpan.TicksPerMillisecond), t.Offset);
}

/// <summary>A JavaScript error, an app crash or a device fault, as the client reports it.</summary>
internal sealed record DemoError(string Message, string? Stack, string Source, string Fingerprint, bool Fatal = false);
