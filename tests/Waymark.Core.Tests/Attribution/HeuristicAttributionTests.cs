using Waymark.Core.Attribution;

namespace Waymark.Core.Tests.Attribution;

public sealed class HeuristicAttributionTests
{
    private static readonly DateTimeOffset s_conversion = new(2025, 3, 31, 12, 0, 0, TimeSpan.Zero);

    private static Touch T(string channel, double daysBefore) => new(channel, s_conversion.AddDays(-daysBefore));

    // search 20 days before, email 10, social 3, email 1; a display touch 40 days
    // before is outside the 30-day lookback.
    private static readonly Touch[] s_touches = [T("social", 3), T("display", 40), T("search", 20), T("email", 10), T("email", 1)];

    private static IReadOnlyDictionary<string, double> Shares(AttributionModel model) =>
        HeuristicAttribution.Shares(model, s_touches, s_conversion);

    [Fact]
    public void Shares_FirstAndLastTouch_InTheWindow()
    {
        Assert.Equal(new Dictionary<string, double> { ["search"] = 1 }, Shares(AttributionModel.FirstTouch));
        Assert.Equal(new Dictionary<string, double> { ["email"] = 1 }, Shares(AttributionModel.LastTouch));
    }

    [Fact]
    public void Shares_Linear_QuarterPerTouchAddedPerChannel() =>
        Assert.Equal(new Dictionary<string, double> { ["search"] = 0.25, ["email"] = 0.5, ["social"] = 0.25 }, Shares(AttributionModel.Linear));

    [Fact]
    public void Shares_PositionBased_FortyFortyTwentyOverTheMiddle()
    {
        var s = Shares(AttributionModel.PositionBased);
        Assert.Equal(0.4, s["search"], 1e-12);        // first
        Assert.Equal(0.4 + 0.1, s["email"], 1e-12);   // last + one of two middle touches (0.2 / 2)
        Assert.Equal(0.1, s["social"], 1e-12);        // the other middle touch
    }

    [Fact]
    public void Shares_PositionBased_OneTouchAllTwoTouchesHalf()
    {
        Assert.Equal(new Dictionary<string, double> { ["a"] = 1 }, HeuristicAttribution.Shares(AttributionModel.PositionBased, [T("a", 1)], s_conversion));
        Assert.Equal(new Dictionary<string, double> { ["a"] = 0.5, ["b"] = 0.5 }, HeuristicAttribution.Shares(AttributionModel.PositionBased, [T("b", 1), T("a", 2)], s_conversion));
    }

    [Fact]
    public void Shares_TimeDecay_HalvesEverySevenDays()
    {
        var s = Shares(AttributionModel.TimeDecay);
        // weights 2^(−20/7) = 0.138011, 2^(−10/7) = 0.371499, 2^(−3/7) = 0.742997, 2^(−1/7) = 0.905724; sum 2.158231
        Assert.Equal(0.138011 / 2.158231, s["search"], 1e-6);            // 0.063946
        Assert.Equal((0.371499 + 0.905724) / 2.158231, s["email"], 1e-6); // 0.591791
        Assert.Equal(0.742997 / 2.158231, s["social"], 1e-6);            // 0.344262
        Assert.Equal(1, s.Values.Sum(), 1e-12);
    }

    [Fact]
    public void Shares_TouchAtTheWindowEdgeCountsAfterTheConversionDoesNot()
    {
        Touch[] touches = [T("edge", 30), T("after", -0.5)];
        Assert.Equal(new Dictionary<string, double> { ["edge"] = 1 }, HeuristicAttribution.Shares(AttributionModel.Linear, touches, s_conversion));
        Assert.Empty(HeuristicAttribution.Shares(AttributionModel.Linear, [T("old", 31)], s_conversion));
    }

    [Fact]
    public void Attribute_TwoConversions_CreditAndValueAddUp()
    {
        ConversionJourney[] conversions =
        [
            new([T("search", 5), T("email", 1)], s_conversion, 100),
            new([T("email", 2)], s_conversion, 40),
        ];
        var credit = HeuristicAttribution.Attribute(AttributionModel.Linear, conversions);
        // email: 0.5 + 1 conversions, 50 + 40 value; search: 0.5 and 50
        Assert.Equal([new ChannelCredit("email", 1.5, 90), new ChannelCredit("search", 0.5, 50)], credit);
    }
}
