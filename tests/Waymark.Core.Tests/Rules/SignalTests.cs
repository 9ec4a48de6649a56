using System.Text.Json;
using Waymark.Core.Events;
using Waymark.Core.Rules;
using Waymark.Core.Sessions;
using static Waymark.Core.Tests.Rules.RuleDriver;

using Waymark.Core.Experiments;

namespace Waymark.Core.Tests.Rules;

/// <summary>The signal's JSON, and the examples of the schema document, which must parse and behave as described.</summary>
public sealed class SignalTests
{
    /// <summary>The full example of the schema document (rules.md), verbatim.</summary>
    internal const string Example = """
        version: 1
        settings:
          timeZone: Europe/Zurich
          consentDefault: analytics
          quietPeriod: 10m
          holdout: 10%
        rules:
          - id: abandoned-cart
            version: 2
            description: Added to the cart, no checkout within 10 minutes
            priority: 10
            when:
              channel: [web, mobile]
            pattern:
              kind: sequence
              contiguity: relaxed
              steps:
                - match: { type: custom, name: add-to-cart }
                - absent: { type: view, name: checkout }
                  within: 10m
            caps: { perSession: 1, perDay: 2 }
            attributionWindow: 2h
            actions:
              - { type: widget, id: cart-reminder, message: "Your basket is waiting" }
              - { type: email, template: cart-reminder, to: customer }

          - id: booking-errors
            description: Two errors in the booking step
            pattern:
              kind: count
              match: { type: error, stage: booking }
              atLeast: 2
            actions:
              - { type: alert, text: "Two errors while booking", severity: warning }
              - { type: webhook, target: support-crm }

          - id: stuck-on-payment
            pattern:
              kind: sequence
              steps:
                - match: { type: view, name: payment }
                - idle: 3m
            actions:
              - { type: widget, id: help-chat, message: "Need a hand with the payment?" }

          - id: slow-checkout
            pattern:
              kind: sequence
              steps:
                - match: { type: view, name: checkout, duration: { gt: 4s } }
            actions:
              - { type: alert, text: "Checkout took more than 4 s" }

          - id: frustrated-vip
            priority: 20
            when:
              userTag: present
              tags: { anyOf: [vip] }
            pattern: { kind: experience, becomes: frustrated }
            actions:
              - { type: email, template: vip-care, to: team }

          - id: rage-then-help
            pattern:
              kind: sequence
              contiguity: strict
              within: 2m
              events: [view, action]
              steps:
                - match: { type: action, frustration: { contains: rage } }
                  atLeast: 2
                - match: { type: view, name: { startsWith: help } }
        """;

    internal const string ExampleJson = """
        {
          "settings": { "holdout": 0.05 },
          "rules": [
            {
              "id": "slow-checkout",
              "pattern": {
                "kind": "sequence",
                "steps": [ { "match": { "type": "view", "name": "checkout", "duration": { "gt": 4000 } } } ]
              },
              "caps": { "perDay": 1 },
              "actions": [ { "type": "alert", "text": "Checkout took more than 4 s" } ]
            }
          ]
        }
        """;

    [Fact]
    public void Example_ParsesAgainstItsCatalog()
    {
        var catalog = new RuleCatalog
        {
            Stages = new HashSet<string> { "browse", "booking", "payment" },
            Templates = new HashSet<string> { "cart-reminder", "vip-care" },
            Widgets = new HashSet<string> { "cart-reminder", "help-chat" },
            WebhookTargets = new HashSet<string> { "support-crm" },
            Tags = new HashSet<string> { "vip" },
        };
        var result = RuleSet.Parse(Example, catalog);
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        Assert.Equal(6, result.Rules!.Rules.Count);
        Assert.Equal(ConsentLevel.Full, result.Rules.Rules[0].RequiredConsent);
        Assert.Equal(ConsentLevel.Analytics, result.Rules.Rules[4].RequiredConsent);   // mail to the team
        Assert.Equal(0.05, RuleSet.Parse(ExampleJson).Rules!.Rules[0].Holdout);
    }

