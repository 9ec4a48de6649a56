using Microsoft.Playwright;
using Waymark.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Waymark.Server.Tests.Infrastructure.Beacons;

namespace Waymark.Browser.Tests.ConsolePages;

/// <summary>
/// A server whose sessions end after 20 s without activity, no demo data: long
/// enough for a cold console to sign in and open the session before it ends.
/// </summary>
public sealed class QuickSessionsSite : ConsoleSite
{
    protected override Dictionary<string, string?> Settings() => new()
    {
        ["Waymark:Sessions:Inactivity"] = "00:00:20",
        ["Waymark:Sessions:LateGrace"] = "00:00:00",
        ["Waymark:Journeys:SweepSeconds"] = "1",
    };
}

/// <summary>
/// An open session in the console follows the live journey: it shows the
/// customer's steps as they come and, when the customer goes, the end of the
/// session, pushed to the page without a reload.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveSessionTests(QuickSessionsSite site) : IClassFixture<QuickSessionsSite>
{
    [Fact]
    public async Task OpenSession_CustomerActsThenLeaves_PageShowsTheStepAndThenTheEndWithoutReload()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var session = "s-" + tag;
        var now = DateTimeOffset.UtcNow;
        var sent = await site.Server.PostAsync(Batch("v-" + tag, session, [View("v1-" + tag, now, "Home")], user: "live-" + tag));
        Assert.True(sent.IsSuccessStatusCode, await sent.Content.ReadAsStringAsync());

        var page = await site.NewPageAsync();
        await site.SignInAsync(page, $"/sessions/{session}?app={WaymarkServer.App}");
        await Expect(page.Locator("#wm-session-live")).ToBeVisibleAsync();
        await page.EvaluateAsync("window.__sameDocument = true");

        // The customer goes on: the new step appears in the open page.
        var more = await site.Server.PostAsync(Batch("v-" + tag, session, [View("v2-" + tag, DateTimeOffset.UtcNow, "Basket")], user: "live-" + tag));
        Assert.True(more.IsSuccessStatusCode);
        await Expect(page.Locator("body")).ToContainTextAsync("Basket", new() { Timeout = 60_000 });

        // Then nothing more: the journey's timer ends the session, and the page says so.
        await Expect(page.Locator("#wm-session-ended")).ToContainTextAsync("inactivity", new() { Timeout = 90_000 });
        await Expect(page.Locator("#wm-session-live")).ToHaveCountAsync(0);
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "the page changed in place, without a reload");
        await ConsoleSite.ShotAsync(page, "console-8-session-ended-by-timer");
    }
}
