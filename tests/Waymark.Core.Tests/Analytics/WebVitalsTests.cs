using Waymark.Core.Analytics;

namespace Waymark.Core.Tests.Analytics;

public sealed class WebVitalsTests
{
    [Theory]
    [InlineData(VitalMetric.Lcp, 2500, VitalRating.Good)]
    [InlineData(VitalMetric.Lcp, 2500.1, VitalRating.NeedsImprovement)]
    [InlineData(VitalMetric.Lcp, 4000, VitalRating.NeedsImprovement)]
    [InlineData(VitalMetric.Lcp, 4000.1, VitalRating.Poor)]
    [InlineData(VitalMetric.Inp, 200, VitalRating.Good)]
    [InlineData(VitalMetric.Inp, 201, VitalRating.NeedsImprovement)]
    [InlineData(VitalMetric.Inp, 500, VitalRating.NeedsImprovement)]
    [InlineData(VitalMetric.Inp, 501, VitalRating.Poor)]
    [InlineData(VitalMetric.Cls, 0.1, VitalRating.Good)]
    [InlineData(VitalMetric.Cls, 0.11, VitalRating.NeedsImprovement)]
    [InlineData(VitalMetric.Cls, 0.25, VitalRating.NeedsImprovement)]
    [InlineData(VitalMetric.Cls, 0.26, VitalRating.Poor)]
    public void Rate_AtTheThresholds_GoodIsInclusivePoorIsExclusive(VitalMetric metric, double value, VitalRating expected) =>
        Assert.Equal(expected, WebVitals.Rate(metric, value));

    [Fact]
    public void Summarize_FourLcps_P75AndShares()
    {
        var s = WebVitals.Summarize(VitalMetric.Lcp, [4500, 1000, 3000, 2000])!;
        // sorted 1000 2000 3000 4500; RN = 3·0.75 = 2.25 → 3000·0.75 + 4500·0.25 = 3375
        Assert.Equal(3375, s.P75, 1e-9);
        Assert.Equal(VitalRating.NeedsImprovement, s.Rating);
        Assert.Equal(0.5, s.GoodShare);            // 1000, 2000
        Assert.Equal(0.25, s.NeedsImprovementShare); // 3000
        Assert.Equal(0.25, s.PoorShare);           // 4500
    }

    [Fact]
    public void Rate_CustomThresholds_AreUsed() =>
        Assert.Equal(VitalRating.Poor, WebVitals.Rate(VitalMetric.Inp, 300, new VitalThresholds { InpPoorMs = 250 }));

    [Theory]
    [InlineData("LCP", VitalMetric.Lcp)]
    [InlineData("inp", VitalMetric.Inp)]
    [InlineData("Cls", VitalMetric.Cls)]
    public void TryParse_WebVitalsNames_Recognised(string name, VitalMetric metric)
    {
        Assert.True(WebVitals.TryParse(name, out var m));
        Assert.Equal(metric, m);
        Assert.False(WebVitals.TryParse("FID", out _));
    }
}
