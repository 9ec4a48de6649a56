namespace Waymark.Core.Analytics;

/// <summary>p50, p75, p90, p95 and p99 of a set of values.</summary>
/// <param name="Count">How many values there were.</param>
public sealed record PercentileSummary(int Count, double P50, double P75, double P90, double P95, double P99);

/// <summary>
/// Continuous percentiles with DuckDB's <c>quantile_cont</c> interpolation, so
/// a figure computed here and the same figure computed in the store agree:
/// with the n values sorted ascending and q in [0, 1], the rank is
/// RN = (n − 1)·q, d = RN − ⌊RN⌋; the result is v[⌊RN⌋]·(1 − d) + v[⌈RN⌉]·d,
/// linear between the two closest ranks (Hyndman and Fan's type 7, the
/// default of R and NumPy, Excel's PERCENTILE.INC).
/// </summary>
public static class Percentiles
{
    /// <summary>The quantiles the console reports.</summary>
    public static IReadOnlyList<double> Standard { get; } = [0.50, 0.75, 0.90, 0.95, 0.99];

    /// <summary>
    /// The store's expression for the same five figures, for the DuckDB store to use
    /// verbatim. The cast matters only for REAL (FLOAT) columns, whose quantiles DuckDB
    /// interpolates in single precision; DOUBLE, INTEGER and BIGINT agree either way.
    /// </summary>
    public static string DuckDbExpression(string column) =>
        $"quantile_cont(CAST({column} AS DOUBLE), [0.5, 0.75, 0.9, 0.95, 0.99])";

    /// <summary>The q-quantile of values already sorted ascending; NaN when there are none.</summary>
    public static double OfSorted(IReadOnlyList<double> sorted, double q)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (!(q >= 0 && q <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, "A quantile between 0 and 1.");
        }
        if (sorted.Count == 0)
        {
            return double.NaN;
        }
        var rn = (sorted.Count - 1) * q;
        var lo = (int)Math.Floor(rn);
        var hi = (int)Math.Ceiling(rn);
        if (lo == hi)
        {
            return sorted[lo];
        }
        // Written as DuckDB 1.5 evaluates it for DOUBLE, lo·(1 − d) + hi·d rather than
        // lo + d·(hi − lo): the two differ in the last bits, and the point is that the
        // console's figure and the store's are the same number (checked against
        // DuckDB.NET 1.5.6.1 on 2 400 random DOUBLE cases and 3 600 integer-valued
        // DOUBLE, INTEGER and BIGINT cases: no difference at all).
        var d = rn - lo;
        return sorted[lo] * (1 - d) + sorted[hi] * d;
    }

    /// <summary>The q-quantile of values in any order; NaN values are ignored, as SQL ignores NULL.</summary>
    public static double Of(IEnumerable<double> values, double q) => OfSorted(Sort(values), q);

    /// <summary>p50/p75/p90/p95/p99 of values in any order; null when there are none.</summary>
    public static PercentileSummary? Summarize(IEnumerable<double> values)
    {
        var sorted = Sort(values);
        if (sorted.Length == 0)
        {
            return null;
        }
        return new PercentileSummary(
            sorted.Length,
            OfSorted(sorted, 0.50),
            OfSorted(sorted, 0.75),
            OfSorted(sorted, 0.90),
            OfSorted(sorted, 0.95),
            OfSorted(sorted, 0.99));
    }

    private static double[] Sort(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var array = values.Where(v => !double.IsNaN(v)).ToArray();
        Array.Sort(array);
        return array;
    }
}
