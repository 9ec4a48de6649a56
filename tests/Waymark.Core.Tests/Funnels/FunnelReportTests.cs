using Waymark.Core.Funnels;
using static Waymark.Core.Tests.Funnels.FunnelTestData;

namespace Waymark.Core.Tests.Funnels;

public sealed class FunnelReportTests
{
    private static readonly FunnelDefinition s_funnel = Define(FunnelOrder.Ordered, Step("/home"), Step("add"), Step("coupon", optional: true), Step("buy"));

    private static readonly FunnelCase[] s_cases =
    [
        Case("c1", E(0, "/home"), E(2, "add"), E(10, "buy")) with { Segment = "mobile" },               // converts, skips the coupon
        Case("c2", E(0, "/home"), E(4, "add"), E(5, "coupon"), E(6, "buy")) with { Segment = "desktop" }, // converts with it
        Case("c3", E(0, "/home"), E(1, "add")) with { Segment = "mobile" },                              // drops at add
        Case("c4", E(0, "/home")) with { Segment = "mobile" },                                           // drops at home
        Case("c5", E(0, "/home"), E(8, "add"), E(9, "coupon")) with { Segment = "desktop" },             // drops at coupon
        Case("c6", E(0, "add")),                                                                         // never enters
    ];

    [Fact]
    public void Aggregate_FiveCases_EnteredConvertedDroppedAndTimes()
    {
        var report = Funnel.Aggregate(s_funnel, Funnel.Evaluate(s_funnel, s_cases));
        var s = report.Steps;
        Assert.Equal([5, 4, 3, 2], s.Select(x => x.Entered));    // furthest ≥ step; c6 is nowhere
        Assert.Equal([5, 4, 2, 2], s.Select(x => x.Performed));  // c1 skipped the optional coupon
        Assert.Equal([4, 3, 2, 2], s.Select(x => x.Converted));  // the last step's entrants completed
        Assert.Equal([1, 1, 1, 0], s.Select(x => x.Dropped));
        Assert.Equal(["c4"], s[0].DroppedCaseIds);
        Assert.Equal(["c3"], s[1].DroppedCaseIds);
        Assert.Equal(["c5"], s[2].DroppedCaseIds);
        Assert.Equal(0.8, s[0].ConversionRate);

        // home → add: 2, 4, 1, 8 min; sorted 1 2 4 8: median RN 1.5 → 3; p90 RN 2.7 → 4·0.3 + 8·0.7 = 6.8
        Assert.Equal(3, s[0].MedianToNext!.Value.TotalMinutes, 1e-9);
        Assert.Equal(6.8, s[0].P90ToNext!.Value.TotalMinutes, 1e-9);
        // add → next step done: c1 buy after 8, c2 coupon after 1, c5 coupon after 1; sorted 1 1 8:
        // median 1; p90 RN 1.8 → 1·0.2 + 8·0.8 = 6.6
        Assert.Equal(1, s[1].MedianToNext!.Value.TotalMinutes, 1e-9);
        Assert.Equal(6.6, s[1].P90ToNext!.Value.TotalMinutes, 1e-9);
        // coupon → buy: only c2 (1 min); c1 did not do the coupon, c5 did not go on
        Assert.Equal(1, s[2].MedianToNext!.Value.TotalMinutes, 1e-9);
        Assert.Null(s[3].MedianToNext);
    }

    [Fact]
    public void Aggregate_BySegment_SameFiguresPerValue()
    {
        var report = Funnel.Aggregate(s_funnel, Funnel.Evaluate(s_funnel, s_cases));
        Assert.Equal(["desktop", "mobile"], report.BySegment.Keys);
        var mobile = report.BySegment["mobile"];
        Assert.Equal([3, 2, 1, 1], mobile.Select(x => x.Entered));  // c1, c3, c4
        Assert.Equal([1, 1, 0, 0], mobile.Select(x => x.Dropped));
        var desktop = report.BySegment["desktop"];
        Assert.Equal([2, 2, 2, 1], desktop.Select(x => x.Entered)); // c2, c5
        Assert.Equal(["c5"], desktop[2].DroppedCaseIds);
    }

    [Fact]
    public void Aggregate_DroppedIdsCapped_CountsStayComplete()
    {
        var cases = Enumerable.Range(0, 5).Select(i => Case("d" + i, E(0, "/home")));
        var report = Funnel.Aggregate(s_funnel, Funnel.Evaluate(s_funnel, cases), new FunnelReportOptions { MaxDroppedIds = 2 });
        Assert.Equal(5, report.Steps[0].Dropped);
        Assert.Equal(["d0", "d1"], report.Steps[0].DroppedCaseIds);
    }
}
