using Waymark.Core.Events;
using Waymark.Core.Journeys;
using Waymark.Core.Sessions;
using Waymark.Server.Store;

namespace Waymark.Server.Tests.Store.Conformance;

/// <summary>
/// A store behind its contracts, as the conformance suite drives it. One
/// object implements them all; a test reaches a contract with <see cref="As{T}"/>
/// (a contract a store lacks fails the test that needs it, by name).
/// </summary>
public sealed class StoreUnderTest(object store, Func<ValueTask> dispose) : IAsyncDisposable
{
    public T As<T>() where T : class =>
        store as T ?? throw new InvalidOperationException($"{store.GetType().Name} does not implement {typeof(T).Name}.");

    public IEventLog Log => As<IEventLog>();
    public ISessionReadModel Sessions => As<ISessionReadModel>();
    public ISessionAnalytics Analytics => As<ISessionAnalytics>();
    public IIdentityLinks Links => As<IIdentityLinks>();
    public ISessionNotes Notes => As<ISessionNotes>();
    public IAccountStore Accounts => As<IAccountStore>();
    public ISessionEvents SessionEvents => As<ISessionEvents>();

    public ValueTask DisposeAsync() => dispose();
}

/// <summary>Facts as the live pipeline makes them: a real journey per visitor, its steps appended in order.</summary>
public sealed class JourneyWriter(IEventLog log)
{
    private readonly Dictionary<string, VisitorJourney> _journeys = new(StringComparer.Ordinal);

    // Whole seconds: a store may keep times to the microsecond only.
    public static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeSeconds());

    public static BatchContext Context(string visitor, string? session, string channel = "web", string app = "shop", string? user = null, DateTimeOffset? received = null) => new()
    {
        App = app, Channel = channel, Visitor = visitor, ClientSession = session, UserTag = user, Received = received ?? T0,
        DeviceClass = channel == "mobile" ? "mobile" : "desktop", Browser = channel == "web" ? "Chrome" : null, Country = "NL", City = "Amsterdam",
    };

    public async Task<JourneyWrite> ApplyAsync(BatchContext ctx, params EventRecord[] events)
    {
        var key = ctx.App + "/" + ctx.Visitor;
        if (!_journeys.TryGetValue(key, out var journey))
        {
            _journeys[key] = journey = new VisitorJourney(ctx.App, ctx.Visitor, new SessionRules(), new ApdexThresholds());
        }
        var write = journey.Apply(ctx, events);
        await log.AppendAsync(new JourneyAppend(ctx.App, ctx.Visitor, write.Facts, write.Sessions, write.Deadline), CancellationToken.None);
        return write;
    }

    public async Task<JourneyWrite> AdvanceAsync(string app, string visitor, DateTimeOffset now)
    {
        var journey = _journeys[app + "/" + visitor];
        var write = journey.Advance(now);
        await log.AppendAsync(new JourneyAppend(app, visitor, write.Facts, write.Sessions, write.Deadline), CancellationToken.None);
        return write;
    }

    public static EventRecord View(string id, DateTimeOffset at, string name = "Home", double duration = 800) =>
        new() { EventId = id, Type = EventType.View, Timestamp = at, Name = name, Url = "https://shop.example/" + name.ToLowerInvariant(), Duration = duration };

    public static EventRecord Action(string id, DateTimeOffset at, string name = "Click", double duration = 200) =>
        new() { EventId = id, Type = EventType.Action, Timestamp = at, Name = name, Duration = duration };

    public static EventRecord Error(string id, DateTimeOffset at, string message, string fingerprint, bool fatal = false) =>
        new() { EventId = id, Type = EventType.Error, Timestamp = at, Message = message, Fingerprint = fingerprint, Failed = fatal };

    public static EventRecord Conversion(string id, DateTimeOffset at, double value = 100) =>
        new() { EventId = id, Type = EventType.Conversion, Timestamp = at, Name = "order", Value = value };

    public static EventRecord Request(string id, DateTimeOffset at, string url, int status, double duration, bool thirdParty) =>
        new() { EventId = id, Type = EventType.Request, Timestamp = at, Url = url, Status = status, Duration = duration, ThirdParty = thirdParty, Failed = status >= 500 };

    public static EventRecord Vital(string id, DateTimeOffset at, string name, double value) =>
        new() { EventId = id, Type = EventType.Vital, Timestamp = at, Name = name, Value = value, Url = "https://shop.example/home" };

    /// <summary>An identify as the pipeline stores it: the key, and the traits' keys both typed and in its props.</summary>
    public static EventRecord Identify(string id, DateTimeOffset at, string kind, string key, params IdentityTrait[] traits) => new()
    {
        EventId = id, Type = EventType.Identify, Timestamp = at,
        Identity = new Identity(kind, key, traits.Length == 0 ? null : traits),
        Props = traits.Length == 0 ? null : System.Text.Json.JsonSerializer.Serialize(traits.ToDictionary(t => t.Kind, t => t.Key)),
    };

    public static EventRecord End(string id, DateTimeOffset at) => new() { EventId = id, Type = EventType.SessionEnd, Timestamp = at };
}
