using Waymark.Core.Analytics;

namespace Waymark.Core.Tests.Analytics;

public sealed class PercentilesTests
{
    [Fact]
    public void Of_FiveValues_InterpolatesBetweenClosestRanks()
    {
        double[] v = [50, 10, 40, 20, 30];
        // sorted 10 20 30 40 50, n − 1 = 4
        Assert.Equal(30, Percentiles.Of(v, 0.50));        // RN = 2 → v[2]
        Assert.Equal(40, Percentiles.Of(v, 0.75));        // RN = 3 → v[3]
        Assert.Equal(46, Percentiles.Of(v, 0.90), 1e-12); // RN = 3.6 → 40·0.4 + 50·0.6
        Assert.Equal(49.6, Percentiles.Of(v, 0.99), 1e-12); // RN = 3.96 → 40·0.04 + 50·0.96
    }

    [Fact]
    public void Summarize_SameInputsAsDuckDb_AgreesBitForBit()
    {
        // Printed by DuckDB 1.5 (DuckDB.NET.Data.Full 1.5.6.1):
        // SELECT quantile_cont(x, [0.5, 0.75, 0.9, 0.95, 0.99])::VARCHAR FROM t
        var a = Percentiles.Summarize([1, 2, 3, 4])!;
        Assert.Equal([2.5, 3.25, 3.7, 3.8499999999999996, 3.9699999999999998], [a.P50, a.P75, a.P90, a.P95, a.P99]);
        var b = Percentiles.Summarize([120, 80, 300, 95, 410, 150, 2000])!;
        Assert.Equal([150.0, 355.0, 1046.0000000000005, 1522.9999999999989, 1904.5999999999992], [b.P50, b.P75, b.P90, b.P95, b.P99]);
        var c = Percentiles.Summarize([5])!;
        Assert.Equal([5.0, 5.0, 5.0, 5.0, 5.0], [c.P50, c.P75, c.P90, c.P95, c.P99]);
        Assert.Equal(7, b.Count);
    }

    [Fact]
    public void Summarize_NoValuesOrOnlyNaN_IsNull()
    {
        Assert.Null(Percentiles.Summarize([]));
        Assert.Null(Percentiles.Summarize([double.NaN]));
        Assert.Equal(2, Percentiles.Summarize([1, double.NaN, 3])!.P50); // NaN is ignored like NULL
    }

    [Fact]
    public void DuckDbExpression_NamesTheSameFiveQuantiles() =>
        Assert.Equal("quantile_cont(CAST(duration AS DOUBLE), [0.5, 0.75, 0.9, 0.95, 0.99])", Percentiles.DuckDbExpression("duration"));
}
