using Waymark.Core.Events;
using Waymark.Core.Sessions;

namespace Waymark.Core.Journeys;

/// <summary>
/// Per-visitor logic that plugs into a visitor's live journey: journey
/// stages, real-time rules, funnel progress. One instance serves every
/// visitor; <see cref="Create"/> makes the explicit state of one visitor.
/// <para>
/// The journey calls the state with every event it applies and every session
/// boundary, in the order it applied them, and calls
/// <see cref="IJourneyLogicState.OnDeadline"/> when a deadline the state asked
/// for is due. The same calls are made again, with
/// <see cref="JourneyContext.Replaying"/> set, when the journey is rebuilt from
/// the store (after a restart, a move or a deactivation of the grain), so a
/// state must be a pure function of what it was given: it takes times from
/// <see cref="JourneyContext.Now"/>, never from a clock. What a state emits
/// while replaying was emitted before and is dropped.
/// </para>
/// </summary>
public interface IJourneyLogic
{
    /// <summary>A stable name: it is stored with the deadlines that fire for this logic.</summary>
    string Name { get; }

    /// <summary>The state for one visitor of an app, or null when this logic has nothing to do for it (no memory is spent).</summary>
    IJourneyLogicState? Create(string app, string visitor);
}

/// <summary>The state of one <see cref="IJourneyLogic"/> for one visitor. Owned by the visitor's grain: no locks needed.</summary>
public interface IJourneyLogicState
{
    /// <summary>The next time this state wants <see cref="OnDeadline"/> called; null for none. Read after every call.</summary>
    DateTimeOffset? Deadline { get; }

    /// <summary>A session began; <paramref name="session"/> has its first event's context.</summary>
    void OnSessionStarted(SessionSummary session, JourneyContext context);

    /// <summary>
    /// An event of the visitor, after it was added to <paramref name="session"/>'s
    /// summary. System facts (<see cref="EventTypes.IsSystemFact"/>) are not passed here.
    /// </summary>
    void OnEvent(SessionSummary session, EventRecord e, JourneyContext context);

    /// <summary>A session ended; <see cref="SessionSummary.EndReason"/> says why.</summary>
    void OnSessionEnded(SessionSummary session, JourneyContext context);

    /// <summary>The deadline this state asked for is due (<see cref="JourneyContext.Now"/> is the deadline).</summary>
    void OnDeadline(JourneyContext context);
}
