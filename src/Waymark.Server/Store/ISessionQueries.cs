using Waymark.Core.Sessions;

namespace Waymark.Server.Store;

/// <summary>Filters of the session list. Null means "any".</summary>
public sealed record SessionFilter
{
    public string? App { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public string? Channel { get; init; }
    public string? UserTag { get; init; }
    public string? Visitor { get; init; }
    public string? Country { get; init; }
    public string? DeviceClass { get; init; }
    public bool? HasErrors { get; init; }
    public bool? Converted { get; init; }
    public Experience? Experience { get; init; }
    /// <summary>Sessions with an event received at or after this time.</summary>
    public DateTimeOffset? ActiveSince { get; init; }
    public int Limit { get; init; } = 100;
    public int Offset { get; init; }
}

/// <summary>The read side of the store that the query API uses.</summary>
public interface ISessionQueries
{
    Task<(IReadOnlyList<SessionSummary> Sessions, long Total)> QuerySessionsAsync(SessionFilter filter, CancellationToken cancellationToken);
    Task<SessionSummary?> GetSessionAsync(string? app, string sessionId, CancellationToken cancellationToken);
    Task<IReadOnlyList<StoredEvent>> GetTimelineAsync(SessionSummary session, CancellationToken cancellationToken);
    Task<long> CountEventsAsync(string? app, CancellationToken cancellationToken);
}
