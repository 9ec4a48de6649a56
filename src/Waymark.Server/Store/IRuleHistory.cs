namespace Waymark.Server.Store;

/// <summary>
/// One match of a rule for a customer, with what restraint decided: fired,
/// held-out, capped, suppressed or no-consent (with the reason).
/// </summary>
/// <param name="FiringId">Stable: the same match made again (a replayed step, a retried beacon) has the same id.</param>
/// <param name="Props">The signal's JSON object (docs/rules.md, "The signal").</param>
public sealed record RuleFiring(
    string FiringId, string App, string Rule, int RuleVersion, string Visitor, string Customer, string Session, string Channel,
    string Outcome, string Reason, DateTimeOffset At, string Props);

/// <summary>
/// What happened to a firing later: an action delivered, failed (with the
/// error), given up; the in-page offer shown, accepted or dismissed by the customer.
/// </summary>
/// <param name="Kind">delivered, failed, abandoned, shown, accepted, dismissed.</param>
/// <param name="Action">The action's index in the rule, or -1 for the firing as a whole.</param>
/// <param name="Detail">The action type and target, an error message, the attempt.</param>
public sealed record RuleFiringEvent(string FiringId, string App, string Rule, string Kind, int Action, DateTimeOffset At, string? Detail);

/// <summary>Which firings to list.</summary>
public sealed record RuleFiringQuery(string App, string? Rule = null, DateTimeOffset? From = null, DateTimeOffset? To = null, string? Customer = null, int Limit = 200);

/// <summary>
/// The history of every firing of every rule. Firings are written by
/// <see cref="IOutbox.EnqueueAsync"/> together with their actions; what
/// happened to them later is appended here.
/// </summary>
public interface IRuleHistory
{
    /// <summary>Firings, newest first.</summary>
    Task<IReadOnlyList<RuleFiring>> ListFiringsAsync(RuleFiringQuery query, CancellationToken cancellationToken);

    /// <summary>One firing, or null.</summary>
    Task<RuleFiring?> GetFiringAsync(string app, string firingId, CancellationToken cancellationToken);

    /// <summary>Appends what happened to a firing.</summary>
    Task RecordFiringEventAsync(RuleFiringEvent e, CancellationToken cancellationToken);

    /// <summary>What happened to the given firings, in time order.</summary>
    Task<IReadOnlyList<RuleFiringEvent>> ListFiringEventsAsync(string app, IReadOnlyCollection<string> firingIds, CancellationToken cancellationToken);
}
