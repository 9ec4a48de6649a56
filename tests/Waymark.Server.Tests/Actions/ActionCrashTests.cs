using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Waymark.Server.Tests.Infrastructure;
using static Waymark.Server.Tests.Infrastructure.Beacons;

namespace Waymark.Server.Tests.Actions;

/// <summary>The outbox and the absence deadline across a SIGKILL of the server process.</summary>
public sealed class ActionCrashTests
{
    private static HttpClient Client(ServerProcess p)
    {
        var c = new HttpClient { BaseAddress = p.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WaymarkServer.AdminToken);
        return c;
    }

    private static Dictionary<string, string?> Settings(Uri hook) => new(WebhookTests.Settings(hook))
    {
        ["Waymark:Actions:Lease"] = "00:00:03",
        ["Waymark:Actions:Timeout"] = "00:05:00",
        ["Waymark:Rules:DeadlineGrace"] = "00:00:01",
    };

    private static async Task PostAsync(HttpClient c, object beacon)
    {
        using var r = await c.PostAsync("/v1/beacon", new StringContent(JsonSerializer.Serialize(beacon), Encoding.UTF8, "application/json"));
        Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement> HistoryAsync(HttpClient c, string rule)
    {
        using var r = await c.GetAsync($"/v1/rules/{rule}/history?app=shop");
        return JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task Sigkill_BetweenMatchAndDelivery_WebhookDeliveredAfterRestart_SameIdempotencyKey()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 0, hang: true);
        var folder = Directory.CreateTempSubdirectory("waymark-crash-").FullName;
        try
        {
            string firstId;
            using (var p = await ServerProcess.StartAsync(folder, Settings(receiver.Url)))
            using (var c = Client(p))
            {
                using (var put = await c.PutAsync("/v1/rules?app=shop", new StringContent(RuleApiTests.CartRule, Encoding.UTF8, "application/yaml")))
                {
                    Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
                }
                var t0 = DateTimeOffset.UtcNow;
                await PostAsync(c, Batch("v-kill", "s-kill", [View("e1", t0, "Shoes"), Custom("e2", t0.AddSeconds(1), "add-to-cart")]));
                // The delivery is in flight (the receiver holds it): kill the server now.
                await WebhookTests.WaitAsync(() => !receiver.Requests.IsEmpty, "the delivery to begin");
                firstId = receiver.Requests.First().Id;
                p.Kill();
            }
            receiver.Hang = false;
            using (var p = await ServerProcess.StartAsync(folder, Settings(receiver.Url)))
            using (var c = Client(p))
            {
                await WebhookTests.WaitAsync(() => receiver.Requests.Any(r => r.Status == 204), "the delivery after the restart");
                var delivered = receiver.Requests.Single(r => r.Status == 204);
                Assert.Equal(firstId, delivered.Id);
                WebhookTests.AssertSigned(delivered);
                var firing = Assert.Single((await HistoryAsync(c, "cart-added")).EnumerateArray());
                await WebhookTests.WaitAsync(() =>
                    HistoryAsync(c, "cart-added").GetAwaiter().GetResult()[0].GetProperty("events").EnumerateArray().Any(e => e.GetProperty("kind").GetString() == "delivered"),
                    "the delivery in the history");
                await p.StopAsync();
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The rule "a cart filled and no checkout within <paramref name="within"/>" as an item of a document's rules list.</summary>
    internal static string CartIdleRule(string within) => $$"""
          - id: cart-idle
            pattern:
              kind: sequence
              steps:
                - match: { type: custom, name: add-to-cart }
                - absent: { type: view, name: checkout }
                  within: {{within}}
            actions:
              - type: webhook
                target: crm
        """;

    private static readonly string AbsenceRule = "settings: { holdout: 0, consentDefault: full }\nrules:\n" + CartIdleRule("4s");

    [Fact]
    public async Task Sigkill_BetweenArmingAndDeadline_AbsenceRuleFiresOnceAfterRestart()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 0);
        var folder = Directory.CreateTempSubdirectory("waymark-crash-").FullName;
        try
        {
            using (var p = await ServerProcess.StartAsync(folder, Settings(receiver.Url)))
            using (var c = Client(p))
            {
                using (var put = await c.PutAsync("/v1/rules?app=shop", new StringContent(AbsenceRule, Encoding.UTF8, "application/yaml")))
                {
                    Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
                }
                var t0 = DateTimeOffset.UtcNow;
                await PostAsync(c, Batch("v-idle", "s-idle", [View("e1", t0, "Shoes"), Custom("e2", t0, "add-to-cart")]));
                // Armed (the step is stored), not due for seconds: kill the server.
                p.Kill();
            }
            Assert.Empty(receiver.Requests);
            using (var p = await ServerProcess.StartAsync(folder, Settings(receiver.Url)))
            using (var c = Client(p))
            {
                await WebhookTests.WaitAsync(() => !receiver.Requests.IsEmpty, "the absence rule to fire after the restart");
                // The visitor goes on; its next step is stored after the deadline's: still one firing.
                await PostAsync(c, Batch("v-idle", "s-idle", [View("e3", DateTimeOffset.UtcNow, "Shoes")]));
                await WebhookTests.WaitAsync(() =>
                {
                    using var r = c.GetAsync("/v1/sessions?app=shop").GetAwaiter().GetResult();
                    return r.Content.ReadAsStringAsync().GetAwaiter().GetResult().Contains("\"events\":3", StringComparison.Ordinal);
                }, "the visitor's next step");
                var firings = await HistoryAsync(c, "cart-idle");
                var firing = Assert.Single(firings.EnumerateArray());
                Assert.Equal("fired", firing.GetProperty("firing").GetProperty("outcome").GetString());
                Assert.Single(receiver.Requests);
                await p.StopAsync();
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
