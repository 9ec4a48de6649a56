using System.ComponentModel.DataAnnotations;

namespace Waymark.Server.Console;

/// <summary>Options of the console (section Waymark:Console).</summary>
public sealed class ConsoleOptions
{
    /// <summary>The time zone the console shows times in (an IANA id such as Europe/Amsterdam); empty for the server's.</summary>
    public string? TimeZone { get; set; }

    /// <summary>
    /// A live page ("active now", an open session or customer) reloads when its
    /// journeys change; changes that come within this many milliseconds reload it once.
    /// </summary>
    [Range(10, 10_000)]
    public int LiveCoalesceMs { get; set; } = 200;

    /// <summary>Sessions per page of the search results.</summary>
    [Range(10, 500)]
    public int PageSize { get; set; } = 50;

    /// <summary>Longest note an operator can attach to a session, characters.</summary>
    [Range(10, 100_000)]
    public int MaxNoteLength { get; set; } = 2000;

    /// <summary>Where a web vital turns from good to needs improvement to poor.</summary>
    public Data.VitalThresholds Vitals { get; set; } = new();
}
