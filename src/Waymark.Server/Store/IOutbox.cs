namespace Waymark.Server.Store;

/// <summary>
/// An action to take for a firing (a webhook to post, a mail to send), kept
/// until it is done. <see cref="Id"/> is the idempotency key the receiver sees
/// on every attempt.
/// </summary>
/// <param name="Id">Stable for the firing and action: <c>msg_</c> + firing id + action index.</param>
/// <param name="Action">The action's index in the rule.</param>
/// <param name="Type">webhook or email.</param>
/// <param name="Payload">What the dispatcher needs, as JSON (the action's parameters and the journey context).</param>
/// <param name="Due">Not before this time.</param>
/// <param name="Attempts">Attempts made so far.</param>
/// <param name="State">pending, done or abandoned.</param>
public sealed record OutboxItem(
    string Id, string App, string Rule, string FiringId, int Action, string Type, string Payload, DateTimeOffset Due,
    int Attempts = 0, string? LastError = null, string State = OutboxStates.Pending);

/// <summary>The states of an <see cref="OutboxItem"/>.</summary>
public static class OutboxStates
{
    public const string Pending = "pending";
    public const string Done = "done";
    public const string Abandoned = "abandoned";
}

/// <summary>
/// The durable outbox of rule actions. A match writes its firings and their
/// actions in one call; dispatchers on any node claim due items for a lease,
/// and complete, retry (with a later due time) or abandon them. Delivery is
/// at least once: an item whose lease runs out unfinished (its node died) is
/// claimed again.
/// </summary>
public interface IOutbox
{
    /// <summary>
    /// Writes firings (to the history) and the actions they call for (to the
    /// outbox) in one write. Writing the same ids again changes nothing.
    /// </summary>
    Task EnqueueAsync(IReadOnlyList<RuleFiring> firings, IReadOnlyList<OutboxItem> items, CancellationToken cancellationToken);

    /// <summary>Claims up to <paramref name="limit"/> pending items due at <paramref name="now"/> and not under another's lease, for <paramref name="lease"/>.</summary>
    Task<IReadOnlyList<OutboxItem>> ClaimAsync(string owner, DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken);

    /// <summary>The item was delivered.</summary>
    Task CompleteAsync(OutboxItem item, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The attempt failed: one more attempt counted, tried again at <paramref name="due"/>.</summary>
    Task RetryAsync(OutboxItem item, DateTimeOffset due, string error, CancellationToken cancellationToken);

    /// <summary>No more attempts: the item stays, abandoned, with the error.</summary>
    Task AbandonAsync(OutboxItem item, DateTimeOffset at, string error, CancellationToken cancellationToken);

    /// <summary>One item, or null.</summary>
    Task<OutboxItem?> GetOutboxItemAsync(string app, string id, CancellationToken cancellationToken);

    /// <summary>Items of an app not done yet (pending or abandoned), oldest due first.</summary>
    Task<IReadOnlyList<OutboxItem>> ListOutboxAsync(string app, int limit, CancellationToken cancellationToken);
}
