using Waymark.Core.Events;
using Waymark.Core.Identity;
using Waymark.Demo;

namespace Waymark.Server.Tests.Demo;

/// <summary>The demo span: 14 days that end now, a web release on day 10 that brings the date-picker bug, every other story on every day.</summary>
public sealed class TravelDemoDaysTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 10, 14, 37, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_release = new(2026, 3, 6, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A fifth of the default volumes: enough for every story on every day.</summary>
    private static readonly DemoOptions s_options = new()
    {
        WebSessions = 500, MobileSessions = 240, KioskSessions = 50, CheckinSessions = 80, ContactCenterCalls = 50,
    };

    private static readonly Lazy<IReadOnlyList<DemoDaySpec>> s_days = new(() => TravelDemo.Days(s_now, s_options));
    private static readonly Lazy<List<(DemoDaySpec Day, ClientSession Session)>> s_sessions = new(() =>
        [.. s_days.Value.SelectMany(d => GeneratedDay.GroupSessions([.. TravelDemo.Generate(d.Start, d.Options)]).Select(s => (d, s)))]);

    private static IEnumerable<ClientSession> Web => s_sessions.Value.Where(x => x.Session.First.Channel == "web").Select(x => x.Session);

    [Fact]
    public void Days_FourteenDaysEndingNow_CalendarDaysFromThenToToday()
    {
        var days = s_days.Value;

        Assert.Equal(15, days.Count);
        Assert.Equal(new DateOnly(2026, 2, 24), days[0].Date);
        Assert.Equal(new DateOnly(2026, 3, 10), days[^1].Date);
        Assert.All(days.Zip(days.Skip(1)), p => Assert.Equal(p.First.Date.AddDays(1), p.Second.Date));
        Assert.Equal(s_now.AddDays(-14), days[0].Options.From);
        Assert.All(days.Skip(1), d => Assert.Null(d.Options.From));
        Assert.Equal(s_now, days[^1].Options.Until);
        Assert.All(days.SkipLast(1), d => Assert.Null(d.Options.Until));
        Assert.All(days, d => Assert.Equal(s_release, d.Options.Release));
        Assert.Equal(15, days.Select(d => d.Options.Seed).Distinct().Count());
    }

    [Fact]
    public void Days_SameSeedAndNow_SameData_OtherSeedOtherData()
    {
        var again = TravelDemo.Days(s_now, s_options);
        var day = again[9];
        var first = TravelDemo.Generate(day.Start, day.Options).ToList();
        var second = TravelDemo.Generate(s_days.Value[9].Start, s_days.Value[9].Options).ToList();
        var other = TravelDemo.Days(s_now, s_options with { Seed = 7 })[9];

        Assert.Equal(s_days.Value, again);
        Assert.Equal(first.Count, second.Count);
        Assert.All(first.Zip(second), p => Assert.Equal(p.First.Events, p.Second.Events));
        Assert.NotEqual(day.Options.Seed, other.Options.Seed);
        Assert.NotEqual(first[0].Context.Visitor, TravelDemo.Generate(other.Start, other.Options).First().Context.Visitor);
    }

    [Fact]
    public void Days_EverySessionWithinTheSpan_TodayEndsNow()
    {
        var from = s_now.AddDays(-14);

        Assert.All(s_sessions.Value, x =>
        {
            Assert.True(x.Session.Start >= from, $"session starts {x.Session.Start:u}");
            Assert.True(x.Session.Batches[^1].Context.Received <= s_now, $"batch received {x.Session.Batches[^1].Context.Received:u}");
        });
        Assert.Contains(s_sessions.Value, x => x.Session.Start > s_now.AddMinutes(-30));
        // No visitor spans two days: the loader may load the days in any order.
        var daysPerVisitor = s_sessions.Value.GroupBy(x => x.Session.First.Visitor).Max(g => g.Select(x => x.Day.Date).Distinct().Count());
        Assert.Equal(1, daysPerVisitor);
    }

    [Fact]
    public void Days_WeekendsBusierOnTheWebQuieterAtTheContactCentre_Modestly()
    {
        var full = s_days.Value.Skip(1).SkipLast(1).ToList();
        double Mean(DayOfWeek d, Func<DemoOptions, int> volume) => full.Where(x => x.Date.DayOfWeek == d).Average(x => volume(x.Options));

        Assert.True(Mean(DayOfWeek.Sunday, o => o.WebSessions) > Mean(DayOfWeek.Friday, o => o.WebSessions));
        Assert.True(Mean(DayOfWeek.Sunday, o => o.ContactCenterCalls) < Mean(DayOfWeek.Monday, o => o.ContactCenterCalls));
        Assert.All(full, d => Assert.InRange(d.Options.WebSessions, 400, 600));
    }

    [Fact]
    public void Release_WebVersionChangesOnTheReleaseDay()
    {
        Assert.All(Web, s => Assert.Equal(s.Start >= s_release ? DemoRelease.BuggyWebVersion : DemoRelease.PreviousWebVersion, s.First.AppVersion));
        Assert.All(s_sessions.Value.Where(x => x.Session.First.Channel == "mobile"), x => Assert.StartsWith("5.", x.Session.First.AppVersion, StringComparison.Ordinal));
    }

    [Fact]
    public void Release_DatePickerErrorsOnlyOnAndAfterTheReleaseDay_EveryDaySince()
    {
        var hit = s_sessions.Value.Where(x => x.Session.HasError(DemoErrors.DatePickerFingerprint)).ToList();

        Assert.All(hit, x =>
        {
            Assert.True(x.Session.Start >= s_release, $"date-picker error in a session of {x.Session.Start:u}");
            Assert.Equal(DemoRelease.BuggyWebVersion, x.Session.First.AppVersion);
        });
        var days = hit.Select(x => x.Day.Date).ToHashSet();
        Assert.Equal(s_days.Value.Where(d => d.Start >= s_release).Select(d => d.Date).ToHashSet(), days);
        // Before the release, Safari users on de-DE and nl-NL pick their dates like everybody else.
        var before = Web.Where(s => s.Start < s_release && s.First.Browser == "Safari" && s.First.Locale is "de-DE" or "nl-NL").ToList();
        Assert.Contains(before, s => s.HasView("Cart"));
        Assert.DoesNotContain(before, s => s.Events.Any(e => e.Type == EventType.Action && e.Failed && e.Name == "Pick dates" && e.Frustration is not null));
    }

    [Fact]
    public void Release_WebConversionOfSafariOnGermanAndDutchLocalesDropsFromTheReleaseDay()
    {
        var exposed = Web.Where(s => s.First.Browser == "Safari" && s.First.Locale is "de-DE" or "nl-NL").ToList();
        var before = exposed.Where(s => s.Start < s_release).ToList();
        var after = exposed.Where(s => s.Start >= s_release).ToList();
        var others = Web.Where(s => !(s.First.Browser == "Safari" && s.First.Locale is "de-DE" or "nl-NL")).ToList();

        Assert.InRange(Rate(before), 0.02, 0.08);
        Assert.Equal(0, Rate(after));
        // Everyone else books before and after alike.
        Assert.InRange(Rate(others.Where(s => s.Start >= s_release).ToList()) / Rate(others.Where(s => s.Start < s_release).ToList()), 0.6, 1.6);
    }

    [Fact]
    public void Days_OtherStoriesOnEveryDay()
    {
        foreach (var day in s_sessions.Value.GroupBy(x => x.Day.Date).Where(g => g.Key != s_days.Value[0].Date && g.Key != s_days.Value[^1].Date))
        {
            var sessions = day.Select(x => x.Session).ToList();
            var events = sessions.SelectMany(s => s.Events).ToList();
            Assert.Contains(events, e => e.Url == PartnerAvailability.Url && e.Failed);
            Assert.Contains(events, e => e.Fingerprint == DemoErrors.ResizeObserver.Fingerprint);
            Assert.Contains(events, e => e.Type == EventType.Conversion);
            foreach (var channel in (string[])["web", "mobile", "kiosk", "checkin", "contact-center"])
            {
                Assert.Contains(sessions, s => s.First.Channel == channel);
            }
        }
    }

    [Fact]
    public void Days_EveryDayHasCustomersOnTheAppTheWebsiteAndADesk()
    {
        foreach (var day in s_sessions.Value.GroupBy(x => x.Day.Date).Where(g => g.Key != s_days.Value[0].Date && g.Key != s_days.Value[^1].Date))
        {
            HashSet<string> Tags(string channel) =>
                [.. day.Where(x => x.Session.First.Channel == channel).SelectMany(x => x.Session.Batches).Select(b => b.Context.UserTag).OfType<string>()];
            var scanned = day.Where(x => x.Session.First.Channel is "kiosk" or "checkin")
                .SelectMany(x => x.Session.Events).Where(e => e.Identity?.Kind == IdentityKeys.Loyalty).Select(e => e.Identity!.Value).ToHashSet();
            var web = Tags("web");
            var all = Tags("mobile").Where(t => web.Contains(t) && scanned.Contains(DemoCustomers.Loyalty(t))).ToList();
            Assert.True(all.Count >= 2, $"{day.Key}: {all.Count} customers on the app, the website and a desk");
        }
    }

    [Fact]
    public void BookingJourney_StepsInOrder_ExtrasSkippedBySome_ResultsAndOfferRepeated()
    {
        string[] steps = ["Home", "Search", "Results", "Offer detail", "Date selection", "Extras", "Cart", "Traveller details", "Payment", "Confirmation"];
        var booked = Web.Concat(s_sessions.Value.Where(x => x.Session.First.Channel == "mobile").Select(x => x.Session)).Where(s => s.Converted).ToList();

        Assert.All(booked, s =>
        {
            var views = s.Events.Where(e => e.Type == EventType.View).Select(e => Array.IndexOf(steps, e.Name)).ToList();
            Assert.DoesNotContain(-1, views);
            // Each first visit of a step comes after the first visit of the steps before it.
            var firsts = views.Distinct().ToList();
            Assert.Equal(firsts.Order(), firsts);
            Assert.Equal(steps.Length - 1, views[^1]);
            Assert.Contains(4, views);
            Assert.Contains(8, views);
        });
        var withExtras = booked.Count(s => s.HasView("Extras"));
        Assert.InRange(withExtras, booked.Count / 3, booked.Count * 9 / 10);
        var looped = Web.Count(s => s.Events.Count(e => e.Type == EventType.View && e.Name == "Offer detail") > 1 && s.HasView("Results"));
        Assert.InRange(looped, 100, Web.Count() / 2);
        Assert.Contains(Web, s => s.Events.Count(e => e.Type == EventType.View && e.Name == "Date selection") > 1);
    }

    private static double Rate(List<ClientSession> sessions) => sessions.Count(s => s.Converted) / (double)sessions.Count;
}
