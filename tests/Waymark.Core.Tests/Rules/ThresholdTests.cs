using Waymark.Core.Events;
using Waymark.Core.Rules;
using Waymark.Core.Sessions;
using static Waymark.Core.Tests.Rules.RuleDriver;

namespace Waymark.Core.Tests.Rules;

/// <summary>Thresholds, slow steps, experience changes and journey-map stages.</summary>
public sealed class ThresholdTests
{
    /// <summary>The stage is the page's prefix: "booking/..." is in booking.</summary>
    private sealed class PrefixStages : IStageProvider
    {
        public string? StageOf(string app, SessionSummary session, EventRecord e) =>
            e.Type == EventType.View && e.Name?.Split('/') is [var stage, ..] ? stage : null;
    }

    private const string TwoErrorsInBooking = """
        settings: { holdout: 0 }
        rules:
          - id: booking-errors
            pattern:
              kind: count
              match: { type: error, stage: booking }
              atLeast: 2
        """;

    [Fact]
    public void Count_TwoErrorsWhileInBooking_Matches()
    {
        var d = new RuleDriver(TwoErrorsInBooking, stages: new PrefixStages());
        var s = d.Start("s1", T0);
        d.View(s, T0, "search/results");
        d.Error(s, T0.AddSeconds(1));            // not in booking
        d.View(s, T0.AddSeconds(2), "booking/dates");
        d.Error(s, T0.AddSeconds(3));
        Assert.Empty(d.Signals);
        d.View(s, T0.AddSeconds(4), "booking/guests");
        var second = d.Error(s, T0.AddSeconds(5));
        var p = Assert.Single(d.Props);
        Assert.Equal("booking", p.GetProperty("stage").GetString());
        Assert.Equal(second.EventId, p.GetProperty("events")[1].GetString());
    }

    [Fact]
    public void Count_StartsAgainAfterAMatch()
    {
        var d = new RuleDriver(TwoErrorsInBooking, stages: new PrefixStages());
        var s = d.Start("s1", T0);
        d.View(s, T0, "booking/dates");
        for (var i = 1; i <= 5; i++)
        {
            d.Error(s, T0.AddSeconds(i));
        }
        Assert.Equal(2, d.Signals.Count);   // at the 2nd and the 4th
    }

    [Fact]
    public void Count_Window_OnlyEventsInsideItCount()
    {
        var d = new RuleDriver("""
            settings: { holdout: 0 }
            rules:
              - id: error-burst
                pattern: { kind: count, match: { type: error }, atLeast: 3, within: 1m }
            """);
        var s = d.Start("s1", T0);
        d.Error(s, T0);
        d.Error(s, T0.AddSeconds(30));
        d.Error(s, T0.AddSeconds(70));   // the first fell out of the window
        Assert.Empty(d.Signals);
        d.Error(s, T0.AddSeconds(80));   // 30 s, 70 s, 80 s: three within a minute
        var p = Assert.Single(d.Props);
        Assert.Equal(T0.AddSeconds(30), p.GetProperty("firstAt").GetDateTimeOffset());
    }

    [Fact]
    public void Count_ErrorsOfAnotherSession_DoNotCount()
    {
        var d = new RuleDriver(TwoErrorsInBooking.Replace(", stage: booking", "", StringComparison.Ordinal));
        d.Start("s1", T0);
        d.Start("s2", T0, c => c with { Channel = "mobile" });
        d.Error("s1", T0);
        d.Error("s2", T0.AddSeconds(1));
        Assert.Empty(d.Signals);
    }

    [Theory]
    [InlineData(4000.0, 0)]
    [InlineData(4001.0, 1)]
    public void Duration_CheckoutSlowerThanFourSeconds(double ms, int expected)
    {
        var d = new RuleDriver("""
            settings: { holdout: 0 }
            rules:
              - id: slow-checkout
                pattern:
                  kind: sequence
                  steps:
                    - match: { type: view, name: checkout, duration: { gt: 4s } }
            """);
        var s = d.Start("s1", T0);
        d.Event(s, EventType.View, T0, "checkout", duration: ms);
        Assert.Equal(expected, d.Signals.Count);
    }

    [Fact]
    public void Experience_BecomesFrustrated_FiresOnTheChangeOnly()
    {
        var d = new RuleDriver("""
            settings: { holdout: 0 }
            rules:
              - id: frustrated
                pattern: { kind: experience, becomes: frustrated }
            """);
        var s = d.Start("s1", T0);
        d.View(s, T0, "home");                         // satisfied
        d.Act(s, T0.AddSeconds(1), "search", 500);     // satisfied
        Assert.Empty(d.Signals);
        d.Error(s, T0.AddSeconds(2));
        // One error: F = 1 of 7 weight, and a frustrating element: tolerating, not frustrated.
        Assert.Empty(d.Signals);
        var failedClick = d.Event(s, EventType.Action, T0.AddSeconds(3), "pay", failed: true);
        // The last action was frustrating: frustrated.
        Assert.Equal(failedClick.EventId, Assert.Single(d.Props).GetProperty("events")[0].GetString());
        d.Event(s, EventType.Action, T0.AddSeconds(4), "pay", failed: true);   // still frustrated: no new change
        Assert.Single(d.Signals);
    }

    [Fact]
    public void StageCondition_OnlyWhileInTheStage()
    {
        var d = new RuleDriver("""
            settings: { holdout: 0 }
            rules:
              - id: hesitating-in-payment
                when: { stage: payment }
                pattern:
                  kind: sequence
                  steps:
                    - match: { type: action, name: back }
            """, stages: new PrefixStages());
        var s = d.Start("s1", T0);
        d.View(s, T0, "search/list");
        d.Act(s, T0.AddSeconds(1), "back");
        Assert.Empty(d.Signals);
        d.View(s, T0.AddSeconds(2), "payment/card");
        d.Act(s, T0.AddSeconds(3), "scroll");      // no stage: it stays payment
        d.Act(s, T0.AddSeconds(4), "back");
        Assert.Single(d.Signals);
    }
}
