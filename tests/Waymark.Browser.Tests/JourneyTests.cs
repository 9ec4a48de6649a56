using System.Text.Json;
using Waymark.Browser.Tests.Infrastructure;
using static Waymark.Browser.Tests.Infrastructure.Timeline;

namespace Waymark.Browser.Tests;

/// <summary>
/// A visitor's journey through the test shop in Chromium, with the agent
/// loaded by its snippet from the Waymark server; everything is asserted on
/// what the server stored, through the query API.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class JourneyTests(ShopSite site) : IClassFixture<ShopSite>
{
    private static readonly string[] s_funnel = ["/site/home", "/site/search", "/site/dates", "/site/cart", "/site/confirmation"];

    [Fact]
    public async Task Navigate_FivePagesToBooking_OneSessionWithViewsInOrderAndConversion()
    {
        await using var shop = await ShopPage.OpenAsync(site);
        await shop.GotoAsync("/site/home");
        var sessions = new List<string> { await shop.SessionAsync() };
        await shop.FollowAsync("#to-search", "/site/search");
        sessions.Add(await shop.SessionAsync());
        await shop.FollowAsync("#to-dates", "/site/dates");
        sessions.Add(await shop.SessionAsync());
        await shop.FollowAsync("#to-cart", "/site/cart");
        sessions.Add(await shop.SessionAsync());
        await shop.FollowAsync("#book", "/site/confirmation");
        sessions.Add(await shop.SessionAsync());
        var visitor = await shop.VisitorAsync();

        Assert.Single(sessions.Distinct());
        var t = await Stored.TimelineAsync(site.Server, sessions[0],
            t => t.OfType("view").Count == 5 && t.OfType("action").Count == 4 && t.OfType("conversion").Count == 1,
            "5 page views, the 4 link clicks between them and the conversion");

        var views = t.OfType("view");
        Assert.Equal(s_funnel, views.Select(v => Text(v, "name")));
        Assert.All(views, v => Assert.StartsWith(site.Origin + "/site/", Text(v, "url"), StringComparison.Ordinal));
        Assert.All(views, v => Assert.InRange(Number(v, "duration") ?? -1, 1, 10_000));
        Assert.All(views, v => Assert.NotNull(Prop(v, "ttfb")));
        var starts = views.Select(v => v.GetProperty("ts").GetDateTimeOffset()).ToList();
        Assert.Equal(starts.Order(), starts);
        Assert.Equal(["a#to-search.button", "a#to-dates.button", "a#to-cart.button", "a#book.button"], t.OfType("action").Select(a => Text(a, "target")));

        var conversion = Assert.Single(t.OfType("conversion"));
        Assert.Equal("booking", Text(conversion, "name"));
        Assert.Equal(420, Number(conversion, "value"));

        var s = t.Session;
        Assert.Equal(5, s.GetProperty("pages").GetInt32());
        Assert.True(s.GetProperty("converted").GetBoolean());
        Assert.Equal(420, s.GetProperty("conversionValue").GetDouble());
        Assert.Equal("/site/home", Text(s, "entryPage"));
        Assert.Equal("/site/confirmation", Text(s, "exitPage"));
        Assert.Equal("web", Text(s, "channel"));
        Assert.Contains("Chrome", Text(s.GetProperty("device"), "browser"), StringComparison.Ordinal);

        var ofVisitor = await site.Server.SessionsAsync($"app=shop&visitor={visitor}");
        Assert.Equal(1, ofVisitor.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task LeavePage_AfterLoadAndClick_WebVitalsStored()
    {
        await using var shop = await ShopPage.OpenAsync(site);
        await shop.GotoAsync("/site/home");
        var session = await shop.SessionAsync();
        // An interaction (for INP) that also ends LCP; then leaving the page reports the rest.
        await shop.Page.ClickAsync("#deals");
        await shop.FollowAsync("#to-search", "/site/search");

        var t = await Stored.TimelineAsync(site.Server, session,
            t => new[] { "TTFB", "FCP", "LCP", "CLS", "INP" }.All(n => VitalsOf(t, "/site/home").ContainsKey(n)),
            "TTFB, FCP, LCP, CLS and INP of the home page");

        var home = VitalsOf(t, "/site/home");
        Assert.InRange(Number(home["TTFB"], "value")!.Value, 0, 5_000);
        Assert.InRange(Number(home["FCP"], "value")!.Value, 1, 10_000);
        Assert.InRange(Number(home["LCP"], "value")!.Value, Number(home["FCP"], "value")!.Value, 10_000);
        Assert.InRange(Number(home["CLS"], "value")!.Value, 0, 0.1);
        Assert.InRange(Number(home["INP"], "value")!.Value, 0, 1_000);
        Assert.All(home.Values, v => Assert.NotNull(Prop(v, "rating")));
        Assert.All(home.Values, v => Assert.NotNull(Prop(v, "id")));
    }

    private static Dictionary<string, JsonElement> VitalsOf(Timeline t, string path) =>
        t.OfType("vital").Where(v => Text(v, "url")?.EndsWith(path, StringComparison.Ordinal) == true)
            .GroupBy(v => Text(v, "name") ?? "").ToDictionary(g => g.Key, g => g.Last());

    [Fact]
    public async Task PushState_SpaRouteChange_SpaViewWithRouteNameAndCause()
    {
        await using var shop = await ShopPage.OpenAsync(site);
        await shop.GotoAsync("/site/app");
        var session = await shop.SessionAsync();
        // A person clicks what they see: after the first paint (web-vitals ends LCP at the first click after it).
        await Stored.TimelineAsync(site.Server, session, t => t.OfType("vital").Any(v => Text(v, "name") == "FCP"), "the first contentful paint");
        await shop.Page.ClickAsync("#trip-42");
        await shop.Page.WaitForURLAsync("**/site/app/trips/42");
        Assert.Equal("Trip 42", await shop.Page.TextContentAsync("#title"));
        await Stored.TimelineAsync(site.Server, session, t => t.OfType("view").Count == 2 && t.OfType("action").Count == 1, "the page view, the SPA view and its click");

        // web-vitals reports LCP once input or hiding ends it, in the browser's next idle period; a busy
        // machine may have none for long, so the person leaves: hiding the page reports it at once.
        await shop.Page.CloseAsync(new() { RunBeforeUnload = true });
        var t = await Stored.TimelineAsync(site.Server, session, t => t.OfType("vital").Any(v => Text(v, "name") == "LCP"), "the LCP of the page load");

        var views = t.OfType("view");
        Assert.Equal("/site/app", Text(views[0], "name"));
        Assert.Null(Prop(views[0], "spa"));
        var spa = views[1];
        Assert.Equal("/site/app/trips/:id", Text(spa, "name"));
        Assert.Equal(site.Origin + "/site/app/trips/42", Text(spa, "url"));
        Assert.True(Prop(spa, "spa")?.GetBoolean());
        Assert.InRange(Number(spa, "duration") ?? -1, 0, 10_000);
        var click = Assert.Single(t.OfType("action"));
        Assert.Equal(Text(click, "id"), Text(spa, "action"));
        Assert.Empty(List(click, "frustration"));
        Assert.Equal(2, t.Session.GetProperty("pages").GetInt32());
        // LCP is reported after the route the click caused: it still belongs to the page load.
        var lcp = Assert.Single(t.OfType("vital"), v => Text(v, "name") == "LCP");
        Assert.Equal(site.Origin + "/site/app", Text(lcp, "url"));
    }

    [Fact]
    public async Task PickDates_DatePickerThrows_ErrorWithStackAndFrustratedSession()
    {
        await using var shop = await ShopPage.OpenAsync(site);
        await shop.GotoAsync("/site/dates");
        var session = await shop.SessionAsync();
        await shop.Page.ClickAsync("#pick-dates");

        var t = await Stored.TimelineAsync(site.Server, session,
            t => t.OfType("error").Count == 1 && t.OfType("action").Count == 1, "the error and the click that raised it");

        var error = Assert.Single(t.OfType("error"));
        Assert.Contains("TypeError", Text(error, "message"), StringComparison.Ordinal);
        var stack = Text(error, "stack");
        Assert.NotNull(stack);
        Assert.Contains("openCalendar", stack, StringComparison.Ordinal);
        Assert.Contains("/site/datepicker.js:", stack, StringComparison.Ordinal);
        Assert.Matches(@"/site/datepicker\.js:\d+:\d+$", Text(error, "source"));
        Assert.Matches("^[0-9a-f]{1,8}$", Text(error, "fingerprint"));
        Assert.Equal(site.Origin + "/site/dates", Text(error, "url"));

        var click = Assert.Single(t.OfType("action"));
        Assert.Equal("click on button#pick-dates[type=button]", Text(click, "name"));
        Assert.Equal(Text(click, "id"), Text(error, "action"));
        Assert.Contains("error", List(click, "frustration"));
        Assert.True(Flag(click, "failed"));

        var s = t.Session;
        Assert.Equal(1, s.GetProperty("errors").GetInt32());
        Assert.Equal("frustrated", Text(s, "experience"));
        var frustrated = await site.Server.SessionsAsync("app=shop&experience=frustrated&hasErrors=true");
        Assert.Contains(frustrated.GetProperty("sessions").EnumerateArray(), x => Text(x, "id") == session);
    }

    [Fact]
    public async Task PartnerCalls_SlowAndFailing_ThirdPartyRequestsWithTimingAndStatus()
    {
        await using var shop = await ShopPage.OpenAsync(site);
        await shop.GotoAsync("/site/search");
        var session = await shop.SessionAsync();
        await shop.Page.ClickAsync("#offers");
        await shop.Page.WaitForFunctionAsync("() => document.getElementById('result').textContent.includes('partner offers')");
        await shop.Page.ClickAsync("#availability");
        await shop.Page.WaitForFunctionAsync("() => document.getElementById('result').textContent.includes('503')");
        await shop.Page.ClickAsync("#weather");
        await shop.Page.WaitForFunctionAsync("() => document.getElementById('result').textContent == 'No weather service'");

        var t = await Stored.TimelineAsync(site.Server, session,
            t => t.OfType("request").Count == 3 && t.OfType("action").Count == 3, "the three partner calls and their clicks");

        var offers = t.Find("request", r => Text(r, "url")!.Contains("/api/offers", StringComparison.Ordinal))!.Value;
        Assert.Equal(site.Partner.Origin + "/api/offers", Text(offers, "url")); // the query string is dropped
        Assert.Equal("GET", Text(offers, "method"));
        Assert.True(Flag(offers, "thirdParty"));
        Assert.Equal(200, Number(offers, "status"));
        Assert.False(Flag(offers, "failed"));
        Assert.InRange(Number(offers, "duration") ?? -1, PartnerSite.OffersDelay.TotalMilliseconds, 10_000);
        var offersClick = t.Find("action", a => Text(a, "id") == Text(offers, "action"))!.Value;
        Assert.Equal("click on button#offers[type=button]", Text(offersClick, "name"));
        // The click lasts until its request has answered.
        Assert.InRange(Number(offersClick, "duration") ?? -1, PartnerSite.OffersDelay.TotalMilliseconds, 10_000);
        Assert.False(Flag(offersClick, "failed"));

        var availability = t.Find("request", r => Text(r, "url")!.Contains("/api/availability", StringComparison.Ordinal))!.Value;
        Assert.True(Flag(availability, "thirdParty"));
        Assert.Equal(503, Number(availability, "status"));
        Assert.True(Flag(availability, "failed"));
        var availabilityClick = t.Find("action", a => Text(a, "id") == Text(availability, "action"))!.Value;
        Assert.True(Flag(availabilityClick, "failed"));

        var weather = t.Find("request", r => Text(r, "url")!.Contains("/api/weather", StringComparison.Ordinal))!.Value;
        Assert.Equal(site.Partner.DownOrigin + "/api/weather", Text(weather, "url"));
        Assert.True(Flag(weather, "thirdParty"));
        Assert.Equal(0, Number(weather, "status")); // a connection error
        Assert.True(Flag(weather, "failed"));

        Assert.Equal(3, t.Session.GetProperty("requests").GetInt32());
        Assert.Equal(2, t.Session.GetProperty("failedRequests").GetInt32());
    }

    [Fact]
    public async Task LeavePage_PartnerCallStillPending_NotAFailedRequest()
    {
        await using var shop = await ShopPage.OpenAsync(site);
        await shop.GotoAsync("/site/search");
        var session = await shop.SessionAsync();
        // Chromium cancels the pending call as the page is left; fetch rejects as for a network error.
        await shop.Page.ClickAsync("#offers");
        await shop.FollowAsync("#to-dates", "/site/dates");

        var t = await Stored.TimelineAsync(site.Server, session,
            t => t.OfType("view").Count == 2 && t.OfType("action").Count == 2, "both page views and both clicks");

        Assert.DoesNotContain(t.OfType("request"), r => Flag(r, "failed"));
        Assert.All(t.OfType("action"), a => Assert.False(Flag(a, "failed")));
        Assert.Equal(0, t.Session.GetProperty("failedRequests").GetInt32());
        Assert.NotEqual("frustrated", Text(t.Session, "experience"));
    }

    [Fact]
    public async Task ApplyVoucher_ThreeRapidClicks_OneRageClickAction()
    {
        await using var shop = await ShopPage.OpenAsync(site);
        await shop.GotoAsync("/site/cart");
        var session = await shop.SessionAsync();
        var voucher = shop.Page.Locator("#voucher");
        for (var i = 0; i < 3; i++)
        {
            await voucher.ClickAsync();
        }

        var t = await Stored.TimelineAsync(site.Server, session, t => t.OfType("action").Count >= 1, "the voucher clicks");

        var rage = Assert.Single(t.OfType("action"));
        Assert.Equal("click on button#voucher[type=button]", Text(rage, "name"));
        Assert.Contains("rage", List(rage, "frustration"));
        Assert.Contains("dead", List(rage, "frustration"));
        Assert.Equal(3, Prop(rage, "clicks")?.GetInt32());
        Assert.Equal(1, t.Session.GetProperty("rageClicks").GetInt32());
    }

    [Fact]
    public async Task Login_IdentifyAfterSubmit_SessionTaggedWithUser()
    {
        await using var shop = await ShopPage.OpenAsync(site);
        await shop.GotoAsync("/site/login");
        var session = await shop.SessionAsync();
        await shop.Page.FillAsync("#customer", "cust-123");
        await shop.Page.FillAsync("#password", "correct horse");
        await shop.Page.ClickAsync("#sign-in");
        await shop.Page.WaitForURLAsync("**/site/home");
        await shop.WaitForAgentAsync();
        Assert.Equal(session, await shop.SessionAsync());
        Assert.Equal("cust-123", await shop.Page.EvaluateAsync<string>("() => waymark._debug().user"));

        var t = await Stored.TimelineAsync(site.Server, session,
            t => t.OfType("identify").Count == 1 && t.OfType("view").Count == 2, "the identify event and both page views");

        var identify = Assert.Single(t.OfType("identify"));
        Assert.Equal("cust-123", Text(identify, "user"));
        Assert.Equal("gold", Prop(identify, "tier")?.GetString());
        Assert.Equal("cust-123", Text(t.Session, "userTag"));
        // Input values are never read: the password appears nowhere.
        Assert.DoesNotContain(t.Events, e => e.GetRawText().Contains("correct horse", StringComparison.Ordinal));

        var ofUser = await site.Server.GetJsonAsync("/v1/users/cust-123/sessions?app=shop");
        Assert.Contains(ofUser.GetProperty("sessions").EnumerateArray(), x => Text(x, "id") == session);
    }
}
