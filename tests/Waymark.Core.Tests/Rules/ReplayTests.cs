using Waymark.Core.Events;
using Waymark.Core.Rules;
using static Waymark.Core.Tests.Rules.RuleDriver;

namespace Waymark.Core.Tests.Rules;

/// <summary>Replaying the same calls rebuilds the same state and emits nothing again.</summary>
public sealed class ReplayTests
{
    private const string Doc = """
        settings: { holdout: 0 }
        rules:
          - id: abandoned-cart
            caps: { perSession: 1 }
            pattern:
              kind: sequence
              steps:
                - match: { type: custom, name: add-to-cart }
                - absent: { type: view, name: checkout }
                  within: 10m
          - id: errors
            pattern: { kind: count, match: { type: error }, atLeast: 2 }
        """;

    [Fact]
    public void Replay_AfterADeadlineFired_NoDuplicateAndTheDeadlineIsNotFiredAgain()
    {
        var live = new RuleDriver(Doc);
        var s = live.Start("s1", T0);
        live.Event(s, EventType.Custom, T0, "add-to-cart");
        live.Error(s, T0.AddMinutes(1));
        Assert.True(live.FireDeadline());
        Assert.Equal(["abandoned-cart:fired"], live.Outcomes);

        var replayed = live.Replay();

        Assert.Empty(replayed.Signals);
        Assert.Null(replayed.State.Deadline);
        Assert.False(replayed.FireDeadline());
        // Live again: both see the same next events the same way: the second
        // error completes the count begun before the restart, and the cart
        // rule is at its session cap.
        foreach (var d in new[] { live, replayed })
        {
            d.Error(s, T0.AddMinutes(12));
            d.Event(s, EventType.Custom, T0.AddMinutes(13), "add-to-cart");
            d.FireDeadline();
        }
        Assert.Equal(["errors:fired", "abandoned-cart:capped"], replayed.Outcomes);
        Assert.Equal(live.Outcomes.Skip(1), replayed.Outcomes);
    }

    [Fact]
    public void Replay_DuringAWait_TheWaitSurvivesAndFiresOnce()
    {
        var live = new RuleDriver(Doc);
        var s = live.Start("s1", T0);
        live.Event(s, EventType.Custom, T0, "add-to-cart");
        live.View(s, T0.AddMinutes(3), "shoes");

        var replayed = live.Replay();

        Assert.Empty(replayed.Signals);
        Assert.Equal(T0.AddMinutes(10), replayed.State.Deadline);
        Assert.True(replayed.FireDeadline());
        Assert.Equal(["abandoned-cart:fired"], replayed.Outcomes);
        Assert.False(replayed.FireDeadline());
    }

    [Fact]
    public void Replay_SameSignalsAsLiveWhenNotReplaying()
    {
        // The props of a signal are a function of the calls: a second live
        // run of the same calls writes the same JSON.
        var a = new RuleDriver(Doc);
        var s = a.Start("s1", T0);
        a.Error(s, T0);
        a.Error(s, T0.AddSeconds(5));
        var b = new RuleDriver(Doc);
        b.Start("s1", T0);
        b.Error(s, T0);
        b.Error(s, T0.AddSeconds(5));
        Assert.Equal(a.Signals.Select(x => x.Props), b.Signals.Select(x => x.Props));
    }
}
