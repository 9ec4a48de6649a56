namespace Waymark.Core.Rules;

/// <summary>What a customer consented to, in increasing order.</summary>
public enum ConsentLevel : byte
{
    /// <summary>"none": nothing beyond what is strictly needed.</summary>
    None = 0,
    /// <summary>"analytics": measurement, no acting on the person.</summary>
    Analytics = 1,
    /// <summary>"full": measurement and personal interventions.</summary>
    Full = 2,
}

/// <summary>Wire names of <see cref="ConsentLevel"/>, as <see cref="Sessions.SessionSummary.Consent"/> carries them.</summary>
public static class ConsentLevels
{
    /// <summary>"full", "analytics" or "none".</summary>
    public static string Name(ConsentLevel level) => level switch
    {
        ConsentLevel.Full => "full",
        ConsentLevel.Analytics => "analytics",
        _ => "none",
    };

    /// <summary>Parses a wire name; false for anything else, including null.</summary>
    public static bool TryParse(string? name, out ConsentLevel level)
    {
        switch (name)
        {
            case "full": level = ConsentLevel.Full; return true;
            case "analytics": level = ConsentLevel.Analytics; return true;
            case "none": level = ConsentLevel.None; return true;
            default: level = default; return false;
        }
    }
}

/// <summary>The app-wide settings of a rule document (its <c>settings</c> section).</summary>
public sealed class RuleSettings
{
    /// <summary>The zone a day starts in, for per-day caps. Default UTC.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>What a session that did not say its consent (null) is treated as. Default analytics.</summary>
    public ConsentLevel ConsentDefault { get; init; } = ConsentLevel.Analytics;

    /// <summary>No rule of the app fires for a customer within this time of the last firing. Default none.</summary>
    public TimeSpan QuietPeriod { get; init; }

    /// <summary>The holdout share of a rule that does not set its own. Default 10 %.</summary>
    public double Holdout { get; init; } = 0.10;

    /// <summary>Partial matches kept per rule and session at most. Default 8.</summary>
    public int MaxPartialMatches { get; init; } = 8;
}

/// <summary>The parsed, checked rules of one app.</summary>
public sealed class RuleSet
{
    internal RuleSet(RuleSettings settings, IReadOnlyList<Rule> rules)
    {
        Settings = settings;
        Rules = rules;
        Enabled = [.. rules.Where(r => r.Enabled)];
        AnyDayCap = Enabled.Any(r => r.Caps.PerDay is not null);
    }

    /// <summary>App-wide settings.</summary>
    public RuleSettings Settings { get; }

    /// <summary>Every rule, in document order.</summary>
    public IReadOnlyList<Rule> Rules { get; }

    /// <summary>The rules that run, in document order; their index is the rule's slot in a visitor's state.</summary>
    internal Rule[] Enabled { get; }

    internal bool AnyDayCap { get; }

    /// <summary>
    /// Parses a rule document (YAML, or JSON through the same parser) and checks
    /// it against the schema and the names <paramref name="catalog"/> declares.
    /// </summary>
    public static RuleParseResult Parse(string text, RuleCatalog? catalog = null) => RuleReader.Read(text, catalog ?? RuleCatalog.Open);
}

/// <summary>Frequency caps of one rule per customer.</summary>
/// <param name="PerSession">Firings per session at most; null for no cap.</param>
/// <param name="PerDay">Firings per day (in <see cref="RuleSettings.TimeZone"/>) at most; null for no cap.</param>
public sealed record RuleCaps(int? PerSession, int? PerDay)
{
    /// <summary>No caps.</summary>
    public static RuleCaps None { get; } = new(null, null);
}

/// <summary>Something a rule does when it fires, as declared in the document.</summary>
/// <param name="Type">widget, webhook, email or alert.</param>
/// <param name="Params">The declared parameters (widget id and message, webhook target, template and recipient, alert text...).</param>
/// <param name="Consent">The consent this action needs of the customer.</param>
public sealed record RuleAction(string Type, IReadOnlyDictionary<string, string> Params, ConsentLevel Consent);

/// <summary>One rule: when it matches (pattern and conditions), what it does, and its restraint.</summary>
public sealed class Rule
{
    /// <summary>Unique within the app; the signal's name.</summary>
    public required string Id { get; init; }
    /// <summary>Bumped by the author when the meaning changes; carried on every signal.</summary>
    public int Version { get; init; } = 1;
    /// <summary>Free text for people.</summary>
    public string? Description { get; init; }
    /// <summary>A disabled rule is parsed and checked but does not run.</summary>
    public bool Enabled { get; init; } = true;
    /// <summary>Higher wins when several rules match the same input.</summary>
    public int Priority { get; init; }
    /// <summary>Share of customers held out (matched, not acted on), 0…1.</summary>
    public double Holdout { get; init; }
    /// <summary>Frequency caps.</summary>
    public RuleCaps Caps { get; init; } = RuleCaps.None;
    /// <summary>How long after a match a conversion is credited to it (for uplift).</summary>
    public TimeSpan AttributionWindow { get; init; } = TimeSpan.FromHours(24);
    /// <summary>What the rule does.</summary>
    public IReadOnlyList<RuleAction> Actions { get; init; } = [];
    /// <summary>sequence, count or experience.</summary>
    public string PatternKind => Pattern.Kind;
    /// <summary>The highest consent any of its actions needs.</summary>
    public ConsentLevel RequiredConsent { get; init; }
    /// <summary>Line of the rule in its document.</summary>
    public int Line { get; init; }

    internal RulePattern Pattern { get; init; } = null!;
    internal RuleConditions Conditions { get; init; } = RuleConditions.Always;
    /// <summary>The actions as a JSON array, written once at parse time and copied into every signal.</summary>
    internal string ActionsJson { get; init; } = "[]";
}
