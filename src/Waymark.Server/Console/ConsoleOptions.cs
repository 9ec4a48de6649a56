using System.ComponentModel.DataAnnotations;

namespace Waymark.Server.Console;

/// <summary>Options of the console (section Waymark:Console).</summary>
public sealed class ConsoleOptions
{
    /// <summary>The time zone the console shows times in (an IANA id such as Europe/Amsterdam); empty for the server's.</summary>
    public string? TimeZone { get; set; }

    /// <summary>How often a live list ("active now") and a live session reload, seconds.</summary>
    [Range(1, 300)]
    public int LiveRefreshSeconds { get; set; } = 3;

    /// <summary>Sessions per page of the search results.</summary>
    [Range(10, 500)]
    public int PageSize { get; set; } = 50;

    /// <summary>How long the filter choices (countries, browsers, versions) are kept before they are read again, seconds.</summary>
    [Range(0, 3600)]
    public int FacetCacheSeconds { get; set; } = 60;

    /// <summary>Longest note an operator can attach to a session, characters.</summary>
    [Range(10, 100_000)]
    public int MaxNoteLength { get; set; } = 2000;

    /// <summary>Where a web vital turns from good to needs improvement to poor.</summary>
    public Data.VitalThresholds Vitals { get; set; } = new();
}
