namespace Waymark.Core.Enrichment;

/// <summary>What <see cref="Masker"/> lets through.</summary>
public sealed class MaskingOptions
{
    /// <summary>
    /// Query parameters kept in URLs, compared case-insensitively; every other one is
    /// dropped. Empty by default: a query string often carries tokens, e-mails and
    /// search terms, so an app opts in to the ones it needs (e.g. utm_source).
    /// </summary>
    public List<string> AllowedQueryKeys { get; set; } = [];

    /// <summary>The app's own masking rules, applied after the built-in ones to URLs, messages, element text and custom properties.</summary>
    public List<MaskRule> Rules { get; set; } = [];
}

/// <summary>An app's masking rule: a .NET regular expression and what replaces each match (e.g. "BK-[0-9]{6}" → "[booking]").</summary>
public sealed class MaskRule
{
    public string Pattern { get; set; } = "";

    public string Replacement { get; set; } = "[masked]";
}
