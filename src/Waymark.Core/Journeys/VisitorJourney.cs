using System.Globalization;
using Waymark.Core.Events;
using Waymark.Core.Sessions;

namespace Waymark.Core.Journeys;

/// <summary>
/// The live journey of one visitor: a session state machine per channel
/// (open → ended, with the reason), the identity, the ids already applied,
/// and the per-visitor logic that plugs in (<see cref="IJourneyLogic"/>).
/// Owned by exactly one grain, so it takes no locks.
/// <para>
/// Every step returns a <see cref="JourneyWrite"/>: the facts to store, the
/// session boundaries among them (<c>session.start</c>, <c>session.end</c>
/// with the reason), fired deadlines and signals. Summaries are a pure function
/// of those facts (<see cref="SessionAggregator"/>), so folding the stored facts
/// again gives the same summaries, end reasons included.
/// </para>
/// </summary>
public sealed partial class VisitorJourney
{
    private readonly SessionRules _rules;
    private readonly ApdexThresholds _apdex;
    // One entry per channel the visitor used: the open or last session.
    private OpenSession[] _sessions = [];
    private readonly EventIdSet _ids = new();
    private readonly LogicSlot[] _logic;
    private JourneyContext? _context;
    private int _factCounter;

    public VisitorJourney(string app, string visitor, SessionRules rules, ApdexThresholds apdex, IReadOnlyList<IJourneyLogic>? logic = null)
    {
        App = app;
        Visitor = visitor;
        _rules = rules;
        _apdex = apdex;
        var slots = new List<LogicSlot>();
        foreach (var l in logic ?? [])
        {
            if (l.Create(app, visitor) is { } state)
            {
                slots.Add(new LogicSlot(l.Name, state));
            }
        }
        _logic = [.. slots];
    }

    public string App { get; }

    public string Visitor { get; }

    /// <summary>The user tag the visitor identified as (not on shared devices, where it is the session's).</summary>
    public string? UserTag { get; private set; }

    /// <summary>An event received up to then may be stored though this journey does not know it (see <see cref="EventIdSet"/>).</summary>
    public DateTimeOffset ForgottenUpTo => _ids.ForgottenUpTo;

    /// <summary>Whether this journey applied (or was told of) the event.</summary>
    public bool Knows(string eventId) => _ids.Contains(eventId);

    /// <summary>Records an event the store holds (found by the owner), so a retry of it is recognised.</summary>
    public void Know(string eventId, DateTimeOffset received) => _ids.Add(eventId, received);

    /// <summary>The sessions, one per channel used: open, or the last one ended.</summary>
    public IEnumerable<SessionSummary> Sessions => _sessions.Select(s => s.Summary);

    /// <summary>Whether no session is open and no logic waits for a deadline: the grain may go.</summary>
    public bool IsIdle => NextDeadline is null;

