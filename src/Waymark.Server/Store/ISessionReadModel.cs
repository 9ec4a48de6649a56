using Waymark.Core.Sessions;

namespace Waymark.Server.Store;

/// <summary>
/// The sessions as the journeys summarised them, for the query API and the
/// console. A query sees every append that was acknowledged before it began,
/// on whichever node it runs.
/// </summary>
public interface ISessionReadModel
{
    /// <summary>One page of the sessions that match, and how many match in all.</summary>
    Task<(IReadOnlyList<SessionSummary> Sessions, long Total)> QueryAsync(SessionQuery query, CancellationToken cancellationToken);

    /// <summary>One session by id (in one app, or any when <paramref name="app"/> is null).</summary>
    Task<SessionSummary?> GetAsync(string? app, string sessionId, CancellationToken cancellationToken);

    /// <summary>A session's events (not its system facts) in time order.</summary>
    Task<IReadOnlyList<StoredEvent>> GetTimelineAsync(SessionSummary session, CancellationToken cancellationToken);

    /// <summary>The countries, cities, devices, browsers and app versions the sessions of an app (or all) have.</summary>
    Task<Facets> FacetsAsync(string? app, CancellationToken cancellationToken);

    /// <summary>How many events the store holds (of one app, or all).</summary>
    Task<long> CountEventsAsync(string? app, CancellationToken cancellationToken);
}
