using Waymark.Core.Identity;
using System.Text.Json;
using Waymark.Core.Events;
using Waymark.Demo;

namespace Waymark.Server.Tests.Demo;

/// <summary>The stories the demo day must tell, each recognisable in the data.</summary>
public sealed class TravelDemoScenarioTests
{
    private static List<ClientSession> DatePickerSessions =>
        [.. GeneratedDay.Sessions.Where(s => s.HasError(DemoErrors.DatePickerFingerprint))];

    [Fact]
    public void DatePickerError_OnlySafariOnGermanAndDutchLocales()
    {
        var hit = DatePickerSessions;

        Assert.InRange(hit.Count, 30, 250);
        Assert.All(hit, s =>
        {
            Assert.Equal("web", s.First.Channel);
            Assert.Equal("Safari", s.First.Browser);
            Assert.Contains(s.First.Locale, new[] { "de-DE", "nl-NL" });
        });
        Assert.Contains(hit, s => s.First.Locale == "de-DE");
        Assert.Contains(hit, s => s.First.Locale == "nl-NL");
        // Every such visitor who tries to pick dates is blocked; nobody else is.
        var exposed = GeneratedDay.Channel("web").Where(s =>
            s.First.Browser == "Safari" && s.First.Locale is "de-DE" or "nl-NL" && s.HasView("Date selection"));
        Assert.Equal(exposed.Count(), hit.Count);
    }

    [Fact]
    public void DatePickerError_BelongsToTheFailedPickDatesClick()
    {
        foreach (var s in DatePickerSessions)
        {
            foreach (var error in s.Events.Where(e => e.Fingerprint == DemoErrors.DatePickerFingerprint))
            {
                Assert.Contains("locale.firstDayOfWeek", error.Message, StringComparison.Ordinal);
                Assert.Contains("https://www.horizon-travel.example/static/js/datepicker.3f9a.js", error.Stack, StringComparison.Ordinal);
                Assert.StartsWith("https://www.horizon-travel.example/static/js/datepicker.3f9a.js", error.Source, StringComparison.Ordinal);
                var action = Assert.Single(s.Events, e => e.EventId == error.ActionId);
                Assert.Equal(EventType.Action, action.Type);
                Assert.Equal("Pick dates", action.Name);
                Assert.True(action.Failed);
                Assert.Contains("error", action.Frustration, StringComparison.Ordinal);
                // An error click: the error follows the click within 100 ms.
                Assert.InRange((error.Timestamp - action.Timestamp).TotalMilliseconds, 0, 100);
            }
        }
        var raged = DatePickerSessions.Count(s => s.Events.Any(e => e.Type == EventType.Action && e.Frustration?.Contains("rage", StringComparison.Ordinal) == true));
        Assert.InRange(raged, DatePickerSessions.Count / 3, DatePickerSessions.Count);
    }

    [Fact]
    public void DatePickerSessions_NeverReachTheCartOrConvert()
    {
        Assert.All(DatePickerSessions, s =>
        {
            Assert.False(s.Converted);
            Assert.False(s.HasView("Cart"));
            Assert.False(s.HasView("Payment"));
        });
    }

    [Fact]
    public void DatePickerVictims_SomeCallTheContactCentreWithinTheHour()
    {
        var couldNotBook = GeneratedDay.Channel("contact-center").Where(c => Prop(c, "call.ended", "reason") == "could not book").ToList();
        var victimsByTag = DatePickerSessions
            .Select(s => (Tag: s.Batches.Select(b => b.Context.UserTag).LastOrDefault(t => t is not null), s.End))
            .Where(v => v.Tag is not null)
            .ToList();

        // The IVR names the caller by the SHA-256 of their phone number, which
        // the website's login linked to the user tag.
        var linked = couldNotBook.Count(call =>
        {
            var phone = call.Events.FirstOrDefault(e => e.Type == EventType.Identify && e.Identity?.Kind == IdentityKeys.Phone)?.Identity?.Value;
            return victimsByTag.Any(v => IdentityKeys.Sha256Hex(IdentityKeys.Phone, DemoCustomers.Phone(v.Tag!)) == phone &&
                                         call.Start - v.End > TimeSpan.Zero && call.Start - v.End <= TimeSpan.FromHours(1));
        });

        Assert.InRange(couldNotBook.Count, 10, 100);
        Assert.InRange(linked, 5, couldNotBook.Count);
    }

