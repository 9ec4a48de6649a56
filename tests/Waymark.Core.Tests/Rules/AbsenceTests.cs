using Waymark.Core.Events;
using Waymark.Core.Rules;
using static Waymark.Core.Tests.Rules.RuleDriver;

namespace Waymark.Core.Tests.Rules;

/// <summary>Absence and idle waits: fired at the deadline, cancelled by the awaited event or the session's end.</summary>
public sealed class AbsenceTests
{
    private const string CartNoCheckout = """
        settings: { holdout: 0 }
        rules:
          - id: abandoned-cart
            pattern:
              kind: sequence
              steps:
                - match: { type: custom, name: add-to-cart }
                - absent: { type: view, name: checkout }
                  within: 10m
        """;

    private const string IdleOnPayment = """
        settings: { holdout: 0 }
        rules:
          - id: stuck-on-payment
            pattern:
              kind: sequence
              steps:
                - match: { type: view, name: payment }
                - idle: 5m
        """;

    [Fact]
    public void Absence_NoAwaitedEvent_FiresAtTheDeadline()
    {
        var d = new RuleDriver(CartNoCheckout);
        var s = d.Start("s1", T0);
        var add = d.Event(s, EventType.Custom, T0.AddMinutes(1), "add-to-cart");
        d.View(s, T0.AddMinutes(4), "shoes");
        Assert.Equal(T0.AddMinutes(11), d.State.Deadline);
        Assert.Empty(d.Signals);

        Assert.True(d.FireDeadline());

        var signal = Assert.Single(d.Signals);
        Assert.Equal(T0.AddMinutes(11), signal.At);
        var p = d.Props[0];
        Assert.Equal(add.EventId, p.GetProperty("events")[0].GetString());
        Assert.Equal(T0.AddMinutes(11), p.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Null(d.State.Deadline);
    }

    [Fact]
    public void Absence_AwaitedEventArrives_Cancelled()
    {
        var d = new RuleDriver(CartNoCheckout);
        var s = d.Start("s1", T0);
        d.Event(s, EventType.Custom, T0, "add-to-cart");
        d.View(s, T0.AddMinutes(9), "checkout");
        Assert.Null(d.State.Deadline);
        Assert.False(d.FireDeadline());
        Assert.Empty(d.Signals);
    }

    [Fact]
    public void Absence_SessionEnds_Cancelled()
    {
        var d = new RuleDriver(CartNoCheckout);
        var s = d.Start("s1", T0);
        d.Event(s, EventType.Custom, T0, "add-to-cart");
        d.End(s, T0.AddMinutes(2));
        Assert.Null(d.State.Deadline);
        Assert.Empty(d.Signals);
    }

    [Fact]
    public void Absence_SessionInactiveAtTheDeadline_NotFired()
    {
        // 40 minutes of waiting, the last event at minute 1: by the 30-minute
        // rule the session was over at minute 31, before the wait ended.
        var d = new RuleDriver(CartNoCheckout.Replace("10m", "40m", StringComparison.Ordinal));
        var s = d.Start("s1", T0);
        d.Event(s, EventType.Custom, T0.AddMinutes(1), "add-to-cart");
        Assert.True(d.FireDeadline());
        Assert.Empty(d.Signals);
        Assert.Null(d.State.Deadline);
    }

    [Fact]
    public void Absence_EventAfterTheDeadlineComesFirst_FiresBeforeIt()
    {
        // The timer was late: an event from after the deadline arrives first.
        // The wait was over before it, so the rule fires, and the checkout
        // after the deadline does not cancel it.
        var d = new RuleDriver(CartNoCheckout);
        var s = d.Start("s1", T0);
        d.Event(s, EventType.Custom, T0, "add-to-cart");
        d.View(s, T0.AddMinutes(12), "checkout");
        var p = Assert.Single(d.Props);
        Assert.Equal(T0.AddMinutes(10), p.GetProperty("dueAt").GetDateTimeOffset());
    }

    [Fact]
    public void Absence_Grace_DeadlineLaterAndAnEventInFlightStillCancels()
    {
        var d = new RuleDriver(CartNoCheckout, new RulesOptions { DeadlineGrace = TimeSpan.FromSeconds(10) });
        var s = d.Start("s1", T0);
        d.Event(s, EventType.Custom, T0, "add-to-cart");
        Assert.Equal(T0.AddMinutes(10).AddSeconds(10), d.State.Deadline);
        // Happened 2 s before the wait ended; its batch arrives in the grace.
        d.View(s, T0.AddMinutes(10).AddSeconds(-2), "checkout");
        Assert.False(d.FireDeadline());
        Assert.Empty(d.Signals);
    }

    [Fact]
    public void Idle_NoProgress_FiresAfterTheIdleTime()
    {
        var d = new RuleDriver(IdleOnPayment);
        var s = d.Start("s1", T0);
        d.View(s, T0, "payment");
        // A request is not progress: the customer did nothing.
        d.Event(s, EventType.Request, T0.AddMinutes(2), "GET /status");
        Assert.Equal(T0.AddMinutes(5), d.State.Deadline);
        Assert.True(d.FireDeadline());
        Assert.Equal("stuck-on-payment", Assert.Single(d.Signals).Name);
    }

    [Fact]
    public void Idle_AnActionInTime_Cancelled()
    {
        var d = new RuleDriver(IdleOnPayment);
        var s = d.Start("s1", T0);
        d.View(s, T0, "payment");
        d.Act(s, T0.AddMinutes(4), "type-card-number");
        Assert.Null(d.State.Deadline);
        Assert.Empty(d.Signals);
    }

    [Fact]
    public void Idle_CustomProgress_OnlyThatCancels()
    {
        var d = new RuleDriver(IdleOnPayment.Replace("- idle: 5m", "- idle: 5m\n          progress: { type: view }", StringComparison.Ordinal));
        var s = d.Start("s1", T0);
        d.View(s, T0, "payment");
        d.Act(s, T0.AddMinutes(1), "scroll");   // not progress under this rule
        Assert.True(d.FireDeadline());
        Assert.Single(d.Signals);
    }
}