    /// <summary>
    /// Applies a batch: each new event goes to its channel's open session, or
    /// to a new one when a session rule ended that one; events known before (or
    /// in <paramref name="stored"/>, which the owner found in the store) are
    /// retries and are skipped.
    /// </summary>
    public JourneyWrite Apply(BatchContext ctx, IReadOnlyList<EventRecord> events, IReadOnlySet<string>? stored = null)
    {
        var write = new JourneyWrite();
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
            var hash = EventIdSet.Hash(e.EventId);
            if (_ids.Contains(hash))
            {
                write.Duplicates++;
                continue;
            }
            if (stored is not null && stored.Contains(e.EventId))
            {
                write.Duplicates++;
                _ids.Add(hash, ctx.Received);
                continue;
            }
            var session = SessionFor(effective, e, write);
            session.Aggregator.Add(effective, e);
            write.Facts.Add(new JourneyFact(session.Id, effective, e));
            _ids.Add(hash, ctx.Received);
            Touch(write, session);
            if (e.Type == EventType.Identify && e.Identity is { IsUser: true } id)
            {
                if (!shared)
                {
                    UserTag = id.Key;
                }
                effective = effective with { UserTag = id.Key };
            }
            Tell(write, session, effective, e.Timestamp, (state, c) => state.OnEvent(session.Summary, e, c));
            if (e.Type == EventType.SessionEnd && !session.Summary.Ended)
            {
                End(write, session, EndReasons.App, e.Timestamp, effective);
            }
        }
        Seal(write);
        write.Deadline = NextDeadline;
        return write;
    }

    /// <summary>The open session of the event's channel, or a new one when a session rule ends that one now.</summary>
    private OpenSession SessionFor(BatchContext ctx, EventRecord e, JourneyWrite write)
    {
        var slot = SlotOf(ctx.Channel);
        var open = slot < 0 ? null : _sessions[slot];
        if (open is not null)
        {
            var reason = EndReason(open, ctx, e);
            if (reason is null)
            {
                return open;
            }
            if (!open.Summary.Ended)
            {
                End(write, open, reason, e.Timestamp, ctx);
            }
        }
        var split = open is not null && ctx.ClientSession is not null && open.ClientSession == ctx.ClientSession
            ? open.SplitIndex + 1
            : 1;
        var id = ctx.ClientSession is null
            ? ctx.Visitor + "." + ctx.Channel + "." + e.Timestamp.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)
            : split == 1 ? ctx.ClientSession : ctx.ClientSession + "-" + split.ToString(CultureInfo.InvariantCulture);
        var fresh = new OpenSession(new SessionAggregator(SessionAggregator.Begin(ctx, id, e.Timestamp), _apdex), ctx.ClientSession, split);
        Put(fresh);
        var start = SystemFact(EventType.SessionStarted, e.Timestamp, null, id);
        fresh.Aggregator.Add(ctx, start);
        write.Facts.Add(new JourneyFact(id, ctx, start));
        Touch(write, fresh);
        Tell(write, fresh, ctx, e.Timestamp, (state, c) => state.OnSessionStarted(fresh.Summary, c));
        return fresh;
    }

    /// <summary>Why the open session cannot take this event, or null when it can (definitions.md, "Sessions").</summary>
    private string? EndReason(OpenSession open, BatchContext ctx, EventRecord e)
    {
        var s = open.Summary;
        if (s.Ended)
        {
            return s.EndReason ?? EndReasons.App;
        }
        if (ctx.ClientSession is not null && open.ClientSession != ctx.ClientSession)
        {
            return EndReasons.Superseded;
        }
        if (e.Timestamp - s.End > _rules.Inactivity)
        {
            return EndReasons.Inactivity;
        }
        if (e.Timestamp - s.Start >= _rules.MaxDuration)
        {
            return EndReasons.MaxDuration;
        }
        if (EventTypes.IsUserAction(e.Type) && s.UserActions >= _rules.MaxActions)
        {
            return EndReasons.MaxActions;
        }
        return null;
    }

    /// <summary>Ends a session with a <c>session.end</c> fact and tells the logic.</summary>
    private void End(JourneyWrite write, OpenSession session, string reason, DateTimeOffset at, BatchContext ctx)
    {
        var end = SystemFact(EventType.SessionEnded, at, reason, session.Id);
        session.Aggregator.Add(ctx, end);
        write.Facts.Add(new JourneyFact(session.Id, ctx, end));
        Touch(write, session);
        Tell(write, session, ctx, at, (state, c) => state.OnSessionEnded(session.Summary, c));
    }

    private EventRecord SystemFact(EventType type, DateTimeOffset at, string? name, string session, string? logic = null, string? props = null) => new()
    {
        // Unique within the visitor; the journey never sees these ids from a client.
        EventId = "sys-" + EventTypes.Name(type) + "-" + session + "-" + at.UtcTicks.ToString(CultureInfo.InvariantCulture) + "-" +
            (++_factCounter).ToString(CultureInfo.InvariantCulture),
        Type = type,
        Timestamp = at,
        Name = name,
        Target = logic,
        Props = props,
    };

    private static void Touch(JourneyWrite write, OpenSession session)
    {
        if (!session.Touched)
        {
            session.Touched = true;
            write.Sessions.Add(session.Summary);
        }
    }

    private int SlotOf(string channel)
    {
        for (var i = 0; i < _sessions.Length; i++)
        {
            if (_sessions[i].Summary.Channel == channel)
            {
                return i;
            }
        }
        return -1;
    }

    private void Put(OpenSession session)
    {
        var slot = SlotOf(session.Summary.Channel);
        if (slot >= 0)
        {
            _sessions[slot] = session;
        }
        else
        {
            _sessions = [.. _sessions, session];
        }
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
        public SessionSummary Summary => Aggregator.Summary;
        public string Id => Aggregator.Summary.SessionId;
        public string? ClientSession { get; } = clientSession;
        public int SplitIndex { get; } = splitIndex;
        /// <summary>Touched by the step under way (its summary is in the write).</summary>
        public bool Touched { get; set; }
    }

    private sealed class LogicSlot(string name, IJourneyLogicState state)
    {
        public string Name { get; } = name;
        public IJourneyLogicState State { get; } = state;
    }
}
