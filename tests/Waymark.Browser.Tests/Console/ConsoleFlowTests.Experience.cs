using System.Text;
using static Microsoft.Playwright.Assertions;

namespace Waymark.Browser.Tests.ConsolePages;

public sealed partial class ConsoleFlowTests
{
    [Fact]
    public async Task CxOwner_SatisfactionInASavedSegment_CostliestError_LandsOnASessionWithIt()
    {
        // An analyst saved the segment earlier.
        using (var put = await site.Server.Client.PutAsync($"/v1/segments/safari-web?app={ConsoleSite.App}",
            new StringContent("""{"query": "channel=web&browser=Safari"}""", Encoding.UTF8, "application/json")))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }
        var page = await site.NewPageAsync();
        await site.SignInAsync(page, $"/experience?app={ConsoleSite.App}");
        await Expect(page.Locator("#wm-xp-sessions")).Not.ToBeEmptyAsync();
        var everyone = await page.Locator("#wm-xp-sessions").InnerTextAsync();
        await Expect(page.Locator(".wm-chart .main-svg").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await ConsoleSite.ShotAsync(page, "console-12-satisfaction");

        // Narrowed to the saved segment: fewer sessions, and the URL says which (so it can be shared).
        await page.Locator("#wm-xp-segments").GetByText("safari-web").ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("segment=safari-web", StringComparison.Ordinal));
        await Expect(page.Locator("#wm-xp-sessions")).Not.ToHaveTextAsync(everyone);
        await Expect(page.Locator("#wm-xp-scope")).ToContainTextAsync("segment safari-web");

        // The error that costs the most in it, then a session that shows it.
        await page.Locator("#wm-xp-top-errors tbody tr a").First.ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("/experience/errors/", StringComparison.Ordinal));
        var message = await page.Locator("#wm-xp-error-message").InnerTextAsync();
        Assert.False(string.IsNullOrWhiteSpace(message));
        await ConsoleSite.ShotAsync(page, "console-13-costliest-error");
        await page.Locator("#wm-xp-error-sessions a").First.ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("/sessions/", StringComparison.Ordinal));
        // The session's timeline shows the error (its start: numbers in the message may differ from session to session).
        await Expect(page.Locator("body")).ToContainTextAsync(message[..Math.Min(30, message.Length)]);
        await ConsoleSite.ShotAsync(page, "console-14-session-with-the-error");
    }
}
