using Waymark.Core.Funnels;
using static Waymark.Core.Tests.Funnels.FunnelTestData;

namespace Waymark.Core.Tests.Funnels;

public sealed class FunnelEvaluateTests
{
    private static double?[] Minutes(FunnelCaseResult r) => r.StepTimes.Select(t => t is { } v ? (double?)(v - T0).TotalMinutes : null).ToArray();

    [Fact]
    public void Evaluate_Ordered_OtherEventsBetweenAreAllowed()
    {
        var r = Funnel.Evaluate(Define("/home", "/product", "add", "buy"),
            Case("c", E(0, "/home"), E(1, "/search"), E(2, "/product"), E(5, "add"), E(9, "buy")));
        Assert.Equal(3, r.FurthestStep);
        Assert.True(r.Converted);
        Assert.Equal([0.0, 2, 5, 9], Minutes(r));
        Assert.Equal([0, 2, 3, 4], r.StepEvents);
    }

    [Fact]
    public void Evaluate_Strict_AnEventInBetweenStopsTheCase()
    {
        var strict = Define(FunnelOrder.Strict, Step("/home"), Step("/product"), Step("add"));
        // home → product adjacent; product → add has a search between, and the
        // second product is not adjacent to home, so no path goes further.
        var r = Funnel.Evaluate(strict, Case("c", E(0, "/home"), E(1, "/product"), E(2, "/search"), E(3, "/product"), E(4, "add")));
        Assert.Equal(1, r.FurthestStep);
        Assert.Equal(2, Funnel.Evaluate(strict, Case("d", E(0, "/home"), E(1, "/product"), E(2, "add"))).FurthestStep);
    }

    [Fact]
    public void Evaluate_ConversionWindow_InclusiveFromTheEntry()
    {
        var d = Define("/home", "add", "buy") with { ConversionWindow = TimeSpan.FromMinutes(30) };
        Assert.Equal(2, Funnel.Evaluate(d, Case("in", E(0, "/home"), E(10, "add"), E(30, "buy"))).FurthestStep);
        Assert.Equal(1, Funnel.Evaluate(d, Case("out", E(0, "/home"), E(10, "add"), E(30.5, "buy"))).FurthestStep);
    }

    [Fact]
    public void Evaluate_StepWindow_FindsALaterPathThatGreedyWouldMiss()
    {
        // buy must come within 5 min of add. The first add (min 1) is too early for
        // buy (min 22); the second add (min 20) makes it. Taking the first add
        // greedily would stop the case at "add".
        var d = Define(FunnelOrder.Ordered, Step("/home"), Step("add"), Step("buy", within: TimeSpan.FromMinutes(5)));
        var r = Funnel.Evaluate(d, Case("c", E(0, "/home"), E(1, "add"), E(20, "add"), E(22, "buy")));
        Assert.Equal(2, r.FurthestStep);
        Assert.Equal([0.0, 20, 22], Minutes(r));
    }

    [Fact]
    public void Evaluate_StepWindowExceeded_StopsAtThePreviousStep()
    {
        var d = Define(FunnelOrder.Ordered, Step("/home"), Step("add"), Step("buy", within: TimeSpan.FromMinutes(5)));
        var r = Funnel.Evaluate(d, Case("c", E(0, "/home"), E(1, "add"), E(7, "buy")));
        Assert.Equal(1, r.FurthestStep);
        Assert.Equal([0.0, 1, null], Minutes(r));
    }

    [Fact]
    public void Evaluate_Exclusion_BetweenTheStepsRemovesTheCaseFromTheNextStepOn()
    {
        var d = Define(FunnelOrder.Ordered, Step("/home"), Step("add"), Step("buy", excluded: "remove"));
        Assert.Equal(1, Funnel.Evaluate(d, Case("c", E(0, "/home"), E(1, "add"), E(2, "remove"), E(3, "buy"))).FurthestStep);
        // An exclusion before the previous step is outside the gap.
        Assert.Equal(2, Funnel.Evaluate(d, Case("d", E(0, "/home"), E(1, "remove"), E(2, "add"), E(3, "buy"))).FurthestStep);
    }

