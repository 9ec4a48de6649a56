using System.Net;
using Waymark.Server.Tests.Infrastructure;
using static Waymark.Server.Tests.Infrastructure.Beacons;

namespace Waymark.Server.Tests.Actions;

/// <summary>The console's rule pages, as a signed-in browser first gets them (prerendered).</summary>
public sealed class RuleConsoleTests
{
    private const string AlertRule = """
        settings: { holdout: 0 }
        rules:
          - id: two-errors
            description: two errors in the booking step
            pattern:
              kind: count
              match: { type: error }
              atLeast: 2
              within: 5m
            actions:
              - type: alert
                text: a customer hits errors while booking
                severity: warning
        """;

    [Fact]
    public async Task RulePages_ListTheRules_AndARulesFiringsWithItsProof()
    {
        await using var server = await WaymarkServer.StartAsync();
        using (var put = await RuleApiTests.PutRulesAsync(server.Client, AlertRule))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }
        var t0 = DateTimeOffset.UtcNow;
        using (await server.PostAsync(Batch("v-c", "s-c", [View("e1", t0, "Booking"), Error("e2", t0.AddSeconds(1), "TypeError: a"), Error("e3", t0.AddSeconds(2), "TypeError: b")])))
        {
        }
        await WebhookTests.WaitAsync(() => server.GetJsonAsync("/v1/rules/two-errors/history?app=shop").GetAwaiter().GetResult().GetArrayLength() == 1, "the firing");

        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        using (await SignInForm.PostAsync(browser, "admin", WaymarkServer.AdminPassword, "/rules"))
        {
        }
        var list = await browser.GetStringAsync("/rules?app=shop");
        Assert.Contains("Rules of shop", list, StringComparison.Ordinal);
        Assert.Contains("href=\"/rules/two-errors?app=shop\"", list, StringComparison.Ordinal);
        Assert.Contains("two errors in the booking step", list, StringComparison.Ordinal);

        var detail = await browser.GetStringAsync("/rules/two-errors?app=shop");
        Assert.Contains("Does it help?", detail, StringComparison.Ordinal);
        Assert.Contains("fired", detail, StringComparison.Ordinal);
        Assert.Contains("href=\"/sessions/", detail, StringComparison.Ordinal);
        Assert.Contains("Alerts", await browser.GetStringAsync("/alerts"), StringComparison.Ordinal);
    }
}
