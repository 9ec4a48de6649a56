using Waymark.Core.Journeys;

namespace Waymark.Core.Rules;

/// <summary>Engine-wide options of <see cref="RulesLogic"/>; the per-app ones are in the rule document's settings.</summary>
public sealed class RulesOptions
{
    /// <summary>
    /// A session with no event for this long is over (definitions.md: 30
    /// minutes): an absence or idle wait due later than this after the
    /// session's last event does not fire.
    /// </summary>
    public TimeSpan SessionInactivity { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long after an absence or idle wait is over the deadline is asked
    /// for. The agent sends a batch every 5 s, so an awaited event that
    /// happened just before the wait ended may still be on its way; two flush
    /// intervals let it arrive and cancel the wait. Default 10 s.
    /// </summary>
    public TimeSpan DeadlineGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Open sessions a visitor's state follows at most (one per channel is usual). Default 8.</summary>
    public int MaxSessions { get; init; } = 8;
}

/// <summary>
/// Real-time journey rules as per-visitor logic: matches each app's rules
/// (sequences, absences, idle waits, thresholds, experience changes) against
/// the visitor's events, applies the restraint (caps, quiet period, priority,
/// consent, holdout) and emits one signal per match with its outcome.
/// </summary>
public sealed class RulesLogic : IJourneyLogic
{
    private readonly IReadOnlyDictionary<string, RuleSet> _byApp;

    /// <param name="rulesByApp">The parsed rule set of every app that has one.</param>
    /// <param name="options">Engine-wide options; null for the defaults.</param>
    /// <param name="stages">Tells the journey-map stage of a session; null when the apps have no journey map.</param>
    /// <param name="customers">Tells new/returning and customer tags; null when nothing beyond the session is known.</param>
    public RulesLogic(IReadOnlyDictionary<string, RuleSet> rulesByApp, RulesOptions? options = null, IStageProvider? stages = null, ICustomerFacts? customers = null)
    {
        ArgumentNullException.ThrowIfNull(rulesByApp);
        _byApp = rulesByApp;
        Options = options ?? new RulesOptions();
        Stages = stages;
        Customers = customers;
    }

    /// <summary>The logic's name, stored with its deadlines and signals: "rules".</summary>
    public string Name => "rules";

    internal RulesOptions Options { get; }
    internal IStageProvider? Stages { get; }
    internal ICustomerFacts? Customers { get; }

    /// <summary>A visitor's state, or null when the app has no enabled rule (the visitor then costs nothing).</summary>
    public IJourneyLogicState? Create(string app, string visitor) =>
        _byApp.TryGetValue(app, out var set) && set.Enabled.Length > 0 ? new RulesState(this, set, app, visitor) : null;
}
