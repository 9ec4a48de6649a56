using Waymark.Core.Sessions;

namespace Waymark.Server.Store;

/// <summary>One identity link: a key of a customer seen with a visitor (or a session of a shared device).</summary>
public sealed record LinkInfo(
    string Id, string Visitor, string? Session, string Channel, string Kind, string Key, string Source,
    DateTimeOffset At, DateTimeOffset? UndoneAt, string? UndoneReason);

/// <summary>A customer: the keys and links that make them one, and their sessions across channels.</summary>
public sealed record CustomerJourney(string Id, IReadOnlyList<LinkInfo> Links, IReadOnlyList<SessionSummary> Sessions);

/// <summary>
/// Which visitors are one customer. Links are derived from identify events
/// and user tags in the event log; undoing one keeps it, marked.
/// </summary>
public interface IIdentityLinks
{
    /// <summary>The customer that a key belongs to, with every session of every linked visitor; null when no link names the key.</summary>
    Task<CustomerJourney?> GetCustomerAsync(string app, string kind, string key, CancellationToken cancellationToken);

    /// <summary>Undoes one link: its visitor's (or session's) sessions leave the customer. Null when there is no such link.</summary>
    Task<LinkInfo?> UndoLinkAsync(string app, string linkId, string? reason, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The key of the customer a session belongs to though it names no user: an active link of its visitor, or of the session itself on a shared device.</summary>
    Task<(string Kind, string Key)?> LinkOfAsync(string app, string visitor, string sessionId, CancellationToken cancellationToken);
}
