using System.Text.RegularExpressions;
using Waymark.Core.Events;
using Waymark.Demo;

namespace Waymark.Server.Tests.Demo;

/// <summary>The shape of a demo day: deterministic, in receive order, on every channel, in realistic volumes.</summary>
public sealed partial class TravelDemoTests
{
    [Fact]
    public void Generate_SameSeedAndDayTwice_GivesIdenticalBatches()
    {
        var again = TravelDemo.Generate(GeneratedDay.Day, new DemoOptions()).ToList();

        Assert.Equal(GeneratedDay.Batches.Count, again.Count);
        for (var i = 0; i < again.Count; i++)
        {
            Assert.Equal(GeneratedDay.Batches[i].Context, again[i].Context);
            Assert.Equal(GeneratedDay.Batches[i].Events, again[i].Events);
        }
    }

    [Fact]
    public void Generate_OtherSeed_GivesOtherData()
    {
        var options = new DemoOptions { Seed = 7, WebSessions = 200, MobileSessions = 50, KioskSessions = 20, CheckinSessions = 20, ContactCenterCalls = 20 };

        var other = TravelDemo.Generate(GeneratedDay.Day, options).ToList();

        Assert.NotEqual(GeneratedDay.Batches[0].Context.Visitor, other[0].Context.Visitor);
        Assert.DoesNotContain(other.SelectMany(b => b.Events), e => e.EventId == GeneratedDay.Batches[0].Events[0].EventId);
    }

    [Fact]
    public void Generate_DefaultOptions_BatchesComeInReceivedOrderAfterTheirEvents()
    {
        var batches = GeneratedDay.Batches;

        for (var i = 1; i < batches.Count; i++)
        {
            Assert.True(batches[i - 1].Context.Received <= batches[i].Context.Received, $"batch {i} is received before batch {i - 1}");
        }
        foreach (var b in batches)
        {
            var last = b.Events.Max(e => e.Timestamp);
            Assert.InRange((b.Context.Received - last).TotalMilliseconds, 50, 60_000);
        }
    }

    [Fact]
    public void Generate_DefaultOptions_BatchesAreSmallAndSessionsSendSeveral()
    {
        Assert.All(GeneratedDay.Batches, b => Assert.InRange(b.Events.Count, 1, 20));
        var web = GeneratedDay.Channel("web");
        Assert.InRange(web.Average(s => s.Batches.Count), 2.0, 8.0);
        Assert.All(GeneratedDay.Batches, b => Assert.InRange((b.Events.Max(e => e.Timestamp) - b.Events.Min(e => e.Timestamp)).TotalSeconds, 0, 20));
    }

    [Fact]
    public void Generate_DefaultOptions_EveryChannelHasItsSessions()
    {
        var byChannel = GeneratedDay.Sessions.GroupBy(s => s.First.Channel).ToDictionary(g => g.Key, g => g.Count());

        Assert.InRange(byChannel["web"], 2_400, 2_500);
        Assert.InRange(byChannel["mobile"], 1_150, 1_200);
        Assert.Equal(250, byChannel["kiosk"]);
        Assert.Equal(400, byChannel["checkin"]);
        Assert.Equal(250, byChannel["contact-center"]);
        Assert.All(GeneratedDay.Channel("kiosk"), s => Assert.StartsWith("Store ", s.First.Touchpoint, StringComparison.Ordinal));
        Assert.All(GeneratedDay.Channel("kiosk"), s => Assert.Equal("kiosk", s.First.DeviceClass));
        Assert.All(GeneratedDay.Channel("checkin"), s => Assert.Matches(DeskPattern(), s.First.Touchpoint!));
        Assert.All(GeneratedDay.Channel("mobile"), s => Assert.Matches(VersionPattern(), s.First.AppVersion!));
        Assert.All(GeneratedDay.Channel("contact-center"), s => Assert.StartsWith("Queue ", s.First.Touchpoint, StringComparison.Ordinal));
    }

    [Fact]
    public void Generate_DefaultOptions_BetweenSixtyAndHundredTwentyThousandEvents()
    {
        Assert.InRange(GeneratedDay.Batches.Sum(b => b.Events.Count), 60_000, 120_000);
    }

    [Fact]
    public void Generate_DefaultOptions_EventIdsAreUnique()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);

        Assert.All(GeneratedDay.Events, x => Assert.True(ids.Add(x.Event.EventId), x.Event.EventId));
    }

    [Fact]
    public void Generate_DefaultOptions_VisitorsAreStableDevicesAndSessionIdsUnique()
    {
        Assert.All(GeneratedDay.Batches, b => Assert.Matches(IdPattern(), b.Context.Visitor));
        Assert.All(GeneratedDay.Batches, b => Assert.Matches(IdPattern(), b.Context.ClientSession!));
        var sessionsPerId = GeneratedDay.Sessions.GroupBy(s => s.First.ClientSession).Max(g => g.Count());
        Assert.Equal(1, sessionsPerId);
        // A device keeps its browser, OS and locale across the day; some come back for more sessions.
        var web = GeneratedDay.Channel("web").GroupBy(s => s.First.Visitor).ToList();
        Assert.All(web, g => Assert.Single(g.Select(s => (s.First.Browser, s.First.Os, s.First.Locale, s.First.Ip)).Distinct()));
        Assert.InRange(web.Count(g => g.Count() > 1), 100, 1_000);
    }

    [Fact]
    public void Generate_DefaultOptions_QuietAtNightBusyAtLunchAndInTheEvening()
    {
        var starts = GeneratedDay.Channel("web").Concat(GeneratedDay.Channel("mobile"))
            .GroupBy(s => (int)(s.Start - GeneratedDay.Day).TotalHours).ToDictionary(g => g.Key, g => g.Count());
        int At(int hour) => starts.GetValueOrDefault(hour);

        Assert.True(At(3) * 8 < At(12), $"03h {At(3)}, 12h {At(12)}");
        Assert.True(At(12) > At(10) && At(20) > At(16), "lunch and evening peaks");
        Assert.All(GeneratedDay.Channel("kiosk"), s => Assert.InRange((s.Start - GeneratedDay.Day).TotalHours, 9, 19.5));
    }

    [Fact]
    public void Generate_DefaultOptions_LocaleMatchesCountry()
    {
        var countries = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["en-GB"] = "GB", ["en-US"] = "US", ["de-DE"] = "DE", ["fr-FR"] = "FR", ["nl-NL"] = "NL", ["sv-SE"] = "SE",
        };

        Assert.All(GeneratedDay.Batches, b => Assert.Equal(countries[b.Context.Locale!], b.Context.Country));
    }

    [GeneratedRegex("^[vs]-[0-9a-f]{16}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^[A-Z]{3} Desk \d+$")]
    private static partial Regex DeskPattern();

    [GeneratedRegex(@"^5\.\d\.\d$")]
    private static partial Regex VersionPattern();
}
