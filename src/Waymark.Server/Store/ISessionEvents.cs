using Waymark.Core.Sessions;

namespace Waymark.Server.Store;

/// <summary>
/// Sessions with their client events, in start order: the one read every
/// analysis (experience, funnels, paths, attribution, process mining) is
/// computed from, so both stores give the same answers by construction.
/// </summary>
public interface ISessionEvents
{
    /// <summary>
    /// The sessions of <see cref="SessionEventsQuery.App"/> that started in
    /// [From, To), oldest first, each with its client events in time order
    /// (every event once, whatever a retry did). Streams day by day, so a long
    /// range does not sit in memory at once.
    /// </summary>
    IAsyncEnumerable<SessionWithEvents> ReadSessionEventsAsync(SessionEventsQuery query, CancellationToken cancellationToken);
}

/// <param name="App">The app (required: an analysis is per app).</param>
/// <param name="From">Sessions that started at or after this time.</param>
/// <param name="To">Sessions that started before this time.</param>
/// <param name="Channel">Only this channel, when set.</param>
/// <param name="MaxSessions">At most this many sessions (the oldest first).</param>
public sealed record SessionEventsQuery(string App, DateTimeOffset From, DateTimeOffset To, string? Channel = null, int MaxSessions = 1_000_000);

public sealed record SessionWithEvents(SessionSummary Session, IReadOnlyList<StoredEvent> Events);
