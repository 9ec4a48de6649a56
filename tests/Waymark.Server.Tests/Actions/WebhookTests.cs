using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Waymark.Server.Tests.Infrastructure;
using static Waymark.Server.Tests.Infrastructure.Beacons;

namespace Waymark.Server.Tests.Actions;

/// <summary>Webhook actions: signed the Standard Webhooks way, retried with backoff from the durable outbox, the same idempotency key on every attempt.</summary>
public sealed class WebhookTests
{
    public const string Secret = "whsec_c2VjcmV0LWtleS1mb3ItdGVzdHM=";

    public static Dictionary<string, string?> Settings(Uri hook) => new(RuleApiTests.Webhook(hook, Secret))
    {
        ["Waymark:Actions:RetryBase"] = "00:00:00.300",
        ["Waymark:Actions:PollInterval"] = "00:00:00.100",
        ["Waymark:Actions:ConsoleUrl"] = "https://waymark.example",
    };

    /// <summary>Checks a received webhook's signature with the test's own HMAC of id.timestamp.body.</summary>
    internal static void AssertSigned(WebhookReceiver.Received r)
    {
        var key = Convert.FromBase64String(Secret["whsec_".Length..]);
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(r.Id + "." + r.Timestamp + "." + r.Body)));
        Assert.Equal(expected, r.Signature);
        Assert.True(long.Parse(r.Timestamp, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds());
    }

    internal static async Task WaitAsync(Func<bool> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Webhook_ReceiverFailsTwice_ThirdSucceeds_SignedWithOneIdempotencyKey_HistoryHasEveryAttempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 2);
        await using var server = await WaymarkServer.StartAsync(Settings(receiver.Url));
        using (var put = await RuleApiTests.PutRulesAsync(server.Client, RuleApiTests.CartRule))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }
        var t0 = DateTimeOffset.UtcNow;
        using (var beacon = await server.PostAsync(Batch("v-hook", "s-hook", [View("e1", t0, "Shoes"), Custom("e2", t0.AddSeconds(1), "add-to-cart")], user: "ann@example.com")))
        {
            Assert.True(beacon.IsSuccessStatusCode);
        }

        await WaitAsync(() => receiver.Requests.Count >= 3, "three deliveries");
        var got = receiver.Requests.ToArray();
        Assert.Equal([500, 500, 204], got.Select(r => r.Status));
        Assert.Single(got.Select(r => r.Id).Distinct());
        Assert.StartsWith("msg_", got[0].Id, StringComparison.Ordinal);
        Assert.All(got, AssertSigned);
        Assert.Single(got.Select(r => r.Body).Distinct());
        var body = JsonDocument.Parse(got[2].Body).RootElement;
        Assert.Equal(("rule.fired", got[0].Id), (body.GetProperty("type").GetString(), body.GetProperty("id").GetString()));
        var data = body.GetProperty("data");
        Assert.Equal(("cart-added", "ann@example.com", "web"), (data.GetProperty("rule").GetString(), data.GetProperty("customer").GetProperty("id").GetString(),
            data.GetProperty("journey").GetProperty("channel").GetString()));
        Assert.Equal("shoes", data.GetProperty("journey").GetProperty("summary").GetProperty("currentPage").GetString()?.ToLowerInvariant().Split('/').Last());
        Assert.StartsWith("https://waymark.example/sessions/", data.GetProperty("link").GetString(), StringComparison.Ordinal);

        JsonElement firing = default;
        await WaitAsync(() =>
        {
            var h = server.GetJsonAsync("/v1/rules/cart-added/history?app=shop").GetAwaiter().GetResult();
            firing = h.GetArrayLength() == 1 ? h[0] : default;
            return firing.ValueKind == JsonValueKind.Object && firing.GetProperty("events").EnumerateArray().Any(e => e.GetProperty("kind").GetString() == "delivered");
        }, "the delivery in the history");
        Assert.Equal("fired", firing.GetProperty("firing").GetProperty("outcome").GetString());
        Assert.Equal(["failed", "failed", "delivered"], firing.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task Webhook_SlackTarget_SlackMessage()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 0);
        var settings = Settings(receiver.Url);
        settings["Waymark:Actions:Webhooks:crm:Format"] = "slack";
        await using var server = await WaymarkServer.StartAsync(settings);
        using (var put = await RuleApiTests.PutRulesAsync(server.Client, RuleApiTests.CartRule))
        {
            Assert.True(put.IsSuccessStatusCode);
        }
        var t0 = DateTimeOffset.UtcNow;
        using (await server.PostAsync(Batch("v-slack", "s-slack", [View("e1", t0, "Shoes"), Custom("e2", t0.AddSeconds(1), "add-to-cart")])))
        {
        }
        await WaitAsync(() => !receiver.Requests.IsEmpty, "the message");
        var body = JsonDocument.Parse(receiver.Requests.First().Body).RootElement;
        Assert.Contains("cart-added", body.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("mrkdwn", body.GetProperty("blocks")[0].GetProperty("text").GetProperty("type").GetString());
        Assert.Contains("<https://waymark.example/sessions/", body.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString(), StringComparison.Ordinal);
    }
}
