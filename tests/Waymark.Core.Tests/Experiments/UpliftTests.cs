using Waymark.Core.Experiments;

namespace Waymark.Core.Tests.Experiments;

public sealed class UpliftTests
{
    [Theory]
    // Newcombe (1998), "Interval estimation for the difference between independent
    // proportions: comparison of eleven methods", Table II, method 10 (hybrid score):
    [InlineData(56, 70, 48, 80, 0.0524, 0.3339)]
    [InlineData(9, 10, 3, 10, 0.1705, 0.8090)]
    [InlineData(6, 7, 2, 7, 0.0582, 0.8062)]
    [InlineData(5, 56, 0, 29, -0.0381, 0.1926)]
    [InlineData(0, 10, 0, 20, -0.1611, 0.2775)]
    [InlineData(10, 10, 0, 20, 0.6791, 1.0000)]
    public void Compute_NewcombePublishedExamples_MatchToFourDecimals(int x1, int n1, int x2, int n2, double lower, double upper)
    {
        var r = Uplift.Compute(x1, n1, x2, n2);
        Assert.Equal(lower, r.Difference.Lower, 0.00006);
        Assert.Equal(upper, r.Difference.Upper, 0.00006);
        Assert.Equal((double)x1 / n1 - (double)x2 / n2, r.Difference.Estimate, 1e-12);
    }

    [Fact]
    public void Compute_Wald_NormalApproximation()
    {
        // 56/70 − 48/80 = 0.8 − 0.6 = 0.2; se = √(0.8·0.2/70 + 0.6·0.4/80) = √(0.0022857 + 0.003) = 0.0727029
        // 0.2 ± 1.959964·0.0727029 = 0.2 ± 0.1424951
        var r = Uplift.Compute(56, 70, 48, 80, method: UpliftInterval.Wald);
        Assert.Equal(0.0575049, r.Difference.Lower, 1e-6);
        Assert.Equal(0.3424951, r.Difference.Upper, 1e-6);
    }

    [Fact]
    public void Compute_Wald_CollapsesWithoutConversionsNewcombeDoesNot()
    {
        var wald = Uplift.Compute(0, 10, 0, 20, method: UpliftInterval.Wald);
        Assert.Equal(0, wald.Difference.Upper - wald.Difference.Lower);
        var newcombe = Uplift.Compute(0, 10, 0, 20);
        Assert.True(newcombe.Difference.Upper - newcombe.Difference.Lower > 0.4);
    }

    [Fact]
    public void Compute_GeneratedCustomersWithPlantedUplift_IntervalRecoversIt()
    {
        // 40 000 customers, 10 % held out by the real bucket hash; acted-on convert
        // with probability 12 %, held-out 8 %: planted uplift 0.04.
        var rng = new Random(1234);
        var t0 = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var window = TimeSpan.FromDays(7);
        var customers = new List<ExperimentCustomer>();
        for (var i = 0; i < 40_000; i++)
        {
            var held = Holdout.IsHeldOut("shop", "cart-rescue", "customer-" + i, 0.10);
            var matched = t0.AddMinutes(rng.Next(60 * 24 * 30));
            var converts = rng.NextDouble() < (held ? 0.08 : 0.12);
            // Converting customers convert within the window; 1 in 10 of the others
            // converts later, outside it, which must not count.
            DateTimeOffset? at = converts ? matched.AddHours(rng.NextDouble() * 24 * 7) : rng.Next(10) == 0 ? matched.AddDays(8) : null;
            customers.Add(new ExperimentCustomer(held, matched, at));
        }
        var r = Uplift.Compute(customers, window)!;
        Assert.True(r.Difference.Contains(0.04), $"0.04 not in [{r.Difference.Lower}, {r.Difference.Upper}]");
        Assert.True(r.Significant);
        Assert.InRange(r.HeldOut, 3600, 4400);
    }

    [Fact]
    public void Compute_GeneratedCustomersWithoutEffect_IntervalContainsZero()
    {
        var rng = new Random(99);
        var t0 = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var customers = Enumerable.Range(0, 40_000).Select(i => new ExperimentCustomer(
            Holdout.IsHeldOut("shop", "noop", "c" + i, 0.10), t0, rng.NextDouble() < 0.1 ? t0.AddHours(1) : null));
        var r = Uplift.Compute(customers, TimeSpan.FromDays(1))!;
        Assert.True(r.Difference.Contains(0), $"0 not in [{r.Difference.Lower}, {r.Difference.Upper}]");
    }

    [Fact]
    public void Compute_ConversionBeforeTheMatchOrAfterTheWindow_NotCounted()
    {
        var t0 = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
        ExperimentCustomer[] customers =
        [
            new(false, t0, t0.AddDays(-1)),  // before the match
            new(false, t0, t0.AddDays(7)),   // at the window's end: counts
            new(false, t0, t0.AddDays(7.01)),
            new(true, t0, null),
        ];
        var r = Uplift.Compute(customers, TimeSpan.FromDays(7))!;
        Assert.Equal(1, r.ActedConversions);
        Assert.Equal(3, r.ActedOn);
        Assert.Null(Uplift.Compute(customers.Take(3), TimeSpan.FromDays(7))); // nobody held out
    }
}
