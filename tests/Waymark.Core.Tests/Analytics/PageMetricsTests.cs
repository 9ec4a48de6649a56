using Waymark.Core.Analytics;

namespace Waymark.Core.Tests.Analytics;

public sealed class PageMetricsTests
{
    private static readonly DateTimeOffset s_t0 = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static PageEvent E(int seconds, PageEventKind kind, string? page = null) => new(s_t0.AddSeconds(seconds), kind, page);

    private static readonly PageEvent[] s_shopping =
    [
        E(0, PageEventKind.View, "home"),
        E(5, PageEventKind.Action),
        E(20, PageEventKind.View, "product"),
        E(25, PageEventKind.Error),
        E(30, PageEventKind.Action),
        E(50, PageEventKind.View, "cart"),
        E(55, PageEventKind.Other),
        E(58, PageEventKind.Error),
    ];

    [Fact]
    public void Analyze_ThreePages_TimeToNextViewAndLastEventOnLastPage()
    {
        var s = PageMetrics.Analyze(s_shopping);
        Assert.Equal(["home", "product", "cart"], s.Visits.Select(v => v.Page));
        // home 0→20 s, product 20→50 s, cart 50→58 s (its last event, an error)
        Assert.Equal([20.0, 30.0, 8.0], s.Visits.Select(v => v.TimeOnPage.TotalSeconds));
        Assert.Equal([1, 1, 0], s.Visits.Select(v => v.Actions));
        Assert.Equal([0, 1, 1], s.Visits.Select(v => v.Errors));
        Assert.Equal([false, false, true], s.Visits.Select(v => v.IsExit));
        Assert.Equal("home", s.EntryPage);
        Assert.Equal("cart", s.ExitPage);
        Assert.False(s.Bounced);
    }

    [Fact]
    public void Analyze_OneViewThenOnlyErrorsAndRequests_IsABounce()
    {
        var s = PageMetrics.Analyze([E(0, PageEventKind.View, "home"), E(2, PageEventKind.Other), E(4, PageEventKind.Error)]);
        Assert.True(s.Bounced);
        Assert.Equal(4, s.Visits[0].TimeOnPage.TotalSeconds);
    }

    [Fact]
    public void Analyze_OneViewThenAnAction_IsNotABounce() =>
        Assert.False(PageMetrics.Analyze([E(0, PageEventKind.View, "home"), E(3, PageEventKind.Action)]).Bounced);

    [Fact]
    public void Analyze_LastPageWithNothingAfterTheView_HasZeroTime()
    {
        var s = PageMetrics.Analyze([E(0, PageEventKind.View, "a"), E(9, PageEventKind.View, "b")]);
        Assert.Equal([9.0, 0.0], s.Visits.Select(v => v.TimeOnPage.TotalSeconds));
        Assert.False(s.Bounced); // two page views
    }

    [Fact]
    public void Analyze_EventsOutOfOrder_AreSortedByTime()
    {
        var s = PageMetrics.Analyze([E(10, PageEventKind.View, "b"), E(0, PageEventKind.View, "a"), E(12, PageEventKind.Action)]);
        Assert.Equal(["a", "b"], s.Visits.Select(v => v.Page));
        Assert.Equal([10.0, 2.0], s.Visits.Select(v => v.TimeOnPage.TotalSeconds));
    }

    [Fact]
    public void Analyze_ActionBeforeAnyView_BelongsToNoPage()
    {
        var s = PageMetrics.Analyze([E(0, PageEventKind.Action), E(1, PageEventKind.View, "a")]);
        Assert.True(s.Bounced);
        Assert.Equal(0, s.Visits[0].Actions);
    }

    [Fact]
    public void Aggregate_ThreeSessions_ExitRateBounceRateErrorsPerView()
    {
        var sessions = new[]
        {
            PageMetrics.Analyze(s_shopping),                                                               // home → product → cart
            PageMetrics.Analyze([E(0, PageEventKind.View, "home"), E(3, PageEventKind.Error)]),           // bounce on home
            PageMetrics.Analyze([E(0, PageEventKind.View, "product"), E(10, PageEventKind.Action), E(40, PageEventKind.View, "home")]),
        };
        var stats = PageMetrics.Aggregate(sessions).ToDictionary(p => p.Page);

        var home = stats["home"];
        Assert.Equal(3, home.Views);           // session 1, 2, 3
        Assert.Equal(2, home.Entrances);       // sessions 1 and 2 start there
        Assert.Equal(1, home.Bounces);         // session 2
        Assert.Equal(0.5, home.BounceRate);    // 1 / 2
        Assert.Equal(2, home.Exits);           // sessions 2 and 3 end there
        Assert.Equal(2.0 / 3, home.ExitRate, 1e-12);
        Assert.Equal(1.0 / 3, home.ErrorsPerView, 1e-12); // the error of session 2
        // times 20 s, 3 s, 0 s: mean 23/3 s, median 3 s
        Assert.Equal(23.0 / 3, home.MeanTimeOnPage.TotalSeconds, 1e-6);
        Assert.Equal(3, home.MedianTimeOnPage.TotalSeconds, 1e-9);

        var product = stats["product"];
        Assert.Equal(2, product.Views);
        Assert.Equal(0, product.Exits);
        Assert.Equal(0.5, product.ErrorsPerView); // 1 error over 2 views
        Assert.Equal(0, product.BounceRate);      // session 3 entered here and acted

        Assert.Equal(1.0, stats["cart"].ExitRate);
        Assert.Equal("home", PageMetrics.Aggregate(sessions)[0].Page); // busiest first
    }
}
