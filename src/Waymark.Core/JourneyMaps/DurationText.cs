using Waymark.Core.Rules;

namespace Waymark.Core.JourneyMaps;

/// <summary>Durations as rules, maps and the query API write them: 500ms, 30s, 10m, 2h, 1d, 1h30m.</summary>
public static class DurationText
{
    /// <summary>Parses number-unit pairs (ms, s, m, h, d); false for anything else or beyond ten years.</summary>
    public static bool TryParse(string? text, out TimeSpan value) => RuleReader.TryDuration(text, out value);

    /// <summary>The shortest text that parses back to the duration (to the millisecond).</summary>
    public static string Format(TimeSpan value) => JourneyMapWriter.FormatDuration(value);
}
