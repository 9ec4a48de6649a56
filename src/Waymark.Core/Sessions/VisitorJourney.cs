using System.Globalization;
using Waymark.Core.Events;
using Waymark.Core.Identity;

namespace Waymark.Core.Sessions;

/// <summary>What applying one batch to a visitor's journey decided.</summary>
[GenerateSerializer, Immutable]
public sealed record JourneyUpdate(
    [property: Id(0)] string[] SessionIds,
    [property: Id(1)] bool[] Duplicates,
    [property: Id(2)] SessionSummary[] Sessions,
    [property: Id(3)] string? UserTag);

/// <summary>
/// The live journey of one visitor: the open session on each channel, the
/// identity, and the event ids already applied. Sessionizes by
/// <see cref="SessionRules"/>. Owned by exactly one grain, so it takes no locks.
/// </summary>
public sealed class VisitorJourney(SessionRules rules, ApdexThresholds apdex)
{
    /// <summary>How many applied event ids are remembered to recognise a retry.</summary>
    public const int RememberedIds = 8192;

    private readonly Dictionary<string, OpenSession> _open = new(StringComparer.Ordinal);
    // Event ids by their 128-bit hash: a journey lives long, and keeping the
    // id strings would carry each one through every generation of the GC.
    private readonly Dictionary<UInt128, string> _seen = [];
    private readonly Queue<(UInt128 EventId, DateTimeOffset Received)> _seenOrder = new();

    public string? UserTag { get; private set; }

    /// <summary>
    /// The receive time of the newest event id this journey forgot (it keeps
    /// <see cref="RememberedIds"/>): an event received up to then may be
    /// stored though the journey does not know it. MinValue while nothing was forgotten.
    /// </summary>
    public DateTimeOffset ForgottenUpTo { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>Whether this journey applied (or was told of) the event.</summary>
    public bool Knows(string eventId) => _seen.ContainsKey(IdHash(eventId));

    private static UInt128 IdHash(string eventId) =>
        System.IO.Hashing.XxHash128.HashToUInt128(System.Runtime.InteropServices.MemoryMarshal.AsBytes(eventId.AsSpan()));

    /// <summary>Records an event the store holds (found by its owner), so a retry of it is recognised.</summary>
    public void Know(string eventId, string sessionId, DateTimeOffset received) => Remember(IdHash(eventId), sessionId, received);

    /// <summary>
    /// Applies a batch: each event is assigned its session (a new one when a
    /// session rule says the last one ended), and the summaries are updated.
    /// Events seen before keep their session and are flagged as duplicates;
    /// so are the events in <paramref name="stored"/> (event id → session),
    /// which the owner found in the store.
    /// </summary>
    public JourneyUpdate Apply(BatchContext ctx, IReadOnlyList<EventRecord> events, IReadOnlyDictionary<string, string>? stored = null)
    {
        var ids = new string[events.Count];
        var dup = new bool[events.Count];
        var touched = new List<SessionSummary>(2);
        // On a shared device (kiosk, check-in desk) an identity is the
        // session's, and is not carried to the next customer's session.
        var shared = Channels.IsSharedDevice(ctx.Channel);
        if (ctx.UserTag is not null && !shared)
        {
            UserTag = ctx.UserTag;
        }
        var effective = shared || UserTag is null || ctx.UserTag is not null ? ctx : ctx with { UserTag = UserTag };

        foreach (var i in TimeOrder(events))
        {
            var e = events[i];
            var hash = IdHash(e.EventId);
            if (_seen.TryGetValue(hash, out var known))
            {
                ids[i] = known;
                dup[i] = true;
                continue;
            }
            if (stored is not null && stored.TryGetValue(e.EventId, out var storedIn))
            {
                ids[i] = storedIn;
                dup[i] = true;
                Remember(hash, storedIn, ctx.Received);
                continue;
            }
            var session = SessionFor(effective, e, touched);
            session.Aggregator.Add(effective, e);
            if (e.Type == EventType.Identify && e.UserTag is not null && e.Name is null or IdentityKeys.User)
            {
                if (!shared)
                {
                    UserTag = e.UserTag;
                }
                effective = effective with { UserTag = e.UserTag };
            }
            ids[i] = session.Aggregator.Summary.SessionId;
            Remember(hash, ids[i], ctx.Received);
            if (!touched.Contains(session.Aggregator.Summary))
            {
                touched.Add(session.Aggregator.Summary);
            }
        }
        return new JourneyUpdate(ids, dup, touched.Select(s => s.Clone()).ToArray(), shared ? effective.UserTag : UserTag);
    }

    /// <summary>
    /// Restores an open session from its stored events (after a restart or a
    /// grain's reactivation), so a retried event is recognised and counts once.
    /// </summary>
    public void Restore(SessionSummary stored, IEnumerable<(BatchContext Context, EventRecord Event)> events)
    {
        var summary = SessionAggregator.Begin(
            new BatchContext
            {
                App = stored.App, Channel = stored.Channel, Visitor = stored.Visitor,
                ClientSession = stored.ClientSession, UserTag = stored.UserTag, Received = stored.FirstReceived,
            },
            stored.SessionId,
            stored.Start);
        var open = new OpenSession(new SessionAggregator(summary, apdex), stored.ClientSession, SplitIndexOf(stored));
        foreach (var (ctx, e) in events.OrderBy(x => x.Event.Timestamp))
        {
            open.Aggregator.Add(ctx, e);
            Remember(IdHash(e.EventId), stored.SessionId, ctx.Received);
        }
        if (stored.Ended)
        {
            summary.Ended = true;
            summary.EndReason = stored.EndReason;
        }
        _open[stored.Channel] = open;
        if (!Channels.IsSharedDevice(stored.Channel))
        {
            UserTag ??= summary.UserTag;
        }
    }

    private OpenSession SessionFor(BatchContext ctx, EventRecord e, List<SessionSummary> touched)
    {
        if (_open.TryGetValue(ctx.Channel, out var open))
        {
            var s = open.Aggregator.Summary;
            var reason = EndReason(open, ctx, e);
            if (reason is null)
            {
                return open;
            }
            if (!s.Ended)
            {
                s.Ended = true;
                s.EndReason = reason;
                if (!touched.Contains(s))
                {
                    touched.Add(s);
                }
            }
        }
        var split = open is not null && ctx.ClientSession is not null && open.ClientSession == ctx.ClientSession
            ? open.SplitIndex + 1
            : 1;
        var id = ctx.ClientSession is null
            ? ctx.Visitor + "." + ctx.Channel + "." + e.Timestamp.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)
            : split == 1 ? ctx.ClientSession : ctx.ClientSession + "-" + split.ToString(CultureInfo.InvariantCulture);
        var fresh = new OpenSession(new SessionAggregator(SessionAggregator.Begin(ctx, id, e.Timestamp), apdex), ctx.ClientSession, split);
        _open[ctx.Channel] = fresh;
        return fresh;
    }

