using Waymark.Core.Analytics;

namespace Waymark.Core.Funnels;

/// <summary>Options of <see cref="DropReasons"/>.</summary>
public sealed class DropReasonOptions
{
    /// <summary>A feature is reported only if at least this many dropped cases have it.</summary>
    public int MinSupport { get; set; } = 5;
    /// <summary>Confidence of the odds ratio's interval.</summary>
    public double Confidence { get; set; } = 0.95;
    /// <summary>At most this many features are returned.</summary>
    public int MaxFeatures { get; set; } = 50;
}

/// <summary>A feature over-represented among the cases that dropped at a step.</summary>
/// <param name="Feature">The feature (an event name, an error fingerprint, a slow host, a property value…).</param>
/// <param name="DroppedWith">Dropped cases with the feature.</param>
/// <param name="Dropped">All dropped cases.</param>
/// <param name="WentOnWith">Cases that went on with the feature.</param>
/// <param name="WentOn">All cases that went on.</param>
/// <param name="OddsRatio">The Haldane–Anscombe odds ratio of dropping with against without the feature.</param>
/// <param name="Lower">The lower end of its interval: the ranking key.</param>
/// <param name="Upper">The upper end.</param>
public sealed record DropFeature(string Feature, int DroppedWith, int Dropped, int WentOnWith, int WentOn, double OddsRatio, double Lower, double Upper)
{
    /// <summary>Share of dropped cases with the feature.</summary>
    public double DroppedShare => Dropped == 0 ? 0 : (double)DroppedWith / Dropped;
    /// <summary>Share of cases that went on with the feature.</summary>
    public double WentOnShare => WentOn == 0 ? 0 : (double)WentOnWith / WentOn;
}

/// <summary>
/// "Why they dropped" at step i: the features over-represented among cases
/// whose furthest step is i against cases that went on from i. With a = dropped
/// with the feature, b = dropped without, c = went on with, d = went on without,
/// the odds ratio is Haldane and Anscombe's ((a + ½)(d + ½)) / ((b + ½)(c + ½)),
/// finite even when a cell is 0, and its interval is Woolf's,
/// exp(ln OR ± z·√(1/(a + ½) + 1/(b + ½) + 1/(c + ½) + 1/(d + ½))). Features
/// are ranked by the interval's lower end, so that three dropped cases and no
/// others (odds ratio 71.8, lower end 3.7) rank below forty dropped cases
/// against fifty of a thousand (odds ratio 12.6, lower end 7.7): small counts
/// have wide intervals and do not dominate. Only features with an odds ratio
/// above 1 and at least <see cref="DropReasonOptions.MinSupport"/> dropped
/// cases are listed.
/// </summary>
public static class DropReasons
{
    /// <summary>The over-represented features at a step, best first.</summary>
    /// <param name="results">The funnel results of the cases.</param>
    /// <param name="step">The 0-based step; not the last.</param>
    /// <param name="features">Each case's feature set, by case id; a case not in it has none.</param>
    /// <param name="options">Thresholds.</param>
    public static IReadOnlyList<DropFeature> Analyze(
        IEnumerable<FunnelCaseResult> results,
        int step,
        IReadOnlyDictionary<string, IReadOnlyCollection<string>> features,
        DropReasonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        var o = options ?? new DropReasonOptions();
        var z = Normal.TwoSidedCritical(o.Confidence);
        int dropped = 0, wentOn = 0;
        var counts = new Dictionary<string, (int Dropped, int WentOn)>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in results)
        {
            if (r.FurthestStep < step || step >= r.StepTimes.Count - 1)
            {
                continue;
            }
            var isDropped = r.FurthestStep == step;
            if (isDropped)
            {
                dropped++;
            }
            else
            {
                wentOn++;
            }
            seen.Clear();
            foreach (var f in features.GetValueOrDefault(r.CaseId) ?? [])
            {
                if (seen.Add(f))
                {
                    var (cd, cw) = counts.GetValueOrDefault(f);
                    counts[f] = isDropped ? (cd + 1, cw) : (cd, cw + 1);
                }
            }
        }
        var list = new List<DropFeature>();
        foreach (var (feature, (a, c)) in counts)
        {
            if (a < o.MinSupport)
            {
                continue;
            }
            double a5 = a + 0.5, b5 = dropped - a + 0.5, c5 = c + 0.5, d5 = wentOn - c + 0.5;
            var logOr = Math.Log(a5 * d5 / (b5 * c5));
            if (logOr <= 0)
            {
                continue;
            }
            var se = Math.Sqrt(1 / a5 + 1 / b5 + 1 / c5 + 1 / d5);
            list.Add(new DropFeature(feature, a, dropped, c, wentOn, Math.Exp(logOr), Math.Exp(logOr - z * se), Math.Exp(logOr + z * se)));
        }
        return list
            .OrderByDescending(f => f.Lower)
            .ThenByDescending(f => f.DroppedWith)
            .ThenBy(f => f.Feature, StringComparer.Ordinal)
            .Take(o.MaxFeatures)
            .ToList();
    }
}