    [Fact]
    public void Evaluate_ExclusionThenTheStepAgain_ConvertsThroughTheLaterStep()
    {
        var d = Define(FunnelOrder.Ordered, Step("/home"), Step("add"), Step("buy", excluded: "remove"));
        var r = Funnel.Evaluate(d, Case("c", E(0, "/home"), E(1, "add"), E(2, "remove"), E(3, "add"), E(4, "buy")));
        Assert.Equal(2, r.FurthestStep);
        Assert.Equal([0.0, 3, 4], Minutes(r));
    }

    [Fact]
    public void Evaluate_OptionalStep_MaySkipButIsRecordedWhenDone()
    {
        var d = Define(FunnelOrder.Ordered, Step("/home"), Step("coupon", optional: true), Step("buy"));
        Assert.Equal([0.0, null, 2], Minutes(Funnel.Evaluate(d, Case("skip", E(0, "/home"), E(2, "buy")))));
        Assert.Equal([0.0, 1, 2], Minutes(Funnel.Evaluate(d, Case("did", E(0, "/home"), E(1, "coupon"), E(2, "buy")))));
        // A coupon after buying is not between the steps.
        var late = Funnel.Evaluate(d, Case("late", E(0, "/home"), E(2, "buy"), E(3, "coupon")));
        Assert.Equal(2, late.FurthestStep);
        Assert.Null(late.StepTimes[1]);
    }

    [Fact]
    public void Evaluate_OptionalStepDoneButNotTheLast_FurthestIsTheOptionalStep()
    {
        var d = Define(FunnelOrder.Ordered, Step("/home"), Step("coupon", optional: true), Step("buy"));
        Assert.Equal(1, Funnel.Evaluate(d, Case("c", E(0, "/home"), E(1, "coupon"))).FurthestStep);
    }

    [Fact]
    public void Evaluate_HoldConstant_OtherTripsDoNotCount()
    {
        var d = Define("search", "book") with { HoldConstant = "trip" };
        // entry fixes trip 1; booking trip 2 is another journey
        var r = Funnel.Evaluate(d, Case("c", E(0, "search", ("trip", "1")), E(1, "search", ("trip", "2")), E(2, "book", ("trip", "2"))));
        Assert.Equal(0, r.FurthestStep);
        Assert.Equal(1, Funnel.Evaluate(d, Case("d", E(0, "search", ("trip", "1")), E(2, "book", ("trip", "1")))).FurthestStep);
        // an entry event without the property is not an entry
        var noTrip = Funnel.Evaluate(d, Case("e", E(0, "search"), E(1, "search", ("trip", "7")), E(2, "book", ("trip", "7"))));
        Assert.Equal([1.0, 2], Minutes(noTrip));
    }

    [Fact]
    public void Evaluate_HoldConstant_ExclusionWithoutThePropertyStillApplies()
    {
        var d = new FunnelDefinition { Steps = [Step("search"), Step("book", excluded: ["logout", "cancel"])], HoldConstant = "trip" };
        Assert.Equal(0, Funnel.Evaluate(d, Case("logout", E(0, "search", ("trip", "1")), E(1, "logout"), E(2, "book", ("trip", "1")))).FurthestStep);
        // cancelling another trip does not exclude this one
        Assert.Equal(1, Funnel.Evaluate(d, Case("other", E(0, "search", ("trip", "1")), E(1, "cancel", ("trip", "2")), E(2, "book", ("trip", "1")))).FurthestStep);
    }

    [Fact]
    public void Evaluate_AnyOrder_StepsInReverseStillConvert()
    {
        var d = Define(FunnelOrder.Any, Step("a"), Step("b"), Step("c"));
        var r = Funnel.Evaluate(d, Case("x", E(0, "c"), E(1, "a"), E(2, "b")));
        Assert.Equal(2, r.FurthestStep);
        Assert.Equal([1.0, 2, 0], Minutes(r));
        // a and c but no b: reaches a only (steps count as a prefix)
        Assert.Equal(0, Funnel.Evaluate(d, Case("y", E(0, "c"), E(1, "a"))).FurthestStep);
    }

