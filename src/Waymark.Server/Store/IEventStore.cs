using Waymark.Core.Events;
using Waymark.Core.Sessions;

namespace Waymark.Server.Store;

/// <summary>
/// The one seam between the pipeline and the database. Facts go in through
/// <see cref="WriteAsync"/>; a write completes
/// only when it is committed. Implementations: DuckDB (embedded); ClickHouse
/// follows. The query side lives in <see cref="ISessionQueries"/>.
/// </summary>
public interface IEventStore
{
    /// <summary>
    /// Whether <paramref name="events"/> more events fit under the bound of
    /// pending writes. False when the store lags: the caller answers 503 and
    /// the client retries. (Concurrent callers may overshoot the bound by at
    /// most their own batches; the collector bounds how many there are.)
    /// </summary>
    bool HasRoomFor(int events);

    /// <summary>Writes a batch; completes once it is durable.</summary>
    Task WriteAsync(WriteBatch batch, CancellationToken cancellationToken);

    /// <summary>Whether the store may hold sessions of this visitor (a fast, in-memory check).</summary>
    bool MayKnowVisitor(string app, string visitor);

    /// <summary>
    /// Which of <paramref name="eventIds"/> (all, when null) the store holds for
    /// a visitor among the events received in [<paramref name="from"/>, <paramref name="to"/>]:
    /// how a grain recognises a retry of something it does not remember.
    /// </summary>
    Task<IReadOnlyList<StoredEventId>> FindStoredEventsAsync(
        string app, string visitor, IReadOnlyCollection<string>? eventIds, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>The latest session of each channel of a visitor, with its events, to restore live state.</summary>
    Task<IReadOnlyList<StoredSession>> LoadLatestSessionsAsync(string app, string visitor, CancellationToken cancellationToken);

    /// <summary>Events pending (reserved or queued) and not yet committed.</summary>
    long PendingEvents { get; }
}

/// <summary>One batch as the pipeline hands it to the store.</summary>
/// <param name="Context">Who, where, on what.</param>
/// <param name="Events">The valid events.</param>
/// <param name="SessionIds">The session each event belongs to, aligned with <paramref name="Events"/>.</param>
/// <param name="Sessions">The updated summaries of the sessions the batch touched.</param>
/// <param name="Duplicates">Events stored before (a retry the visitor's journey recognised), aligned with <paramref name="Events"/>; the store skips them. Null when none are.</param>
public sealed record WriteBatch(
    BatchContext Context, IReadOnlyList<EventRecord> Events, IReadOnlyList<string> SessionIds, IReadOnlyList<SessionSummary> Sessions,
    IReadOnlyList<bool>? Duplicates = null);

/// <summary>A stored event's id, the session it went to and when it was received.</summary>
public sealed record StoredEventId(string EventId, string Session, DateTimeOffset Received);

/// <summary>A stored session with its events, as restore needs them.</summary>
public sealed record StoredSession(SessionSummary Summary, IReadOnlyList<(BatchContext Context, EventRecord Event)> Events);

/// <summary>The store lags past its bound; the client should retry after <see cref="RetryAfter"/>.</summary>
public sealed class StoreOverloadedException(TimeSpan retryAfter) : Exception("The store is behind; retry later.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
