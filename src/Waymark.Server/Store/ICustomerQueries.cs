using Waymark.Core.Sessions;

namespace Waymark.Server.Store;

/// <summary>One identity link: a key of a customer seen with a visitor (or a session of a shared device).</summary>
public sealed record LinkInfo(
    string Id, string Visitor, string? Session, string Channel, string Kind, string Key, string Source,
    DateTimeOffset At, DateTimeOffset? UndoneAt, string? UndoneReason);

/// <summary>A customer: the keys and links that make them one, and their sessions across channels.</summary>
public sealed record CustomerJourney(string Id, IReadOnlyList<LinkInfo> Links, IReadOnlyList<SessionSummary> Sessions);

/// <summary>The identity side of the store.</summary>
public interface ICustomerQueries
{
    /// <summary>The customer that a key belongs to, with every session of every linked visitor; null when no link names the key.</summary>
    Task<CustomerJourney?> GetCustomerAsync(string app, string kind, string key, CancellationToken cancellationToken);

    /// <summary>Undoes one link: its visitor's (or session's) sessions leave the customer. Null when there is no such link.</summary>
    Task<LinkInfo?> UndoLinkAsync(string app, string linkId, string? reason, DateTimeOffset at, CancellationToken cancellationToken);
}
