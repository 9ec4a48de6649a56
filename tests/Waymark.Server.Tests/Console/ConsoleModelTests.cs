using Waymark.Core.Events;
using Waymark.Core.Sessions;
using Waymark.Server.Console.Data;
using Waymark.Server.Store;

namespace Waymark.Server.Tests.ConsolePages;

/// <summary>What the console makes of a search text and of a session's events.</summary>
public sealed class ConsoleModelTests
{
    [Theory]
    [InlineData("anna.jansen", "user", "anna.jansen")]
    [InlineData("  cust-013330 ", "user", "cust-013330")]
    [InlineData("Anna@Example.com", "email", "Anna@Example.com")]
    [InlineData("+31 6 1234 5678", "phone", "+31 6 1234 5678")]
    [InlineData("06-12345678", "phone", "06-12345678")]
    [InlineData("loyalty:HZ-1234567", "loyalty", "HZ-1234567")]
    [InlineData("email: anna@example.com", "email", "anna@example.com")]
    [InlineData("visitor:v-22afe72d7308af10", "visitor", "v-22afe72d7308af10")]
    [InlineData("session:s-1", "session", "s-1")]
    [InlineData("1234", "user", "1234")]
    public void Parse_SearchText_KindAndValue(string text, string kind, string value)
    {
        var term = CustomerFinder.Parse(text);
        Assert.NotNull(term);
        Assert.Equal(kind, term.Kind);
        Assert.Equal(value, term.Value);
    }

    [Fact]
    public void Parse_Blank_Nothing() => Assert.Null(CustomerFinder.Parse("   "));

    [Fact]
    public void Build_ErrorOnAClick_ShownUnderTheClickOfItsPage_WithItsRequests()
    {
        var t0 = new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
        var ctx = new BatchContext { App = "shop", Channel = "web", Visitor = "v", Received = t0.AddMinutes(5) };
        StoredEvent E(EventRecord e) => new("s-1", ctx, e);
        var events = new[]
        {
            E(new EventRecord { EventId = "v1", Type = EventType.View, Timestamp = t0, Name = "Home", Duration = 900 }),
            E(new EventRecord { EventId = "r1", Type = EventType.Request, Timestamp = t0.AddMilliseconds(100), ActionId = "v1", Url = "https://shop.example/api/home", Duration = 300 }),
            E(new EventRecord { EventId = "v2", Type = EventType.View, Timestamp = t0.AddSeconds(30), Name = "Dates", Duration = 700 }),
            E(new EventRecord { EventId = "a1", Type = EventType.Action, Timestamp = t0.AddSeconds(40), Name = "Pick dates", Duration = 80, Frustration = "error" }),
            E(new EventRecord { EventId = "r2", Type = EventType.Request, Timestamp = t0.AddSeconds(40).AddMilliseconds(20), ActionId = "a1", Url = "https://partner.example/v2", Duration = 1200, ThirdParty = true, Status = 503, Failed = true }),
            E(new EventRecord { EventId = "x1", Type = EventType.Error, Timestamp = t0.AddSeconds(40).AddMilliseconds(50), ActionId = "a1", Message = "TypeError", Stack = "at weekStart" }),
            E(new EventRecord { EventId = "l1", Type = EventType.Vital, Timestamp = t0.AddSeconds(41), Name = "LCP", Value = 4200 }),
            E(new EventRecord { EventId = "a2", Type = EventType.Action, Timestamp = t0.AddSeconds(55), Name = "Pick dates", Duration = 90 }),
        };
        var summary = new SessionSummary { App = "shop", SessionId = "s-1", Start = t0, End = t0.AddSeconds(55) };

        var view = SessionView.Build(summary, events, new ApdexThresholds());

        Assert.Equal(["Home", "Dates"], view.Pages.Select(p => p.Name));
        Assert.Equal(TimeSpan.FromSeconds(30), view.Pages[0].TimeOnPage);
        Assert.Equal(TimeSpan.FromSeconds(25), view.Pages[1].TimeOnPage);
        Assert.False(view.Pages[0].Broken);
        var dates = view.Pages[1];
        Assert.True(dates.Broken);
        var click = dates.Actions.Single(a => a.Event.EventId == "a1");
        Assert.Equal("TypeError", Assert.Single(click.Errors).Message);
        Assert.Equal(ApdexClass.Frustrated, click.Rating);
        var request = Assert.Single(click.Requests);
        Assert.True(request.ThirdParty);
        Assert.True(request.Failed);
        Assert.Equal(20, request.OffsetMs);
        Assert.Equal(1220, click.SpanMs);
        Assert.Equal("partner.example", request.Host);
        var place = Assert.Single(view.Errors);
        Assert.Same(click, place.Action);
        Assert.Same(dates, place.Page);
        Assert.Equal(ApdexClass.Satisfied, dates.Actions.Single(a => a.Event.EventId == "a2").Rating);
        Assert.Equal("LCP", Assert.Single(dates.Vitals).Name);
        Assert.Single(view.Pages[0].Actions.Single(a => a.PageLoad).Requests);
    }

    [Theory]
    [InlineData("LCP", 2500, "good")]
    [InlineData("LCP", 2501, "needs-improvement")]
    [InlineData("LCP", 4001, "poor")]
    [InlineData("INP", 200, "good")]
    [InlineData("INP", 500, "needs-improvement")]
    [InlineData("INP", 501, "poor")]
    [InlineData("CLS", 0.1, "good")]
    [InlineData("CLS", 0.25, "needs-improvement")]
    [InlineData("cls", 0.26, "poor")]
    public void Rate_Vital_AgainstDefinitionsThresholds(string name, double value, string rating) =>
        Assert.Equal(rating, new VitalThresholds().Rate(name, value));
}