    [Fact]
    public void Availability_SlowMedianAndLongTail()
    {
        var calls = GeneratedDay.Events.Select(x => x.Event).Where(e => e.Url == PartnerAvailability.Url).ToList();
        var durations = calls.Select(e => e.Duration!.Value).Order().ToList();

        Assert.All(calls, e => Assert.True(e.ThirdParty));
        Assert.InRange(durations[durations.Count / 2], 750, 1_100);
        Assert.InRange(durations.Count(d => d > 4_000) / (double)durations.Count, 0.10, 0.22);
    }

    [Fact]
    public void Availability_FailsAboutOneCallInTwenty_With503OrNetworkError()
    {
        var calls = GeneratedDay.Events.Select(x => x.Event).Where(e => e.Url == PartnerAvailability.Url).ToList();
        var failed = calls.Where(e => e.Failed).ToList();

        Assert.InRange(failed.Count / (double)calls.Count, 0.03, 0.08);
        Assert.All(failed, e => Assert.Contains(e.Status, new int?[] { 503, 0 }));
        Assert.All(calls.Where(e => !e.Failed), e => Assert.Equal(200, e.Status));
        Assert.Contains(failed, e => e.Status == 0);
        // Of the web and app requests, the partner's share is sizeable but not most.
        var requests = GeneratedDay.Events.Where(x => x.Context.Channel is "web" or "mobile" && x.Event.Type == EventType.Request).ToList();
        Assert.InRange(requests.Count(x => x.Event.ThirdParty) / (double)requests.Count, 0.08, 0.35);
    }

    [Fact]
    public void Availability_SessionsWithFailuresConvertLess()
    {
        var searched = GeneratedDay.Channel("web").Where(s => s.HasView("Results")).ToList();
        var failing = searched.Where(s => s.Events.Any(e => e.Url == PartnerAvailability.Url && e.Failed)).ToList();
        var healthy = searched.Except(failing).ToList();

        Assert.InRange(failing.Count, 30, 400);
        Assert.True(Rate(failing) * 2 < Rate(healthy), $"failing {Rate(failing):P1}, healthy {Rate(healthy):P1}");
    }

    [Fact]
    public void Cart_DawdlersIdleForMinutesAndLeaveWithoutPaying()
    {
        var carts = GeneratedDay.Sessions.Where(s => s.HasView("Cart")).ToList();
        var dawdlers = carts.Where(s => IdleAfter(s, "Cart", TimeSpan.FromMinutes(4))).ToList();
        var beyondRule = GeneratedDay.Sessions.Where(s => s.LongestGap > TimeSpan.FromMinutes(30)).ToList();

        Assert.InRange(dawdlers.Count, 40, carts.Count / 2);
        Assert.InRange(beyondRule.Count, 15, dawdlers.Count);
        Assert.All(dawdlers, s =>
        {
            Assert.False(s.Converted);
            Assert.False(s.HasView("Payment"));
        });
        // Only dawdling at the cart breaks the 30-minute rule.
        Assert.All(beyondRule, s => Assert.True(IdleAfter(s, "Cart", TimeSpan.FromMinutes(30))));
    }

    /// <summary>Whether the session pauses longer than <paramref name="idle"/> while this page is the last one viewed.</summary>
    private static bool IdleAfter(ClientSession s, string page, TimeSpan idle)
    {
        string? current = null;
        for (var i = 0; i < s.Events.Count; i++)
        {
            var e = s.Events[i];
            if (e.Type == EventType.View)
            {
                current = e.Name;
            }
            if (current == page && i + 1 < s.Events.Count && s.Events[i + 1].Timestamp - e.Timestamp > idle)
            {
                return true;
            }
        }
        return false;
    }

    [Fact]
    public void Conversion_WebBookingsAreThreeToFivePercentWithThePriceAsValue()
    {
        var web = GeneratedDay.Channel("web");
        var conversions = web.SelectMany(s => s.Events).Where(e => e.Type == EventType.Conversion).ToList();

        Assert.InRange(Rate(web), 0.03, 0.05);
        Assert.All(conversions, e =>
        {
            Assert.Equal("booking", e.Name);
            Assert.InRange(e.Value!.Value, 300, 20_000);
        });
        Assert.All(web.Where(s => s.Converted), s => Assert.True(s.HasView("Payment") && s.HasView("Confirmation")));
    }

