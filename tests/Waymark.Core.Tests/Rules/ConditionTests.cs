using Waymark.Core.Events;
using Waymark.Core.Rules;
using Waymark.Core.Sessions;
using static Waymark.Core.Tests.Rules.RuleDriver;

namespace Waymark.Core.Tests.Rules;

/// <summary>Conditions on segment, customer, tags and consent: each holds or not on a session set up by hand.</summary>
public sealed class ConditionTests
{
    private static string Doc(string when) => $$"""
        settings: { holdout: 0 }
        rules:
          - id: r1
            when: {{when}}
            pattern:
              kind: sequence
              steps:
                - match: { type: view, name: home }
        """;

    private static int Fires(string when, Func<BatchContext, BatchContext> context, ICustomerFacts? facts = null)
    {
        var d = new RuleDriver(Doc(when), facts: facts);
        var s = d.Start("s1", T0, context);
        d.View(s, T0, "home");
        return d.Signals.Count;
    }

    [Theory]
    [InlineData("{ channel: web }", "web", 1)]
    [InlineData("{ channel: web }", "mobile", 0)]
    [InlineData("{ channel: [kiosk, mobile] }", "mobile", 1)]
    [InlineData("{ channel: { ne: web } }", "web", 0)]
    public void Channel(string when, string channel, int expected) =>
        Assert.Equal(expected, Fires(when, c => c with { Channel = channel }));

    [Theory]
    [InlineData("mobile", 1)]
    [InlineData("desktop", 0)]
    public void DeviceClass(string device, int expected) =>
        Assert.Equal(expected, Fires("{ deviceClass: [mobile, tablet] }", c => c with { DeviceClass = device }));

    [Theory]
    [InlineData("CH", 1)]
    [InlineData("FR", 0)]
    [InlineData(null, 0)]
    public void Country(string? country, int expected) =>
        Assert.Equal(expected, Fires("{ country: { in: [CH, DE, AT] } }", c => c with { Country = country }));

    [Theory]
    [InlineData("2.10.0", 1)]   // compared as versions: 10 > 9
    [InlineData("2.9.3", 0)]
    [InlineData(null, 0)]
    public void AppVersion(string? version, int expected) =>
        Assert.Equal(expected, Fires("{ appVersion: { gte: \"2.10\" } }", c => c with { AppVersion = version }));

    [Theory]
    [InlineData("zurich-hb", 1)]
    [InlineData("bern", 0)]
    public void Touchpoint(string touchpoint, int expected) =>
        Assert.Equal(expected, Fires("{ touchpoint: { startsWith: zurich } }", c => c with { Touchpoint = touchpoint }));

    [Theory]
    [InlineData("alice", "present", 1)]
    [InlineData(null, "present", 0)]
    [InlineData(null, "absent", 1)]
    public void UserTag(string? tag, string when, int expected) =>
        Assert.Equal(expected, Fires("{ userTag: " + when + " }", c => c with { UserTag = tag }));

    [Theory]
    [InlineData("full", "{ consent: full }", 1)]
    [InlineData("analytics", "{ consent: full }", 0)]
    [InlineData(null, "{ consent: analytics }", 1)]   // not said: the app's default, analytics
    public void Consent(string? consent, string when, int expected) =>
        Assert.Equal(expected, Fires(when, c => c with { Consent = consent }));

    private sealed class Facts(bool? returning, params string[] tags) : ICustomerFacts
    {
        public List<string> AskedFor { get; } = [];

        public bool? IsReturning(string app, string customer, SessionSummary session)
        {
            AskedFor.Add(customer);
            return returning;
        }

        public bool HasTag(string app, string customer, string tag) => customer == "alice" && tags.Contains(tag);
    }

    [Theory]
    [InlineData(true, "returning", 1)]
    [InlineData(false, "returning", 0)]
    [InlineData(false, "new", 1)]
    [InlineData(true, "new", 0)]
    // The caller does not know: the journey's own view decides, and this is the first session it sees.
    [InlineData(null, "new", 1)]
    [InlineData(null, "returning", 0)]
    public void Customer_FromTheCallersFacts(bool? returning, string when, int expected) =>
        Assert.Equal(expected, Fires("{ customer: " + when + " }", c => c with { UserTag = "alice" }, new Facts(returning)));

    [Fact]
    public void Customer_WithoutFacts_ASecondSessionIsReturning()
    {
        var d = new RuleDriver(Doc("{ customer: returning }"));
        d.Start("s1", T0);
        d.View("s1", T0, "home");
        d.End("s1", T0.AddMinutes(1));
        Assert.Empty(d.Signals);
        d.Start("s2", T0.AddDays(1));
        d.View("s2", T0.AddDays(1), "home");
        Assert.Single(d.Signals);
    }

    [Fact]
    public void Customer_KeyIsTheUserTagWhenKnown()
    {
        var facts = new Facts(true);
        Fires("{ customer: returning }", c => c with { UserTag = "alice" }, facts);
        Fires("{ customer: returning }", c => c, facts);
        Assert.Equal(["alice", "v1"], facts.AskedFor);
    }

    [Theory]
    [InlineData("{ tags: [vip, gold] }", 1)]
    [InlineData("{ tags: { allOf: [vip, gold] } }", 0)]
    [InlineData("{ tags: { anyOf: [gold], noneOf: [staff] } }", 0)]
    [InlineData("{ tags: { noneOf: [blocked] } }", 1)]
    public void Tags(string when, int expected) =>
        Assert.Equal(expected, Fires(when, c => c with { UserTag = "alice" }, new Facts(null, "vip", "staff")));

    [Fact]
    public void Experience_ConditionOnTheSessionAtTheMatch()
    {
        var d = new RuleDriver(Doc("{ experience: [tolerating, frustrated] }").Replace("type: view, name: home", "type: view, name: help", StringComparison.Ordinal));
        var s = d.Start("s1", T0);
        d.View(s, T0, "help");
        Assert.Empty(d.Signals);
        d.Event(s, EventType.Error, T0.AddSeconds(1), "TypeError");
        d.View(s, T0.AddSeconds(2), "help");
        Assert.Single(d.Signals);
    }
}
