using Waymark.Core.Events;
using Waymark.Core.Rules;
using static Waymark.Core.Tests.Rules.RuleDriver;

namespace Waymark.Core.Tests.Rules;

/// <summary>Sequences: contiguity, windows and quantifiers, on journeys worked out by hand.</summary>
public sealed class SequenceTests
{
    private static string Rule(string pattern, string extra = "") => $$"""
        settings: { holdout: 0 }
        rules:
          - id: r1
            {{extra}}
            pattern:
        {{pattern}}
        """;

    private static string CartThenPay(string contiguity, string within = "") => Rule($$"""
              kind: sequence
              contiguity: {{contiguity}}
              {{within}}
              steps:
                - match: { type: view, name: cart }
                - match: { type: view, name: pay }
        """);

    [Fact]
    public void Strict_EventBetweenSteps_NoMatch()
    {
        var d = new RuleDriver(CartThenPay("strict"));
        var s = d.Start("s1", T0);
        d.View(s, T0, "cart");
        d.View(s, T0.AddSeconds(5), "help");
        d.View(s, T0.AddSeconds(9), "pay");
        Assert.Empty(d.Signals);
    }

    [Fact]
    public void Strict_StepsBackToBack_Matches()
    {
        var d = new RuleDriver(CartThenPay("strict"));
        var s = d.Start("s1", T0);
        d.View(s, T0, "home");
        var a = d.View(s, T0.AddSeconds(2), "cart");
        var b = d.View(s, T0.AddSeconds(5), "pay");
        var p = Assert.Single(d.Props);
        Assert.Equal([a.EventId, b.EventId], p.GetProperty("events").EnumerateArray().Select(x => x.GetString()));
    }

    [Fact]
    public void Strict_EventsTheSequenceDoesNotConsider_AreNotBetween()
    {
        // Only views count as "the next event": the click on the way does not break it.
        var d = new RuleDriver(Rule("""
              kind: sequence
              contiguity: strict
              events: [view]
              steps:
                - match: { type: view, name: cart }
                - match: { type: view, name: pay }
        """));
        var s = d.Start("s1", T0);
        d.View(s, T0, "cart");
        d.Act(s, T0.AddSeconds(1), "click");
        d.View(s, T0.AddSeconds(2), "pay");
        Assert.Single(d.Signals);
    }

