using System.ComponentModel.DataAnnotations;

namespace Waymark.Server.Apps;

/// <summary>An app that sends data to Waymark (section Waymark:Apps, a list).</summary>
public sealed class AppOptions
{
    [Required]
    public string Id { get; set; } = "";

    /// <summary>The public key that the agent and SDKs send; it identifies, it does not protect.</summary>
    [Required]
    public string IngestKey { get; set; } = "";

    /// <summary>The secret key for server-side events (never given to a browser).</summary>
    public string? ServerKey { get; set; }

    public string? Name { get; set; }

    /// <summary>Origins whose pages may send beacons from a browser; "*" for any.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>Query-string keys kept in stored URLs; all others are dropped.</summary>
    public List<string> AllowedQueryParams { get; set; } = [];

    /// <summary>The app's own masking rules (Waymark:Apps:N:MaskRules:M:Pattern / Replacement), after the built-in ones.</summary>
    public List<Waymark.Core.Enrichment.MaskRule> MaskRules { get; set; } = [];

    /// <summary>
    /// The consent a batch runs at when its client does not say (none, analytics or full); unset, such a batch is
    /// stored whole and rules treat its session at their own default. Set analytics where the clients cannot tell.
    /// </summary>
    public string? Consent { get; set; }

    /// <summary>Days the app's sessions and events are kept; 0 keeps them for ever. Applied daily.</summary>
    [Range(0, 36_500)] public int RetentionDays { get; set; }

    /// <summary>Hosts that are the app's own: a request to any other host is third-party.</summary>
    public List<string> FirstPartyHosts { get; set; } = [];

    /// <summary>Apdex T of page and screen loads, ms.</summary>
    [Range(1, 600_000)]
    public double ApdexViewMs { get; set; } = 3000;

    /// <summary>Apdex T of in-page actions, ms.</summary>
    [Range(1, 600_000)]
    public double ApdexActionMs { get; set; } = 1000;
}
