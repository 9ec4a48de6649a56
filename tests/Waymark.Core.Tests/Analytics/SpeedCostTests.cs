using Waymark.Core.Analytics;

namespace Waymark.Core.Tests.Analytics;

public sealed class SpeedCostTests
{
    [Fact]
    public void Analyze_Buckets_EdgesBelongToTheUpperBucket()
    {
        SpeedSample[] samples = [new(500, true), new(1500, false), new(1999, true), new(2000, false), new(12000, true)];
        var r = SpeedCost.Analyze(samples, new SpeedCostOptions { BucketEdgesMs = [1000, 2000] });
        Assert.Equal([0.0, 1000, 2000], r.Buckets.Select(b => b.FromMs));
        Assert.Equal([1000.0, 2000, null], r.Buckets.Select(b => b.ToMs));
        Assert.Equal([1, 2, 2], r.Buckets.Select(b => b.Sessions));
        Assert.Equal([1.0, 0.5, 0.5], r.Buckets.Select(b => b.Rate));
        Assert.Null(r.Effect); // 5 sessions: fewer than 30
    }

    [Fact]
    public void Analyze_TwoLoadTimes_SaturatedFitMatchesHandComputation()
    {
        // 100 sessions at 1000 ms converting 40 %, 100 at 2000 ms converting 20 %.
        // With two x values the fit reproduces both rates exactly, so
        // β₁ = (logit 0.2 − logit 0.4) / 10 steps of 100 ms = (−1.386294 + 0.405465)/10 = −0.0980829
        // AME = β₁·(100·0.4·0.6 + 100·0.2·0.8)/200 = β₁·0.2 = −0.0196166 → −1.96166 points per 100 ms
        // (a straight line through the two rates would say −2 points).
        var samples = Enumerable.Range(0, 100).Select(i => new SpeedSample(1000, i < 40))
            .Concat(Enumerable.Range(0, 100).Select(i => new SpeedSample(2000, i < 20)));
        var e = SpeedCost.Analyze(samples).Effect!;
        Assert.Equal(-0.0980829, e.LogOddsPer100Ms, 1e-6);
        Assert.Equal(-1.96166, e.PointsPer100Ms, 1e-4);
        Assert.True(e.Lower < e.PointsPer100Ms && e.PointsPer100Ms < e.Upper);
        Assert.Equal(200, e.Sessions);
    }

    [Fact]
    public void Analyze_PlantedEffect_IntervalContainsTheTrueAverageMarginalEffect()
    {
        var (samples, truePoints) = Generate(seed: 20250301, n: 20_000, logOddsPer100Ms: -0.04);
        var e = SpeedCost.Analyze(samples).Effect!;
        Assert.True(e.Lower <= truePoints && truePoints <= e.Upper, $"{truePoints} not in [{e.Lower}, {e.Upper}]");
        Assert.True(e.Upper < 0, "a real effect of this size must be detected");
    }

    [Fact]
    public void Analyze_NoEffect_IntervalContainsZero()
    {
        var (samples, truePoints) = Generate(seed: 7, n: 20_000, logOddsPer100Ms: 0);
        Assert.Equal(0, truePoints);
        var e = SpeedCost.Analyze(samples).Effect!;
        Assert.True(e.Lower <= 0 && 0 <= e.Upper, $"0 not in [{e.Lower}, {e.Upper}]");
    }

    [Fact]
    public void Analyze_TwentyDataSets_IntervalCoversTheTruthAboutNineteenTimes()
    {
        // A 95 % interval should miss about 1 in 20; 16 or fewer hits out of 20
        // has probability 0.016 for a correct interval and flags one too narrow.
        var covered = 0;
        for (var seed = 1; seed <= 20; seed++)
        {
            var (samples, truth) = Generate(seed, 5_000, -0.03);
            var e = SpeedCost.Analyze(samples).Effect!;
            covered += e.Lower <= truth && truth <= e.Upper ? 1 : 0;
        }
        Assert.InRange(covered, 17, 20);
    }

    [Fact]
    public void Analyze_EverySessionConverted_NoEffectAndAReason()
    {
        var r = SpeedCost.Analyze(Enumerable.Range(0, 100).Select(i => new SpeedSample(1000 + i, true)));
        Assert.Null(r.Effect);
        Assert.Equal("every session converted", r.Reason);
    }

    [Fact]
    public void Analyze_SlowerThanTheFitLimit_InBucketsNotInFit()
    {
        var samples = Enumerable.Range(0, 100).Select(i => new SpeedSample(1000 + i * 10, i % 3 == 0))
            .Append(new SpeedSample(600_000, false));
        var r = SpeedCost.Analyze(samples);
        Assert.Equal(100, r.Effect!.Sessions);
        Assert.Equal(1, r.Buckets[^1].Sessions);
    }

    // Load times 300 ms + an exponential with mean 2.2 s; conversion from a logistic
    // model with the planted slope. The true average marginal effect on these
    // sessions is (1/n)·Σ β·p(1 − p) with the true β and p.
    private static (List<SpeedSample> Samples, double TruePoints) Generate(int seed, int n, double logOddsPer100Ms)
    {
        var rng = new Random(seed);
        var samples = new List<SpeedSample>(n);
        var ame = 0.0;
        for (var i = 0; i < n; i++)
        {
            var ms = 300 - 2200 * Math.Log(1 - rng.NextDouble());
            var p = 1 / (1 + Math.Exp(-(-1.0 + logOddsPer100Ms * (ms - 2500) / 100)));
            ame += logOddsPer100Ms * p * (1 - p);
            samples.Add(new SpeedSample(ms, rng.NextDouble() < p));
        }
        return (samples, ame / n * 100);
    }
}
