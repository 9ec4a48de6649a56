using Waymark.Core.Events;
using Waymark.Core.Journeys;
using Waymark.Core.Sessions;

namespace Waymark.Core.Rules;

/// <summary>
/// The rules of one app for one visitor: per open session, the partial
/// matches of each rule that has any; per rule, the day's firings; the time of
/// the last firing. Everything is derived from the calls made, in order, with
/// times taken only from <see cref="JourneyContext.Now"/>, so replaying the
/// same calls rebuilds the same state. Split by concern: sequences in
/// RulesState.Sequence.cs, counts and experience in RulesState.Patterns.cs,
/// restraint and signals in RulesState.Restraint.cs.
/// </summary>
internal sealed partial class RulesState : IJourneyLogicState
{
    private readonly RulesLogic _logic;
    private readonly RuleSet _set;
    private readonly string _app;
    private readonly string _visitor;
    // Open sessions, most recently used first; usually one.
    private Slot? _slots;
    private DayCount[]? _days;
    private long _lastFired;
    private int _lastFiredRule = -1;
    private int _sessionsSeen;
    private long _deadline;

    public RulesState(RulesLogic logic, RuleSet set, string app, string visitor)
    {
        _logic = logic;
        _set = set;
        _app = app;
        _visitor = visitor;
    }

    public DateTimeOffset? Deadline => _deadline == 0 ? null : new DateTimeOffset(_deadline, TimeSpan.Zero);

    public void OnSessionStarted(SessionSummary session, JourneyContext context)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (_sessionsSeen < int.MaxValue)
        {
            _sessionsSeen++;
        }
        var slot = SlotOf(session);
        slot.SeenBefore = _sessionsSeen > 1;
        slot.Experience = session.Experience;
    }

    public void OnEvent(SessionSummary session, EventRecord e, JourneyContext context)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(context);
        var now = context.Now.UtcTicks;
        // A wait that ended before this event fires first, as its own input.
        if (_deadline != 0 && now > _deadline - _logic.Options.DeadlineGrace.Ticks)
        {
            FireDue(now, dueBefore: now, context);
        }
        var slot = SlotOf(session);
        if (_logic.Stages?.StageOf(_app, session, e) is { } stage)
        {
            slot.Stage = stage;
        }
        var before = slot.Experience;
        slot.Experience = session.Experience;
        var view = new EventView(e, session, slot.Stage);
        List<Candidate>? candidates = null;
        try
        {
            var rules = _set.Enabled;
            for (var i = 0; i < rules.Length; i++)
            {
                var found = rules[i].Pattern switch
                {
                    SequencePattern p => OnSequence(i, p, slot, ref view, now),
                    CountPattern p => OnCount(i, p, slot, ref view, now),
                    ExperiencePattern p => before != p.Becomes && slot.Experience == p.Becomes
                        ? new Candidate(i, slot, now, now, [e.EventId], 1, 0)
                        : null,
                    _ => null,
                };
                if (found is { } c)
                {
                    (candidates ??= []).Add(c);
                }
            }
        }
        finally
        {
            view.Release();
        }
        if (candidates is not null)
        {
            Decide(candidates, context, now);
        }
        UpdateDeadline();
    }

    public void OnSessionEnded(SessionSummary session, JourneyContext context)
    {
        ArgumentNullException.ThrowIfNull(session);
        // Its waits are cancelled and its partial matches dropped with it.
        Slot? prev = null;
        for (var s = _slots; s is not null; prev = s, s = s.Next)
        {
            if (string.Equals(s.Session.SessionId, session.SessionId, StringComparison.Ordinal))
            {
                if (prev is null)
                {
                    _slots = s.Next;
                }
                else
                {
                    prev.Next = s.Next;
                }
                break;
            }
        }
        UpdateDeadline();
    }

    public void OnDeadline(JourneyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var now = context.Now.UtcTicks;
        FireDue(now, dueBefore: now - _logic.Options.DeadlineGrace.Ticks + 1, context);
        UpdateDeadline();
    }

    /// <summary>The slot of a session, created (and the least recently used dropped beyond the bound) when new.</summary>
    private Slot SlotOf(SessionSummary session)
    {
        Slot? prev = null;
        var n = 0;
        for (var s = _slots; s is not null; prev = s, s = s.Next, n++)
        {
            if (string.Equals(s.Session.SessionId, session.SessionId, StringComparison.Ordinal))
            {
                s.Session = session;
                if (prev is not null)
                {
                    prev.Next = s.Next;
                    s.Next = _slots;
                    _slots = s;
                }
                return s;
            }
        }
        if (n >= _logic.Options.MaxSessions && _logic.Options.MaxSessions <= 1)
        {
            _slots = null;
        }
        else if (n >= _logic.Options.MaxSessions)
        {
            var keep = _slots!;
            for (var i = 1; i < _logic.Options.MaxSessions - 1 && keep.Next is not null; i++)
            {
                keep = keep.Next;
            }
            keep.Next = null;
        }
        // A session first seen at an event (the state came after its start)
        // is taken to start satisfied, as every session does.
        _slots = new Slot { Session = session, Next = _slots, SeenBefore = _sessionsSeen > 1, Experience = Experience.Satisfied };
        return _slots;
    }

    /// <summary>Partial matches and waits held, over all sessions and rules: what bounds the state's size.</summary>
    internal int PartialMatches
    {
        get
        {
            var n = 0;
            for (var s = _slots; s is not null; s = s.Next)
            {
                foreach (var r in s.Rules ?? [])
                {
                    n += r is SequenceState q ? q.Count : r is CountState c ? c.N : 0;
                }
            }
            return n;
        }
    }

    private void UpdateDeadline()
    {
        long min = 0;
        for (var s = _slots; s is not null; s = s.Next)
        {
            if (s.Rules is null)
            {
                continue;
            }
            foreach (var r in s.Rules)
            {
                if (r is SequenceState { Waiting: > 0 } q && q.EarliestDue() is var due && (min == 0 || due < min))
                {
                    min = due;
                }
            }
        }
        _deadline = min == 0 ? 0 : min + _logic.Options.DeadlineGrace.Ticks;
    }

    /// <summary>What a visitor's state keeps of one open session.</summary>
    internal sealed class Slot
    {
        public required SessionSummary Session;
        public Slot? Next;
        /// <summary>The latest stage the stage provider named in this session.</summary>
        public string? Stage;
        public Experience Experience;
        /// <summary>The visitor had a session before this one (in this journey): the fallback for new/returning.</summary>
        public bool SeenBefore;
        /// <summary>Per enabled rule, its state in this session; null until a rule has one.</summary>
        public RuleSessionState?[]? Rules;

        public T Get<T>(int rule, int count) where T : RuleSessionState, new()
        {
            Rules ??= new RuleSessionState?[count];
            if (Rules[rule] is T have)
            {
                return have;
            }
            // The cap's count may have been kept before the pattern needed its state.
            var made = new T { Fired = Rules[rule]?.Fired ?? 0 };
            Rules[rule] = made;
            return made;
        }
    }

    /// <summary>A rule's state in one session: its firings there (for the per-session cap).</summary>
    internal class RuleSessionState
    {
        public int Fired;
    }

    /// <summary>A rule's firings on one day (in the app's time zone).</summary>
    private struct DayCount
    {
        public int Day;
        public int Fired;
    }

    /// <summary>A rule matched on an input: what the restraint decides on and the signal reports.</summary>
    internal readonly record struct Candidate(int Rule, Slot Slot, long First, long Last, string?[] Ids, int IdCount, long Due);
}