    [Fact]
    public void Evaluate_AnyOrder_OneEventCannotBeTwoSteps()
    {
        var d = new FunnelDefinition
        {
            Order = FunnelOrder.Any,
            Steps =
            [
                new FunnelStep { Label = "any view", AnyOf = [new StepMatcher { Type = "view" }] },
                new FunnelStep { Label = "cart", AnyOf = [new StepMatcher { Name = "/cart" }] },
            ],
        };
        Assert.Equal(0, Funnel.Evaluate(d, Case("one", E(0, "/cart"))).FurthestStep);
        // The broad step first takes /cart (the earliest view), then gives it up to
        // the narrow step and takes /home: an augmenting path.
        var r = Funnel.Evaluate(d, Case("two", E(0, "/cart"), E(1, "/home")));
        Assert.Equal(1, r.FurthestStep);
        Assert.Equal([1.0, 0], Minutes(r));
    }

    [Fact]
    public void Evaluate_AnyOrder_WindowOutsideItDoesNotCount()
    {
        var d = Define(FunnelOrder.Any, Step("a"), Step("b")) with { ConversionWindow = TimeSpan.FromMinutes(10) };
        Assert.Equal(0, Funnel.Evaluate(d, Case("x", E(0, "b"), E(11, "a"))).FurthestStep);
        Assert.Equal(1, Funnel.Evaluate(d, Case("y", E(0, "b"), E(10, "a"))).FurthestStep);
    }

    [Fact]
    public void Evaluate_CountsOnceAtTheFirstEntry()
    {
        // A second visit 40 days later converts, but the case counts at its first
        // entry, whose 30-day window has closed by then.
        var r = Funnel.Evaluate(Define("/home", "buy"), Case("c", E(0, "/home"), E(40 * 1440, "/home"), E(40 * 1440 + 1, "buy")));
        Assert.Equal(0, r.FurthestStep);
        Assert.Equal([0.0, null], Minutes(r));
    }

    [Fact]
    public void Evaluate_NoFirstStep_NotEntered()
    {
        var r = Funnel.Evaluate(Define("/home", "buy"), Case("c", E(0, "buy")));
        Assert.False(r.Entered);
        Assert.Equal(-1, r.FurthestStep);
    }

    [Fact]
    public void Evaluate_EventsOutOfOrder_SortedByTime()
    {
        var r = Funnel.Evaluate(Define("/home", "buy"), Case("c", E(5, "buy"), E(0, "/home")));
        Assert.Equal(1, r.FurthestStep);
        Assert.Equal([0, 1], r.StepEvents); // indexes into the time-ordered events
    }

    [Fact]
    public void Evaluate_InvalidDefinition_ThrowsWithEveryProblem()
    {
        var d = Define(FunnelOrder.Any, Step("a", optional: true), Step("b", excluded: "x"));
        var e = Assert.Throws<ArgumentException>(() => Funnel.Evaluate(d, Case("c")));
        Assert.Contains("cannot be optional", e.Message, StringComparison.Ordinal);
        Assert.Contains("need an order", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Matcher_FieldsAndPropertyFilters()
    {
        var e = new FunnelEvent(T0, "custom", "pay", "kiosk", "desk-7", new Dictionary<string, string> { ["method"] = "Credit Card", ["amount"] = "12" });
        Assert.True(new StepMatcher { Type = "CUSTOM", Name = "pay", Channel = "Kiosk", Touchpoint = "desk-7" }.Matches(e));
        Assert.False(new StepMatcher { Name = "Pay" }.Matches(e)); // names are exact
        Assert.True(new StepMatcher { Properties = [new("method", PropertyOperator.Contains, "credit"), new("amount", PropertyOperator.Exists)] }.Matches(e));
        Assert.False(new StepMatcher { Properties = [new("method", PropertyOperator.Equals, "credit card")] }.Matches(e));
        Assert.False(new StepMatcher { Properties = [new("coupon", PropertyOperator.Exists)] }.Matches(e));
        var step = new FunnelStep { Label = "pay or call", AnyOf = [new StepMatcher { Name = "call" }, new StepMatcher { Channel = "kiosk" }] };
        Assert.True(step.Matches(e));
    }
}