    /// <summary>Why the open session cannot take this event, or null when it can.</summary>
    private string? EndReason(OpenSession open, BatchContext ctx, EventRecord e)
    {
        var s = open.Aggregator.Summary;
        if (s.Ended)
        {
            return s.EndReason ?? "app";
        }
        if (ctx.ClientSession is not null && open.ClientSession != ctx.ClientSession)
        {
            return "new-client-session";
        }
        if (e.Timestamp - s.End > rules.Inactivity)
        {
            return "inactivity";
        }
        if (e.Timestamp - s.Start >= rules.MaxDuration)
        {
            return "max-duration";
        }
        if (EventTypes.IsUserAction(e.Type) && s.UserActions >= rules.MaxActions)
        {
            return "max-actions";
        }
        return null;
    }

    private void Remember(UInt128 id, string sessionId, DateTimeOffset received)
    {
        if (_seen.TryAdd(id, sessionId))
        {
            _seenOrder.Enqueue((id, received));
            if (_seenOrder.Count > RememberedIds)
            {
                var (forgotten, at) = _seenOrder.Dequeue();
                _seen.Remove(forgotten);
                if (at > ForgottenUpTo)
                {
                    ForgottenUpTo = at;
                }
            }
        }
    }

    private static int SplitIndexOf(SessionSummary s)
    {
        if (s.ClientSession is null || s.SessionId == s.ClientSession)
        {
            return 1;
        }
        var suffix = s.SessionId.AsSpan(s.ClientSession.Length + 1);
        return int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 1;
    }

    private static int[] TimeOrder(IReadOnlyList<EventRecord> events)
    {
        var order = new int[events.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        // Stable: events with the same timestamp keep the order the client sent.
        return [.. order.OrderBy(i => events[i].Timestamp)];
    }

    private sealed class OpenSession(SessionAggregator aggregator, string? clientSession, int splitIndex)
    {
        public SessionAggregator Aggregator { get; } = aggregator;
        public string? ClientSession { get; } = clientSession;
        public int SplitIndex { get; } = splitIndex;
    }
}
