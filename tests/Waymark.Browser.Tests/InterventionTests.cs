using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Waymark.Browser.Tests.Infrastructure;

namespace Waymark.Browser.Tests;

/// <summary>
/// In-page interventions in Chromium: a shopper adds to the cart and dawdles,
/// the absence rule fires at its deadline, the agent (which loaded the
/// intervention script because the app's rules act in the page) shows the
/// chat offer, and accepting it is recorded in the rule's history. A shopper
/// in the holdout gets nothing and is recorded as held out.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class InterventionTests(ShopSite site) : IClassFixture<ShopSite>
{
    private static readonly TimeSpan s_window = TimeSpan.FromSeconds(3);

    private static string Rules(string id, double holdout) => $$"""
        settings: { consentDefault: full }
        rules:
          - id: {{id}}
            holdout: {{holdout.ToString(System.Globalization.CultureInfo.InvariantCulture)}}
            pattern:
              kind: sequence
              steps:
                - match: { type: custom, name: add-to-cart }
                - absent: { type: view, name: /site/confirmation }
                  within: 3s
            actions:
              - type: widget
                id: chat-offer
                message: Still deciding? Our travel team can help you book.
        """;

    private async Task PutRulesAsync(string text)
    {
        using var put = await site.Server.Client.PutAsync("/v1/rules?app=shop", new StringContent(text, Encoding.UTF8, "application/yaml"));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> WaitForFiringAsync(string rule, Func<JsonElement, bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var history = await site.Server.GetJsonAsync($"/v1/rules/{rule}/history?app=shop");
            if (history.GetArrayLength() > 0 && done(history[0]))
            {
                return history[0];
            }
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(100);
        }
    }

    private static bool Has(JsonElement firing, string kind) =>
        firing.GetProperty("events").EnumerateArray().Any(e => e.GetProperty("kind").GetString() == kind);

    /// <summary>Opens the cart with the agent, waits for the intervention script's push channel, adds to the cart.</summary>
    private static async Task<Stopwatch> AddToCartAsync(ShopPage shop)
    {
        var channel = shop.Page.WaitForRequestAsync(r => r.Url.Contains("/v1/agent/interventions?", StringComparison.Ordinal), new() { Timeout = 30_000 });
        await shop.GotoAsync("/site/cart");
        await channel;
        var clock = Stopwatch.StartNew();
        await shop.Page.EvaluateAsync("() => { waymark.track('add-to-cart'); return waymark.flush(); }");
        return clock;
    }

    [Fact]
    public async Task AbsenceRule_ShopperDawdles_ChatOfferWithinWindowPlusTwoSeconds_AcceptRecorded()
    {
        await PutRulesAsync(Rules("cart-dawdle", holdout: 0));
        await using var shop = await ShopPage.OpenAsync(site);
        var clock = await AddToCartAsync(shop);

        var offer = shop.Page.Locator("#waymark-offer");
        var left = s_window + TimeSpan.FromSeconds(2) - clock.Elapsed;
        await offer.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = (float)Math.Max(1, left.TotalMilliseconds) });

        Assert.Equal("dialog", await offer.GetAttributeAsync("role"));
        Assert.Equal("waymark-offer-title", await offer.GetAttributeAsync("aria-labelledby"));
        Assert.Contains("Our travel team", await offer.InnerTextAsync(), StringComparison.Ordinal);
        await shop.Page.GetByRole(AriaRole.Button, new() { Name = "Chat with us" }).ClickAsync();
        await offer.WaitForAsync(new() { State = WaitForSelectorState.Detached });

        var firing = await WaitForFiringAsync("cart-dawdle", f => Has(f, "accepted"), "the accepted offer in the history");
        Assert.Equal("fired", firing.GetProperty("firing").GetProperty("outcome").GetString());
        Assert.Equal(await shop.VisitorAsync(), firing.GetProperty("firing").GetProperty("visitor").GetString());
        Assert.True(Has(firing, "delivered") && Has(firing, "shown"));
    }

    [Fact]
    public async Task AbsenceRule_ShopperInTheHoldout_NoOffer_RecordedHeldOut()
    {
        await PutRulesAsync(Rules("cart-dawdle-holdout", holdout: 1));
        await using var shop = await ShopPage.OpenAsync(site);
        await AddToCartAsync(shop);

        var firing = await WaitForFiringAsync("cart-dawdle-holdout", _ => true, "the held-out match");
        Assert.Equal("held-out", firing.GetProperty("firing").GetProperty("outcome").GetString());
        Assert.Equal(await shop.VisitorAsync(), firing.GetProperty("firing").GetProperty("visitor").GetString());
        // The page goes on: a step after the deadline's is answered, and still no offer.
        await shop.Page.EvaluateAsync("() => { waymark.track('still-here'); return waymark.flush(); }");
        Assert.Equal(0, await shop.Page.Locator("#waymark-offer").CountAsync());
        Assert.Empty(firing.GetProperty("events").EnumerateArray());
    }
}