    [Fact]
    public void Relaxed_EventsBetweenSteps_Skipped()
    {
        var d = new RuleDriver(CartThenPay("relaxed"));
        var s = d.Start("s1", T0);
        var a = d.View(s, T0, "cart");
        d.View(s, T0.AddSeconds(5), "help");
        d.Act(s, T0.AddSeconds(6), "faq");
        var b = d.View(s, T0.AddSeconds(9), "pay");
        var p = Assert.Single(d.Props);
        Assert.Equal([a.EventId, b.EventId], p.GetProperty("events").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal(T0, p.GetProperty("firstAt").GetDateTimeOffset());
        Assert.Equal(T0.AddSeconds(9), p.GetProperty("lastAt").GetDateTimeOffset());
    }

    [Fact]
    public void Relaxed_AfterAMatch_ItsEventsDoNotCountAgain()
    {
        var d = new RuleDriver(CartThenPay("relaxed"));
        var s = d.Start("s1", T0);
        d.View(s, T0, "cart");
        d.View(s, T0.AddSeconds(1), "pay");
        d.View(s, T0.AddSeconds(2), "pay");   // the cart was used by the first match
        Assert.Single(d.Signals);
        d.View(s, T0.AddSeconds(3), "cart");
        d.View(s, T0.AddSeconds(4), "pay");
        Assert.Equal(2, d.Signals.Count);
    }

    [Fact]
    public void Relaxed_AMatch_DropsTheOtherPartialMatchesOfTheRule()
    {
        // Skip past the last event: the search at 2 s began before the match
        // ended, so it does not go on to a second match with later events.
        var d = new RuleDriver(Rule("""
              kind: sequence
              steps:
                - match: { type: view, name: search }
                - match: { type: view, name: product }
                - match: { type: view, name: cart }
        """));
        var s = d.Start("s1", T0);
        d.View(s, T0, "search");
        d.View(s, T0.AddSeconds(1), "product");
        d.View(s, T0.AddSeconds(2), "search");
        d.View(s, T0.AddSeconds(3), "cart");
        Assert.Single(d.Signals);
        d.View(s, T0.AddSeconds(4), "product");
        d.View(s, T0.AddSeconds(5), "cart");
        Assert.Single(d.Signals);
    }

    // After cart, the first payment screen opens the wait; it is cancelled by
    // a confirmation 5 minutes later; a second payment screen after that:
    // relaxed took the first payment screen only, any can take the second too.
    private static string CartPayNoConfirm(string contiguity) => Rule($$"""
              kind: sequence
              contiguity: {{contiguity}}
              steps:
                - match: { type: view, name: cart }
                - match: { type: view, name: pay }
                - absent: { type: view, name: confirmed }
                  within: 10m
        """);

    [Theory]
    [InlineData("relaxed", 0)]
    [InlineData("any", 1)]
    public void Any_SecondCandidateAfterACancelledWait_OnlyAnyTakesIt(string contiguity, int expected)
    {
        var d = new RuleDriver(CartPayNoConfirm(contiguity));
        var s = d.Start("s1", T0);
        d.View(s, T0, "cart");
        d.View(s, T0.AddMinutes(1), "pay");
        d.View(s, T0.AddMinutes(6), "confirmed");
        d.View(s, T0.AddMinutes(7), "pay");
        d.Act(s, T0.AddMinutes(12), "scroll");    // keeps the session active
        while (d.FireDeadline())
        {
        }
        Assert.Equal(expected, d.Signals.Count);
        if (expected == 1)
        {
            Assert.Equal(T0.AddMinutes(17), d.Props[0].GetProperty("dueAt").GetDateTimeOffset());
        }
    }

    [Fact]
    public void Any_ManyCandidateEvents_PartialMatchesStayBounded()
    {
        // Skip till any match forks on every matching event; the state keeps
        // one partial match per pattern state plus one wait, however many come.
        var d = new RuleDriver(CartPayNoConfirm("any"));
        var s = d.Start("s1", T0);
        for (var i = 0; i < 200; i++)
        {
            d.View(s, T0.AddSeconds(i), i % 2 == 0 ? "cart" : "pay");
        }
        var held = ((RulesState)d.State).PartialMatches;
        Assert.InRange(held, 1, 2);
    }

    [Fact]
    public void Within_SecondStepAfterTheWindow_NoMatch()
    {
        var d = new RuleDriver(CartThenPay("relaxed", "within: 5m"));
        var s = d.Start("s1", T0);
        d.View(s, T0, "cart");
        d.View(s, T0.AddMinutes(6), "pay");
        Assert.Empty(d.Signals);
    }

    [Fact]
    public void Within_LaterStartInsideTheWindow_MatchesFromIt()
    {
        var d = new RuleDriver(CartThenPay("relaxed", "within: 5m"));
        var s = d.Start("s1", T0);
        d.View(s, T0, "cart");
        var second = d.View(s, T0.AddMinutes(3), "cart");
        d.View(s, T0.AddMinutes(7), "pay");   // 7 min after the first cart, 4 after the second
        var p = Assert.Single(d.Props);
        Assert.Equal(second.EventId, p.GetProperty("events")[0].GetString());
    }

    [Fact]
    public void StepWithin_TooLongSinceThePreviousStep_NoMatch()
    {
        var d = new RuleDriver(Rule("""
              kind: sequence
              steps:
                - match: { type: view, name: cart }
                - match: { type: view, name: pay }
                  within: 1m
        """));
        var s = d.Start("s1", T0);
        d.View(s, T0, "cart");
        d.View(s, T0.AddSeconds(61), "pay");
        Assert.Empty(d.Signals);
        d.View(s, T0.AddSeconds(70), "cart");
        d.View(s, T0.AddSeconds(100), "pay");
        Assert.Single(d.Signals);
    }

    [Fact]
    public void StepWithin_AfterAnAtLeastStep_CountsFromItsLastEvent()
    {
        var d = new RuleDriver(Rule("""
              kind: sequence
              steps:
                - match: { type: action, name: apply-coupon }
                  atLeast: 2
                - match: { type: view, name: help }
                  within: 1m
        """));
        var s = d.Start("s1", T0);
        d.Act(s, T0, "apply-coupon");
        d.Act(s, T0.AddSeconds(10), "apply-coupon");
        d.View(s, T0.AddSeconds(71), "help");      // 61 s after the last attempt
        Assert.Empty(d.Signals);
        d.Act(s, T0.AddSeconds(80), "apply-coupon");
        d.View(s, T0.AddSeconds(90), "help");      // 10 s after a third attempt
        Assert.Single(d.Signals);
    }

    [Fact]
    public void Times_ThirdError_Matches()
    {
        var d = new RuleDriver(Rule("""
              kind: sequence
              steps:
                - match: { type: error }
                  times: 3
        """));
        var s = d.Start("s1", T0);
        d.Error(s, T0);
        d.View(s, T0.AddSeconds(1), "home");
        d.Error(s, T0.AddSeconds(2));
        Assert.Empty(d.Signals);
        d.Error(s, T0.AddSeconds(3));
        var p = Assert.Single(d.Props);
        Assert.Equal(3, p.GetProperty("eventCount").GetInt32());
    }

    [Fact]
    public void TimesStrict_RepetitionsMustBeBackToBack()
    {
        var d = new RuleDriver(Rule("""
              kind: sequence
              contiguity: strict
              steps:
                - match: { type: action, name: retry }
                  times: 2
                - match: { type: view, name: error-page }
        """));
        var s = d.Start("s1", T0);
        d.Act(s, T0, "retry");
        d.Act(s, T0.AddSeconds(1), "other");
        d.Act(s, T0.AddSeconds(2), "retry");
        d.View(s, T0.AddSeconds(3), "error-page");
        Assert.Empty(d.Signals);
        d.Act(s, T0.AddSeconds(4), "retry");
        d.Act(s, T0.AddSeconds(5), "retry");
        d.View(s, T0.AddSeconds(6), "error-page");
        Assert.Single(d.Signals);
    }

    [Fact]
    public void AtLeast_MoreRepetitionsThenTheNextStep_OneMatchWithAllOfThem()
    {
        var d = new RuleDriver(Rule("""
              kind: sequence
              steps:
                - match: { type: action, name: apply-coupon }
                  atLeast: 2
                - match: { type: view, name: help }
        """));
        var s = d.Start("s1", T0);
        d.Act(s, T0, "apply-coupon");
        d.View(s, T0.AddSeconds(1), "help");     // only one attempt so far
        Assert.Empty(d.Signals);
        d.Act(s, T0.AddSeconds(2), "apply-coupon");
        d.Act(s, T0.AddSeconds(3), "apply-coupon");
        d.View(s, T0.AddSeconds(4), "help");
        var p = Assert.Single(d.Props);
        Assert.Equal(4, p.GetProperty("eventCount").GetInt32());   // the first attempt, two more, help
    }

    [Fact]
    public void Matcher_PropertyFiltersAndFailed_AllMustHold()
    {
        var d = new RuleDriver(Rule("""
              kind: sequence
              steps:
                - match:
                    type: request
                    failed: true
                    props: { step: payment, amount: { gte: 100 } }
        """));
        var s = d.Start("s1", T0);
        d.Event(s, EventType.Request, T0, "POST /pay", props: """{"step":"payment","amount":50}""", failed: true);
        d.Event(s, EventType.Request, T0.AddSeconds(1), "POST /pay", props: """{"step":"payment","amount":150}""", failed: false);
        d.Event(s, EventType.Request, T0.AddSeconds(2), "POST /pay", props: """{"step":"address","amount":150}""", failed: true);
        Assert.Empty(d.Signals);
        d.Event(s, EventType.Request, T0.AddSeconds(3), "POST /pay", props: """{"amount":150,"step":"payment"}""", failed: true);
        Assert.Single(d.Signals);
    }

    [Fact]
    public void Events_OfAnotherSession_DoNotAdvanceAPartialMatch()
    {
        var d = new RuleDriver(CartThenPay("strict"));
        var web = d.Start("web1", T0);
        var app = d.Start("app1", T0, c => c with { Channel = "mobile" });
        d.View(web, T0, "cart");
        d.View(app, T0.AddSeconds(1), "pay");
        Assert.Empty(d.Signals);
        d.View(web, T0.AddSeconds(2), "pay");
        Assert.Equal("web1", Assert.Single(d.Props).GetProperty("session").GetString());
    }
}
