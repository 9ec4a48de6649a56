namespace Waymark.Core.Rules;

/// <summary>Why a rule document was refused, and where.</summary>
/// <param name="Line">1-based line of the offending node.</param>
/// <param name="Column">1-based column of the offending node.</param>
/// <param name="Path">Where in the document, e.g. <c>rules[2].pattern.steps[1].within</c>; empty for the document itself.</param>
/// <param name="Message">What is wrong and how to put it right.</param>
public sealed record RuleError(int Line, int Column, string Path, string Message)
{
    /// <summary>"line:column path: message", the form the console and the API show.</summary>
    public override string ToString() =>
        Path.Length == 0 ? $"{Line}:{Column}: {Message}" : $"{Line}:{Column} {Path}: {Message}";
}

/// <summary>The outcome of parsing a rule document: the rule set, or every error found.</summary>
public sealed class RuleParseResult
{
    internal RuleParseResult(RuleSet? rules, IReadOnlyList<RuleError> errors)
    {
        Rules = rules;
        Errors = errors;
    }

    /// <summary>The parsed rules; null when there is any error (a document is taken whole or not at all).</summary>
    public RuleSet? Rules { get; }

    /// <summary>Every error, in document order.</summary>
    public IReadOnlyList<RuleError> Errors { get; }

    /// <summary>True when the document was accepted.</summary>
    public bool Ok => Rules is not null;
}

/// <summary>
/// The names the caller knows, against which a rule document is checked: a
/// rule naming a stage, template, widget, webhook target or tag outside a
/// declared set is refused. A set left null is not checked.
/// </summary>
public sealed class RuleCatalog
{
    /// <summary>Journey-map stage names (what <see cref="IStageProvider"/> answers).</summary>
    public IReadOnlySet<string>? Stages { get; init; }

    /// <summary>E-mail template names.</summary>
    public IReadOnlySet<string>? Templates { get; init; }

    /// <summary>In-page widget ids.</summary>
    public IReadOnlySet<string>? Widgets { get; init; }

    /// <summary>Webhook target names.</summary>
    public IReadOnlySet<string>? WebhookTargets { get; init; }

    /// <summary>Customer tags (what <see cref="ICustomerFacts.HasTag"/> knows).</summary>
    public IReadOnlySet<string>? Tags { get; init; }

    /// <summary>Checks nothing beyond the schema.</summary>
    public static RuleCatalog Open { get; } = new();
}
