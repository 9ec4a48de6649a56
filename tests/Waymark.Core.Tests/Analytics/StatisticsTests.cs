using Waymark.Core.Analytics;

namespace Waymark.Core.Tests.Analytics;

public sealed class StatisticsTests
{
    [Theory]
    // Reference values of Φ⁻¹ (Abramowitz and Stegun, table 26.5; any statistics package).
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.995, 2.5758293035489004)]
    [InlineData(0.95, 1.6448536269514722)]
    [InlineData(0.5, 0.0)]
    [InlineData(0.025, -1.959963984540054)]
    [InlineData(0.999, 3.090232306167813)]
    public void Quantile_KnownProbabilities_ReturnsTabulatedZ(double p, double z) =>
        Assert.Equal(z, Normal.Quantile(p), 1e-12);

    [Fact]
    public void Cdf_AtOnePointNineSix_IsTabulatedValue() =>
        Assert.Equal(0.9750021048517795, Normal.Cdf(1.96), 1e-14);

    [Theory]
    // Wilson intervals from Newcombe (1998a), "Two-sided confidence intervals for the
    // single proportion", Table I, method 3: 81/263, 15/148, 0/20, 1/29.
    [InlineData(81, 263, 0.2553, 0.3662)]
    [InlineData(15, 148, 0.0624, 0.1605)]
    [InlineData(0, 20, 0.0, 0.1611)]
    [InlineData(1, 29, 0.0061, 0.1718)]
    public void Wilson_PublishedExamples_MatchToFourDecimals(int x, int n, double lower, double upper)
    {
        var ci = Proportion.Wilson(x, n);
        Assert.Equal(lower, ci.Lower, 0.00005);
        Assert.Equal(upper, ci.Upper, 0.00005);
    }
}