    [Fact]
    public void Signal_CarriesTheRuleTheActionsTheSessionAndTheTimes()
    {
        var doc = Example.Replace("holdout: 10%", "holdout: 0", StringComparison.Ordinal);
        var d = new RuleDriver(doc);
        var s = d.Start("s1", T0, c => c with { Consent = "full", UserTag = "alice", Channel = "mobile" });
        var add = d.Event(s, EventType.Custom, T0.AddMinutes(1), "add-to-cart");
        Assert.True(d.FireDeadline());

        var signal = Assert.Single(d.Signals);
        Assert.Equal(("rules", "abandoned-cart", T0.AddMinutes(11)), (signal.Logic, signal.Name, signal.At));
        var p = JsonDocument.Parse(signal.Props!).RootElement;
        Assert.Equal("abandoned-cart", p.GetProperty("rule").GetString());
        Assert.Equal(2, p.GetProperty("version").GetInt32());
        Assert.Equal("fired", p.GetProperty("outcome").GetString());
        Assert.Equal("matched", p.GetProperty("reason").GetString());
        Assert.Equal(10, p.GetProperty("priority").GetInt32());
        Assert.Equal("sequence", p.GetProperty("pattern").GetString());
        Assert.Equal(
            """[{"type":"widget","id":"cart-reminder","message":"Your basket is waiting","consent":"full"},{"type":"email","template":"cart-reminder","to":"customer","consent":"full"}]""",
            p.GetProperty("actions").GetRawText());
        Assert.Equal(("shop", "s1", "mobile", "v1", "alice", true), (
            p.GetProperty("app").GetString(), p.GetProperty("session").GetString(), p.GetProperty("channel").GetString(),
            p.GetProperty("visitor").GetString(), p.GetProperty("customer").GetString(), p.GetProperty("identified").GetBoolean()));
        Assert.Equal(("full", true), (p.GetProperty("consent").GetString(), p.GetProperty("consentSaid").GetBoolean()));
        Assert.Equal([add.EventId], p.GetProperty("events").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal(1, p.GetProperty("eventCount").GetInt32());
        Assert.Equal(T0.AddMinutes(1), p.GetProperty("firstAt").GetDateTimeOffset());
        Assert.Equal(T0.AddMinutes(1), p.GetProperty("lastAt").GetDateTimeOffset());
        Assert.Equal(T0.AddMinutes(11), p.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(T0.AddMinutes(11), p.GetProperty("at").GetDateTimeOffset());
        Assert.Equal(Holdout.Bucket("shop", "abandoned-cart", "alice"), p.GetProperty("bucket").GetInt32());
        Assert.Equal(0, p.GetProperty("holdout").GetDouble());
        Assert.Equal(7200, p.GetProperty("attributionWindowSeconds").GetInt32());
    }

    private sealed class Stages : IStageProvider
    {
        public string? StageOf(string app, SessionSummary session, EventRecord e) => e.Type == EventType.View && e.Name == "dates" ? "booking" : null;
    }

    [Fact]
    public void Example_RageThenHelp_StrictOverViewsAndActionsOnly()
    {
        var d = new RuleDriver(Example.Replace("holdout: 10%", "holdout: 0", StringComparison.Ordinal), stages: new Stages());
        var s = d.Start("s1", T0, c => c with { Consent = "full" });
        d.Apply(s, new EventRecord { EventId = "r1", Type = EventType.Action, Timestamp = T0, Name = "pay", Frustration = "rage" });
        d.Event(s, EventType.Request, T0.AddSeconds(1), "POST /pay");      // not considered: not "between"
        d.Apply(s, new EventRecord { EventId = "r2", Type = EventType.Action, Timestamp = T0.AddSeconds(2), Name = "pay", Frustration = "rage" });
        d.View(s, T0.AddSeconds(3), "help-payment");
        Assert.Contains("rage-then-help:fired", d.Outcomes);
    }
}
