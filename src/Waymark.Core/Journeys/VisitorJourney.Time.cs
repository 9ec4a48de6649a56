using Waymark.Core.Events;
using Waymark.Core.Sessions;

namespace Waymark.Core.Journeys;

public sealed partial class VisitorJourney
{
    /// <summary>How many deadlines one call of <see cref="Advance"/> fires at the most (a logic that keeps asking for past deadlines is cut off).</summary>
    public const int MaxDeadlinesPerAdvance = 64;

    /// <summary>The earliest deadline: an open session's end by inactivity or duration, or a logic's; null for none.</summary>
    public DateTimeOffset? NextDeadline
    {
        get
        {
            DateTimeOffset? next = null;
            foreach (var s in _sessions)
            {
                if (!s.Summary.Ended && (next is null || SessionDeadline(s.Summary).Due < next))
                {
                    next = SessionDeadline(s.Summary).Due;
                }
            }
            foreach (var l in _logic)
            {
                if (l.State.Deadline is { } d && (next is null || d < next))
                {
                    next = d;
                }
            }
            return next;
        }
    }

    /// <summary>
    /// When an open session ends if nothing more arrives, and why: 30 minutes
    /// after its last event, or 6 hours after its start, but never before
    /// <see cref="SessionRules.LateGrace"/> after its last batch arrived (late
    /// batches of a past session still join it).
    /// </summary>
    private (DateTimeOffset Due, string Reason) SessionDeadline(SessionSummary s)
    {
        var grace = s.LastReceived + _rules.LateGrace;
        var idle = Max(s.End + _rules.Inactivity, grace);
        var full = Max(s.Start + _rules.MaxDuration, grace);
        return idle <= full ? (idle, EndReasons.Inactivity) : (full, EndReasons.MaxDuration);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>
    /// Fires every deadline due at <paramref name="now"/>, earliest first: ends
    /// sessions whose inactivity or duration deadline passed, and calls the
    /// logic whose deadline came (a <c>timer</c> fact records it, so a replay
    /// calls it again at the same place).
    /// </summary>
    public JourneyWrite Advance(DateTimeOffset now)
    {
        var write = new JourneyWrite();
        for (var n = 0; n < MaxDeadlinesPerAdvance; n++)
        {
            OpenSession? session = null;
            LogicSlot? logic = null;
            var due = DateTimeOffset.MaxValue;
            var reason = "";
            foreach (var s in _sessions)
            {
                if (!s.Summary.Ended && SessionDeadline(s.Summary) is var d && d.Due <= now && d.Due < due)
                {
                    (session, due, reason) = (s, d.Due, d.Reason);
                }
            }
            foreach (var l in _logic)
            {
                if (l.State.Deadline is { } d && d <= now && d < due)
                {
                    (session, logic, due) = (null, l, d);
                }
            }
            if (session is not null)
            {
                End(write, session, reason, due, ContextOf(session.Summary, now));
            }
            else if (logic is not null)
            {
                FireDeadline(write, logic, due, now);
            }
            else
            {
                break;
            }
        }
        Seal(write);
        write.Deadline = NextDeadline;
        return write;
    }

    private void FireDeadline(JourneyWrite write, LogicSlot logic, DateTimeOffset due, DateTimeOffset now)
    {
        // The timer fact goes into the visitor's latest session, so the replay of
        // that session meets it. A logic only has deadlines after a session began.
        var latest = Latest();
        if (latest is null)
        {
            return;
        }
        var ctx = ContextOf(latest.Summary, now);
        var timer = SystemFact(EventType.Timer, due, logic.Name, latest.Id);
        write.Facts.Add(new JourneyFact(latest.Id, ctx, timer));
        // A logic that asks again for a deadline at or before this one is called
        // again at most MaxDeadlinesPerAdvance times; the grain's timer waits a second between rounds.
        Call(write, latest, ctx, due, logic, (state, c) => state.OnDeadline(c));
    }

    private OpenSession? Latest()
    {
        OpenSession? latest = null;
        foreach (var s in _sessions)
        {
            if (latest is null || s.Summary.End > latest.Summary.End)
            {
                latest = s;
            }
        }
        return latest;
    }

    /// <summary>The context of a fact the journey writes itself (no batch came with it): the session's, received now.</summary>
    private static BatchContext ContextOf(SessionSummary s, DateTimeOffset now) => new()
    {
        App = s.App,
        Channel = s.Channel,
        Visitor = s.Visitor,
        ClientSession = s.ClientSession,
        UserTag = s.UserTag,
        Received = now,
        DeviceClass = s.DeviceClass,
        Browser = s.Browser,
        Os = s.Os,
        AppVersion = s.AppVersion,
        Locale = s.Locale,
        Country = s.Country,
        City = s.City,
        Touchpoint = s.Touchpoint,
        Consent = s.Consent,
    };

    /// <summary>Calls every logic state with one input, at journey time <paramref name="at"/>.</summary>
    private void Tell(JourneyWrite write, OpenSession session, BatchContext ctx, DateTimeOffset at, Action<IJourneyLogicState, JourneyContext> call)
    {
        foreach (var l in _logic)
        {
            Call(write, session, ctx, at, l, call);
        }
    }

    private void Call(JourneyWrite? write, OpenSession session, BatchContext ctx, DateTimeOffset at, LogicSlot logic, Action<IJourneyLogicState, JourneyContext> call)
    {
        var c = _context ??= new JourneyContext { App = App, Visitor = Visitor };
        c.Now = at;
        c.Replaying = write is null;
        c.Logic = logic.Name;
        call(logic.State, c);
        if (c.TakeSignals() is { } signals && write is not null)
        {
            foreach (var signal in signals)
            {
                var fact = SystemFact(EventType.Signal, signal.At, signal.Name, session.Id, signal.Logic, signal.Props);
                write.Facts.Add(new JourneyFact(session.Id, ctx, fact));
                write.Signals.Add(signal);
            }
        }
    }

    /// <summary>Replaces the live summaries in a write by copies, as they are after the step, and ends the step.</summary>
    private void Seal(JourneyWrite write)
    {
        for (var i = 0; i < write.Sessions.Count; i++)
        {
            write.Sessions[i] = write.Sessions[i].Clone();
        }
        foreach (var s in _sessions)
        {
            s.Touched = false;
        }
    }
}
