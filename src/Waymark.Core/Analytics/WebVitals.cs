namespace Waymark.Core.Analytics;

/// <summary>The Core Web Vitals that definitions.md rates.</summary>
public enum VitalMetric : byte
{
    /// <summary>Largest Contentful Paint, milliseconds.</summary>
    Lcp = 1,
    /// <summary>Interaction to Next Paint, milliseconds.</summary>
    Inp = 2,
    /// <summary>Cumulative Layout Shift, unitless.</summary>
    Cls = 3,
}

/// <summary>Google's three-way rating of a vital.</summary>
public enum VitalRating : byte
{
    Good = 0,
    NeedsImprovement = 1,
    Poor = 2,
}

/// <summary>
/// The rating thresholds (definitions.md, "Core Web Vitals", Google's
/// <c>web-vitals</c> values): good at or below <c>Good</c>, poor above <c>Poor</c>.
/// </summary>
public sealed class VitalThresholds
{
    public double LcpGoodMs { get; set; } = 2500;
    public double LcpPoorMs { get; set; } = 4000;
    public double InpGoodMs { get; set; } = 200;
    public double InpPoorMs { get; set; } = 500;
    public double ClsGood { get; set; } = 0.1;
    public double ClsPoor { get; set; } = 0.25;
}

/// <summary>The p75 of one vital and how its measurements split into the three ratings.</summary>
/// <param name="Metric">The vital.</param>
/// <param name="Count">Measurements summarised.</param>
/// <param name="P75">The 75th percentile (DuckDB's quantile_cont interpolation).</param>
/// <param name="Rating">The rating of the p75: the figure Google reports for a page.</param>
/// <param name="GoodShare">Share of measurements rated good, 0…1.</param>
/// <param name="NeedsImprovementShare">Share rated needs improvement.</param>
/// <param name="PoorShare">Share rated poor.</param>
public sealed record VitalSummary(
    VitalMetric Metric,
    int Count,
    double P75,
    VitalRating Rating,
    double GoodShare,
    double NeedsImprovementShare,
    double PoorShare);

/// <summary>Core Web Vitals ratings and their p75 summary.</summary>
public static class WebVitals
{
    private static readonly VitalThresholds s_defaults = new();

    /// <summary>Parses the names the web-vitals library sends (LCP, INP, CLS, any case); false for others.</summary>
    public static bool TryParse(string? name, out VitalMetric metric)
    {
        switch (name?.ToUpperInvariant())
        {
            case "LCP": metric = VitalMetric.Lcp; return true;
            case "INP": metric = VitalMetric.Inp; return true;
            case "CLS": metric = VitalMetric.Cls; return true;
            default: metric = default; return false;
        }
    }

    /// <summary>Good when value ≤ the good threshold, poor when value &gt; the poor threshold, else needs improvement.</summary>
    public static VitalRating Rate(VitalMetric metric, double value, VitalThresholds? thresholds = null)
    {
        var t = thresholds ?? s_defaults;
        var (good, poor) = metric switch
        {
            VitalMetric.Lcp => (t.LcpGoodMs, t.LcpPoorMs),
            VitalMetric.Inp => (t.InpGoodMs, t.InpPoorMs),
            VitalMetric.Cls => (t.ClsGood, t.ClsPoor),
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Not a rated vital."),
        };
        if (value <= good)
        {
            return VitalRating.Good;
        }
        return value > poor ? VitalRating.Poor : VitalRating.NeedsImprovement;
    }

    /// <summary>
    /// The p75 and the rating shares of one vital's measurements; null when there
    /// are none. Call it per device class: definitions.md reports mobile and
    /// desktop separately, and mixing them hides a slow phone behind fast desktops.
    /// </summary>
    public static VitalSummary? Summarize(VitalMetric metric, IEnumerable<double> values, VitalThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }
        int good = 0, ni = 0, poor = 0;
        foreach (var v in sorted)
        {
            switch (Rate(metric, v, thresholds))
            {
                case VitalRating.Good: good++; break;
                case VitalRating.NeedsImprovement: ni++; break;
                default: poor++; break;
            }
        }
        var p75 = Percentiles.OfSorted(sorted, 0.75);
        double n = sorted.Length;
        return new VitalSummary(metric, sorted.Length, p75, Rate(metric, p75, thresholds), good / n, ni / n, poor / n);
    }
}
