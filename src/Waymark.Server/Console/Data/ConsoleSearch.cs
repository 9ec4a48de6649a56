using Waymark.Core.Sessions;

namespace Waymark.Server.Console.Data;

/// <summary>How the result list is ordered.</summary>
public enum SearchOrder
{
    /// <summary>Newest first.</summary>
    Recent,
    /// <summary>Frustrated sessions first, then tolerating, then satisfied; newest first within each.</summary>
    FrustratedFirst,
}

/// <summary>The console's session search: every filter of the find page. Null means "any".</summary>
public sealed partial record ConsoleSearch
{
    public string? App { get; init; }
    public string? Channel { get; init; }
    public string? Country { get; init; }
    public string? City { get; init; }
    public string? Device { get; init; }
    public string? Browser { get; init; }
    public string? AppVersion { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public Experience? Experience { get; init; }
    public bool? HasErrors { get; init; }
    public bool? Converted { get; init; }
    /// <summary>Only sessions still open that had an event at or after this time.</summary>
    public DateTimeOffset? ActiveSince { get; init; }
    public string? UserTag { get; init; }
    /// <summary>A customer's visitors and (shared-device) sessions: the session belongs to one of them.</summary>
    public IReadOnlyCollection<string>? Visitors { get; init; }
    public IReadOnlyCollection<string>? SessionIds { get; init; }
    public SearchOrder Order { get; init; }
    public int Limit { get; init; } = 50;
    public int Offset { get; init; }
}

/// <summary>The choices of the find page's filters, as the stored sessions have them.</summary>
public sealed record Facets(IReadOnlyList<string> Countries, IReadOnlyList<string> Cities, IReadOnlyList<string> Devices, IReadOnlyList<string> Browsers, IReadOnlyList<string> AppVersions)
{
    public static Facets Empty { get; } = new([], [], [], [], []);
}
