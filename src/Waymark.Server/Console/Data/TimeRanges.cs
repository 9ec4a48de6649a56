namespace Waymark.Server.Console.Data;

/// <summary>The time ranges the console offers, by the short names its URLs carry.</summary>
public static class TimeRanges
{
    public static readonly IReadOnlyList<(string Key, string Label)> All =
    [
        ("1h", "Last hour"), ("24h", "Last 24 hours"), ("7d", "Last 7 days"), ("30d", "Last 30 days"), ("all", "Any time"),
    ];

    /// <summary>The start of a range ending now; null for "all" or an unknown name.</summary>
    public static DateTimeOffset? From(string? key, DateTimeOffset now) => key switch
    {
        "1h" => now.AddHours(-1),
        "24h" => now.AddHours(-24),
        "7d" => now.AddDays(-7),
        "30d" => now.AddDays(-30),
        _ => null,
    };

    public static string Label(string? key) => All.FirstOrDefault(r => r.Key == key).Label ?? "Any time";
}
