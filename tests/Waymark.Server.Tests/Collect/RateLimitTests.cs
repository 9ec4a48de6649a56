using System.Net;
using System.Text;
using System.Text.Json;
using Waymark.Server.Tests.Infrastructure;
using static Waymark.Server.Tests.Infrastructure.Beacons;

namespace Waymark.Server.Tests.Collect;

/// <summary>
/// The collectors' rate limits: one client address over its rate gets 429 with Retry-After while the others go on,
/// one app over its event rate likewise; nothing answered 2xx is lost.
/// </summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private WaymarkServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await WaymarkServer.StartAsync(new()
    {
        ["Waymark:Collect:PerClientPerMinute"] = "60",
        ["Waymark:Collect:PerAppEventsPerSecond"] = "100",
        ["Waymark:Apps:1:AllowedOrigins:0"] = "https://other.example",
    });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task OneAddressOverItsRate_Gets429_TheOthersGoOn_AndItMaySendAgainLater()
    {
        var now = DateTimeOffset.UtcNow;
        var ok = 0;
        (HttpStatusCode Status, string Body, string? RetryAfter) refused = default;
        for (var i = 0; i < 150 && refused.Status == 0; i++)
        {
            var answer = await SendAsync(Batch($"v-noisy-{i}", $"s-noisy-{i}", [View($"n{i}", now.AddSeconds(-5))]), "203.0.113.7");
            if (answer.Status == HttpStatusCode.OK)
            {
                ok++;
            }
            else
            {
                refused = answer;
            }
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Contains("PerClientPerMinute", refused.Body, StringComparison.Ordinal);
        Assert.True(int.Parse(refused.RetryAfter!, System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.True(ok >= 60, $"only {ok} beacons passed before the limit of 60 a minute");

        // Another address is not held back by the noisy one.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Batch("v-quiet", "s-quiet", [View("q1", now.AddSeconds(-5))]), "198.51.100.9")).Status);

        // Every beacon answered 200 is stored.
        await Eventually.TrueAsync(async () => (await _server.SessionsAsync("app=shop&limit=1000")).GetProperty("total").GetInt32() == ok + 1, "stored sessions");

        // After Retry-After the noisy address may send again.
        await Eventually.TrueAsync(async () => (await SendAsync(Batch("v-later", "s-later", [View("l1", now.AddSeconds(-5))]), "203.0.113.7")).Status == HttpStatusCode.OK, "a beacon after Retry-After");
    }

    [Fact]
    public async Task OneAppOverItsEventRate_Gets429_AnotherAppGoesOn()
    {
        var now = DateTimeOffset.UtcNow;
        (HttpStatusCode Status, string Body, string? RetryAfter) refused = default;
        for (var b = 0; b < 40 && refused.Status == 0; b++)
        {
            var events = Enumerable.Range(0, 50).Select(i => (object)Custom($"a{b}-{i}", now.AddSeconds(-10 + (i / 10.0)))).ToArray();
            var answer = await SendAsync(Batch($"v-app-{b}", $"s-app-{b}", events), null);
            if (answer.Status != HttpStatusCode.OK)
            {
                refused = answer;
            }
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Contains("PerAppEventsPerSecond", refused.Body, StringComparison.Ordinal);
        Assert.NotNull(refused.RetryAfter);
        var other = Batch("v-other", "s-other", [View("o1", now.AddSeconds(-5))], app: "other", key: "other-key");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(other, null, "https://other.example")).Status);
    }

    private async Task<(HttpStatusCode Status, string Body, string? RetryAfter)> SendAsync(
        Dictionary<string, object?> batch, string? from, string origin = WaymarkServer.Origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/beacon") { Content = new StringContent(JsonSerializer.Serialize(batch), Encoding.UTF8, "text/plain") };
        request.Headers.Add("Origin", origin);
        if (from is not null)
        {
            request.Headers.Add("X-Forwarded-For", from);
        }
        using var response = await _server.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(),
            response.Headers.TryGetValues("Retry-After", out var v) ? v.First() : null);
    }
}
