namespace Waymark.Server.Console.Data;

/// <summary>Thresholds of the web vitals (Google's web-vitals; definitions.md for LCP, INP and CLS).</summary>
public sealed class VitalThresholds
{
    public double LcpGoodMs { get; set; } = 2500;
    public double LcpPoorMs { get; set; } = 4000;
    public double InpGoodMs { get; set; } = 200;
    public double InpPoorMs { get; set; } = 500;
    public double ClsGood { get; set; } = 0.1;
    public double ClsPoor { get; set; } = 0.25;
    public double FcpGoodMs { get; set; } = 1800;
    public double FcpPoorMs { get; set; } = 3000;
    public double TtfbGoodMs { get; set; } = 800;
    public double TtfbPoorMs { get; set; } = 1800;

    /// <summary>The good and poor limits of a vital, or null for one without thresholds.</summary>
    public (double Good, double Poor)? For(string? name) => name?.ToUpperInvariant() switch
    {
        "LCP" => (LcpGoodMs, LcpPoorMs),
        "INP" => (InpGoodMs, InpPoorMs),
        "CLS" => (ClsGood, ClsPoor),
        "FCP" => (FcpGoodMs, FcpPoorMs),
        "TTFB" => (TtfbGoodMs, TtfbPoorMs),
        _ => null,
    };

    /// <summary>good (≤ good), poor (&gt; poor), needs-improvement between; null when the vital has no thresholds.</summary>
    public string? Rate(string? name, double value) => For(name) is not { } t ? null
        : value <= t.Good ? "good"
        : value > t.Poor ? "poor"
        : "needs-improvement";

    public static string Label(string? rating) => rating switch
    {
        "good" => "good",
        "poor" => "poor",
        "needs-improvement" => "needs improvement",
        _ => "",
    };

    /// <summary>CLS has no unit; the others are milliseconds.</summary>
    public static string Format(string? name, double value) =>
        string.Equals(name, "CLS", StringComparison.OrdinalIgnoreCase)
            ? value.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)
            : Fmt.Ms(value);
}
