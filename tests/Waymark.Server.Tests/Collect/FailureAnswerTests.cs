using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Waymark.Server.Store.DuckDb;
using Waymark.Server.Tests.Infrastructure;
using Waymark.Server.Tests.Otlp;
using static Waymark.Server.Tests.Infrastructure.Beacons;

namespace Waymark.Server.Tests.Collect;

/// <summary>
/// Beacons, server-side events and OTLP (JSON and protobuf) go through one
/// pipeline and one answer mapper: the same failure gets the same status
/// (and Retry-After) whichever transport brought it.
/// </summary>
public sealed class FailureAnswerTests
{
    private enum Key
    {
        Right,
        Wrong,
    }

    [Fact]
    public async Task WrongKey_Is401OnEveryTransport()
    {
        await using var server = await WaymarkServer.StartAsync();
        var answers = await AllTransportsAsync(server, "wrong", Key.Wrong);
        Assert.All(answers, a => Assert.Equal((HttpStatusCode.Unauthorized, false), (a.Status, a.RetryAfter)));
    }

    [Fact]
    public async Task StoreFull_Is503WithRetryAfterOnEveryTransport_AndNothingIsLost()
    {
        await using var server = await WaymarkServer.StartAsync(new() { ["Waymark:Store:MaxPendingEvents"] = "1000" });
        var store = server.Application.Services.GetRequiredService<DuckDbStore>();
        Task<HttpResponseMessage> filling;
        using (store.PauseWrites())
        {
            filling = server.PostAsync(Batch("v-fill", "s-fill", Enumerable.Range(0, 1000).Select(i => (object)Custom("fill" + i, DateTimeOffset.UtcNow))));
            await WaitUntilAsync(() => store.PendingEvents >= 1000);
            var answers = await AllTransportsAsync(server, "full", Key.Right);
            Assert.All(answers, a => Assert.Equal((HttpStatusCode.ServiceUnavailable, true), (a.Status, a.RetryAfter)));
        }
        Assert.Equal(HttpStatusCode.OK, (await filling).StatusCode);
        // Sent again once the store caught up, each is taken.
        var again = await AllTransportsAsync(server, "full", Key.Right);
        Assert.All(again, a => Assert.Equal(HttpStatusCode.OK, a.Status));
    }

    [Fact]
    public async Task JourneyTimesOut_Is503WithRetryAfterOnEveryTransport()
    {
        await using var server = await WaymarkServer.StartAsync(new() { ["Waymark:Orleans:ResponseTimeoutSeconds"] = "2" });
        var store = server.Application.Services.GetRequiredService<DuckDbStore>();
        List<(string Transport, HttpStatusCode Status, bool RetryAfter)> answers;
        using (store.PauseWrites())
        {
            // The commit waits, so every journey's answer does: past the response timeout.
            answers = await AllTransportsAsync(server, "slow", Key.Right);
        }
        Assert.All(answers, a => Assert.Equal((HttpStatusCode.ServiceUnavailable, true), (a.Status, a.RetryAfter)));
        // What the journeys took is committed once writes resume, and a retry counts once.
        var retry = await server.PostAsync(Batch("v-slow-beacon", "s-slow-beacon", [View("slow-beacon", DateTimeOffset.UtcNow.AddSeconds(-30))]));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(1, (await server.GetJsonAsync("/v1/sessions/s-slow-beacon")).GetProperty("events").GetArrayLength());
    }

    /// <summary>The same kind of request over each transport, each for a visitor of its own.</summary>
    private static async Task<List<(string Transport, HttpStatusCode Status, bool RetryAfter)>> AllTransportsAsync(WaymarkServer server, string tag, Key key)
    {
        var at = DateTimeOffset.UtcNow.AddSeconds(-30);
        var requests = new List<(string, Func<HttpRequestMessage>)>
        {
            ("beacon", () => Json("/v1/beacon", Batch($"v-{tag}-beacon", $"s-{tag}-beacon", [View($"{tag}-beacon", at)], key: key == Key.Right ? WaymarkServer.Key : "nope"))),
            ("server", () =>
            {
                var body = new Dictionary<string, object?>
                {
                    ["app"] = WaymarkServer.App, ["channel"] = "contact-center", ["visitor"] = $"v-{tag}-server",
                    ["customer"] = new Dictionary<string, object> { ["idType"] = "user", ["value"] = "cust-" + tag },
                    ["events"] = new object[] { Custom($"{tag}-server", at, "call.started") },
                };
                var r = Json("/v1/events", body);
                // The public ingest key is not the server key.
                r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key == Key.Right ? WaymarkServer.ServerKey : WaymarkServer.Key);
                return r;
            }),
            ("otlp-json", () => OtlpPayloads.Request("/v1/logs", OtlpPayloads.Json(Logs(tag + "-json", at)), key: key == Key.Right ? WaymarkServer.Key : "nope")),
            ("otlp-protobuf", () => OtlpPayloads.Request("/v1/logs", OtlpPayloads.Protobuf(Logs(tag + "-pb", at)), protobuf: true, key: key == Key.Right ? WaymarkServer.Key : "nope")),
        };
        var tasks = requests.Select(async r =>
        {
            using var request = r.Item2();
            using var response = await server.Client.SendAsync(request);
            return (r.Item1, response.StatusCode, response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        });
        return [.. await Task.WhenAll(tasks)];
    }

    private static Batch Logs(string visitor, DateTimeOffset at) =>
        new([new Kv("waymark.visitor", "v-" + visitor), new Kv("service.name", WaymarkServer.App)],
            [new LogRec(at, "screen_view", Attributes: [new Kv("session.id", "s-" + visitor), new Kv("screen.name", "Basket")])]);

    private static HttpRequestMessage Json(string path, object body) => new(HttpMethod.Post, path)
    {
        Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
    };

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(20);
        }
    }
}
