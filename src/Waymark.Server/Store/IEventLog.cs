using Waymark.Core.Journeys;
using Waymark.Core.Sessions;

namespace Waymark.Server.Store;

/// <summary>
/// The event log: the facts every journey appends (events, session
/// boundaries, fired deadlines, signals), the only way they reach the store.
/// An append completes only when it is durable, and every query of every node
/// sees it from then on.
/// </summary>
public interface IEventLog
{
    /// <summary>
    /// Whether <paramref name="events"/> more events fit under the bound of
    /// pending appends. False when the store lags: the collector answers 503
    /// and the client retries. (Concurrent callers may overshoot the bound by at
    /// most their own batches; the collector bounds how many there are.)
    /// </summary>
    bool HasRoomFor(int events);

    /// <summary>Events appended and not yet durable.</summary>
    long PendingEvents { get; }

    /// <summary>How long a client is told to wait (Retry-After) when the log has no room.</summary>
    TimeSpan RetryAfter { get; }

    /// <summary>
    /// Appends one step of a visitor's journey: its facts, the summaries of the
    /// sessions it touched and the visitor's next deadline, all or nothing.
    /// A step of one visitor is appended after its previous one completed.
    /// </summary>
    Task AppendAsync(JourneyAppend append, CancellationToken cancellationToken);

    /// <summary>
    /// Which of <paramref name="eventIds"/> (all, when null) the log holds for a
    /// visitor among the client events (not the journey's own facts) received in [<paramref name="from"/>, <paramref name="to"/>]:
    /// how a journey recognises a retry of something it does not remember.
    /// </summary>
    Task<IReadOnlyList<StoredEventId>> FindEventIdsAsync(
        string app, string visitor, IReadOnlyCollection<string>? eventIds, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>The facts of the latest session of each channel of a visitor, in the order they were appended: what a journey replays.</summary>
    Task<IReadOnlyList<JourneyFact>> LoadLatestSessionsAsync(string app, string visitor, CancellationToken cancellationToken);

    /// <summary>
    /// Visitors whose deadline is due at <paramref name="now"/> (a session to end,
    /// a rule to fire), earliest first: the deadlines of visitors whose grain is not
    /// active (never returned, shed, on a node that died, before a restart).
    /// </summary>
    Task<IReadOnlyList<DueVisitor>> DueVisitorsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);
}

/// <summary>One step of a visitor's journey as the log takes it.</summary>
/// <param name="App">The visitor's app.</param>
/// <param name="Visitor">The visitor.</param>
/// <param name="Facts">The facts in the order the journey applied them (may be empty: then only the deadline changes).</param>
/// <param name="Sessions">The summaries of the sessions the step touched, as they are after it.</param>
/// <param name="Deadline">The visitor's next deadline; null for none.</param>
public sealed record JourneyAppend(string App, string Visitor, IReadOnlyList<JourneyFact> Facts, IReadOnlyList<SessionSummary> Sessions, DateTimeOffset? Deadline);

/// <summary>A stored event's id, the session it went to and when it was received.</summary>
public sealed record StoredEventId(string EventId, string Session, DateTimeOffset Received);

/// <summary>A visitor with a deadline due.</summary>
public sealed record DueVisitor(string App, string Visitor, DateTimeOffset Due);

/// <summary>The store lags past its bound; the client should retry after <see cref="RetryAfter"/>.</summary>
public sealed class StoreOverloadedException(TimeSpan retryAfter) : Exception("The store is behind; retry later.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>The store could not make an append durable (a failed commit); the client should send it again.</summary>
public sealed class StoreUnavailableException(Exception inner) : Exception("The store could not commit; retry later.", inner);
