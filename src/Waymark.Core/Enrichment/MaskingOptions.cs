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
}
