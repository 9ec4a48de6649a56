using System.Globalization;
using Waymark.Core.Events;
using Waymark.Core.Mining;
using Waymark.Server.Store;

namespace Waymark.Server.Mining;

/// <summary>
/// Builds an event log (XES model) from the journeys of one app: one trace per
/// session or per customer, one event per activity occurrence, timestamped
/// with the event's time. Every trace carries the customer (<c>waymark:customer</c>),
/// its channels and the app version of its first session; every event its
/// channel (as <c>org:resource</c>), session and event type, so what is exported
/// opens in PM4Py or ProM with the same cases.
/// </summary>
public sealed class JourneyLogBuilder(ISessionEvents sessions, IIdentityLinks links)
{
    public const string CustomerKey = "waymark:customer";
    public const string VersionKey = "waymark:appVersion";
    public const string ChannelsKey = "waymark:channels";

    public async Task<EventLog> BuildAsync(JourneyLogQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var segment = query.Segment ?? new JourneySegment();
        var cases = new Dictionary<string, Case>(StringComparer.Ordinal);
        var order = new List<Case>();
        var customerOfVisitor = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var s in sessions.ReadSessionEventsAsync(new SessionEventsQuery(query.App, query.From, query.To, query.Channel, query.MaxSessions), cancellationToken))
        {
            var session = s.Session;
            if (!segment.Matches(session))
            {
                continue;
            }
            var customer = await CustomerAsync(session, customerOfVisitor, cancellationToken);
            var id = query.Case == CaseNotion.Session ? session.SessionId : customer;
            if (!cases.TryGetValue(id, out var c))
            {
                cases[id] = c = new Case(id, customer, session.AppVersion);
                order.Add(c);
            }
            c.Channels.Add(session.Channel);
            foreach (var e in s.Events)
            {
                if (Activity(query.Activity, e) is { } activity)
                {
                    c.Events.Add((e.Event.Timestamp, c.Events.Count, activity, e));
                }
            }
        }

        var log = new EventLog();
        log.Extensions.AddRange(XesWriter.StandardExtensions);
        log.Attributes.Add(XesAttribute.String(XesKeys.Activity, $"{query.App} {query.Case.ToString().ToLowerInvariant()} journeys by {Name(query.Activity)}"));
        log.Classifiers.Add(EventClassifier.Activity);
        foreach (var c in order)
        {
            // A customer's sessions interleave by time; a session's events are already in order.
            c.Events.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Seq.CompareTo(b.Seq));
            var trace = new LogTrace(c.Id);
            trace.Attributes.Add(XesAttribute.String(CustomerKey, c.Customer));
            trace.Attributes.Add(XesAttribute.String(ChannelsKey, string.Join(',', c.Channels.Order(StringComparer.Ordinal))));
            if (c.Version is { } v)
            {
                trace.Attributes.Add(XesAttribute.String(VersionKey, v));
            }
            string? previous = null;
            foreach (var (at, _, activity, e) in c.Events)
            {
                if (query.Activity == ActivityClassifier.ChannelTouchpoint && activity == previous)
                {
                    continue;
                }
                previous = activity;
                var ev = new LogEvent(activity) { Timestamp = at, Lifecycle = "complete", Resource = e.Context.Channel };
                ev.Attributes.Add(XesAttribute.String("waymark:session", e.Session));
                ev.Attributes.Add(XesAttribute.String("waymark:type", e.Event.Type.ToString().ToLowerInvariant()));
                trace.Events.Add(ev);
            }
            if (trace.Events.Count > 0)
            {
                log.Traces.Add(trace);
            }
        }
        return log;
    }

    public static string Name(ActivityClassifier a) => a switch
    {
        ActivityClassifier.Page => "page",
        ActivityClassifier.Event => "event",
        _ => "channel-touchpoint",
    };

    public static string? Activity(ActivityClassifier classifier, StoredEvent e)
    {
        var ev = e.Event;
        if (string.IsNullOrEmpty(ev.Name))
        {
            return null;
        }
        return classifier switch
        {
            ActivityClassifier.Page => ev.Type == EventType.View ? ev.Name : null,
            ActivityClassifier.Event => ev.Type is EventType.View or EventType.Action or EventType.Custom or EventType.Conversion ? ev.Name : null,
            _ => ev.Type is EventType.View or EventType.Custom or EventType.Conversion
                ? string.Create(CultureInfo.InvariantCulture, $"{e.Context.Channel}: {e.Context.Touchpoint ?? ev.Name}")
                : null,
        };
    }

    private async Task<string> CustomerAsync(Core.Sessions.SessionSummary s, Dictionary<string, string> cache, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(s.SessionId, out var known))
        {
            return known;
        }
        // A customer is the connected part of the identity graph: walk it once from the session's
        // link (or user tag), and every session it reaches, on any channel, is that customer's.
        var link = await links.LinkOfAsync(s.App, s.Visitor, s.SessionId, cancellationToken);
        var key = link ?? (s.UserTag is { } tag ? ("user", tag) : null);
        if (key is { } k && await links.GetCustomerAsync(s.App, k.Kind, k.Key, cancellationToken) is { } journey)
        {
            foreach (var other in journey.Sessions)
            {
                cache.TryAdd(other.SessionId, "customer:" + journey.Id);
            }
            if (cache.TryGetValue(s.SessionId, out var found))
            {
                return found;
            }
        }
        var visitor = "visitor:" + s.Visitor;
        cache[s.SessionId] = visitor;
        return visitor;
    }

    private sealed class Case(string id, string customer, string? version)
    {
        public string Id { get; } = id;
        public string Customer { get; } = customer;
        public string? Version { get; } = version;
        public SortedSet<string> Channels { get; } = new(StringComparer.Ordinal);
        public List<(DateTimeOffset At, int Seq, string Activity, StoredEvent Event)> Events { get; } = [];
    }
}