    [Fact]
    public void Identify_BatchesAfterItCarryTheUserTag()
    {
        // Logins (a user tag); loyalty cards and phone numbers are other keys.
        var identified = GeneratedDay.Sessions.Where(s => s.Events.Any(e => e.Type == EventType.Identify && e.Identity?.Kind == IdentityKeys.User)).ToList();

        Assert.InRange(identified.Count(s => s.First.Channel == "web"), 50, 1_000);
        Assert.All(identified, s =>
        {
            var at = s.Batches.Select((b, i) => (b, i)).First(x => x.b.Events.Any(e => e.Type == EventType.Identify && e.Identity?.Kind == IdentityKeys.User));
            var tag = at.b.Events.First(e => e.Type == EventType.Identify && e.Identity?.Kind == IdentityKeys.User).Identity!.Value;
            Assert.Matches("^cust-[0-9]{6}$", tag);
            Assert.All(s.Batches.Skip(at.i + 1), b => Assert.Equal(tag, b.Context.UserTag));
        });
    }

    [Fact]
    public void ContactCentre_CallsReportReasonQueueAndWait()
    {
        foreach (var call in GeneratedDay.Channel("contact-center"))
        {
            Assert.Equal("call.started", call.Events[0].Name);
            Assert.Contains(call.Events, e => e.Name == "ivr.step");
            Assert.Equal(EventType.SessionEnd, call.Events[^1].Type);
            var ended = Assert.Single(call.Events, e => e.Name == "call.ended");
            using var props = JsonDocument.Parse(ended.Props!);
            Assert.False(string.IsNullOrEmpty(props.RootElement.GetProperty("reason").GetString()));
            Assert.Equal(call.First.Touchpoint, "Queue " + props.RootElement.GetProperty("queue").GetString());
            Assert.InRange(props.RootElement.GetProperty("waitSeconds").GetInt32(), 0, 1_500);
            if (call.Events.Any(e => e.Name == "call.answered"))
            {
                Assert.Contains(call.Events, e => e.Type == EventType.View && e.Name == "Customer lookup");
            }
        }
    }

    [Fact]
    public void WebVitals_MostlyGoodWithSomePoorOnMobile()
    {
        var lcp = GeneratedDay.Events.Where(x => x.Event.Type == EventType.Vital && x.Event.Name == "LCP").ToList();
        var desktop = lcp.Where(x => x.Context.DeviceClass == "desktop").Select(x => x.Event.Value!.Value).Order().ToList();
        var mobile = lcp.Where(x => x.Context.DeviceClass == "mobile").Select(x => x.Event.Value!.Value).Order().ToList();
        var cls = GeneratedDay.Events.Where(x => x.Event.Type == EventType.Vital && x.Event.Name == "CLS").Select(x => x.Event.Value!.Value).ToList();

        Assert.True(P75(desktop) <= 2_500, $"desktop LCP p75 {P75(desktop)}");
        Assert.True(P75(mobile) > P75(desktop), $"mobile LCP p75 {P75(mobile)}");
        Assert.InRange(mobile.Count(v => v > 4_000) / (double)mobile.Count, 0.03, 0.30);
        Assert.InRange(cls.Count(v => v <= 0.1) / (double)cls.Count, 0.7, 0.95);
        Assert.DoesNotContain(GeneratedDay.Events, x => x.Event.Type == EventType.Vital && x.Context.Channel != "web");
    }

    private static double Rate(IReadOnlyCollection<ClientSession> sessions) => sessions.Count(s => s.Converted) / (double)sessions.Count;

    private static double P75(List<double> sorted) => sorted[(int)(sorted.Count * 0.75)];

    private static string? Prop(ClientSession s, string eventName, string prop)
    {
        var e = s.Events.FirstOrDefault(x => x.Name == eventName);
        if (e?.Props is null)
        {
            return null;
        }
        using var doc = JsonDocument.Parse(e.Props);
        return doc.RootElement.TryGetProperty(prop, out var v) ? v.GetString() : null;
    }
}
