using System.Net;
using System.Text.Json;
using Waymark.Server.Tests.Infrastructure;

namespace Waymark.Client.Tests;

/// <summary>Clients, folders and queries the client tests share.</summary>
public static class ClientKit
{
    /// <summary>A loopback port nothing listens on: connections are refused at once.</summary>
    public static readonly Uri Unreachable = new("http://127.0.0.1:1/");

    public static string TempFolder() => Directory.CreateTempSubdirectory("waymark-client-").FullName;

    /// <summary>Options for a kiosk client of the test app "shop", quick to flush and to retry.</summary>
    public static WaymarkClientOptions Options(Uri endpoint, string folder, Action<WaymarkClientOptions>? configure = null)
    {
        var o = new WaymarkClientOptions
        {
            Endpoint = endpoint,
            App = WaymarkServer.App,
            Key = WaymarkServer.Key,
            Channel = "kiosk",
            AppVersion = "9.1.0",
            Touchpoint = "Schiphol, kiosk 12",
            QueueDirectory = folder,
            FlushInterval = TimeSpan.FromMilliseconds(100),
            RetryDelay = TimeSpan.FromMilliseconds(100),
            MaxRetryDelay = TimeSpan.FromSeconds(1),
            ShutdownTimeout = TimeSpan.FromSeconds(2),
        };
        configure?.Invoke(o);
        return o;
    }

    public static async Task FlushAsync(this WaymarkClient client, int seconds = 60)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        await client.FlushAsync(timeout.Token);
    }

    /// <summary>Posts a beacon as a collector would: JSON, no account credentials.</summary>
    public static async Task<HttpResponseMessage> PostBeaconAsync(this WaymarkServer server, object beacon)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        return await http.PostAsync("/v1/beacon", new StringContent(JsonSerializer.Serialize(beacon), System.Text.Encoding.UTF8, "application/json"));
    }

    /// <summary>The events of one session as the query API returns them.</summary>
    public static async Task<List<JsonElement>> EventsAsync(this WaymarkServer server, string sessionId)
    {
        var timeline = await server.GetJsonAsync($"/v1/sessions/{sessionId}?app={WaymarkServer.App}");
        return [.. timeline.GetProperty("events").EnumerateArray()];
    }

    public static async Task<JsonElement> SessionAsync(this WaymarkServer server, string sessionId) =>
        (await server.GetJsonAsync($"/v1/sessions/{sessionId}?app={WaymarkServer.App}")).GetProperty("session");

    public static async Task<HttpStatusCode> SessionStatusAsync(this WaymarkServer server, string sessionId)
    {
        using var response = await server.Client.GetAsync($"/v1/sessions/{sessionId}?app={WaymarkServer.App}");
        return response.StatusCode;
    }

    public static string? Str(this JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static async Task WaitUntilAsync(Func<bool> condition, int seconds = 30)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "the condition did not hold in time");
            await Task.Delay(20);
        }
    }

    public static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Answers the first <c>failures</c> beacons itself (503 with Retry-After 0 by default) and passes the rest on; keeps every body it saw.</summary>
public sealed class FlakyHandler(int failures, HttpStatusCode status = HttpStatusCode.ServiceUnavailable) : DelegatingHandler(new SocketsHttpHandler())
{
    private int _seen;

    public List<JsonElement> Bodies { get; } = [];

    public int Attempts => Volatile.Read(ref _seen);

    /// <summary>The status of each answer, in order, and when it came.</summary>
    public List<HttpStatusCode> Statuses { get; } = [];

    public List<DateTimeOffset> Times { get; } = [];

    public bool Saw(HttpStatusCode status)
    {
        lock (Bodies)
        {
            return Statuses.Contains(status);
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = await request.Content!.ReadAsStringAsync(cancellationToken);
        lock (Bodies)
        {
            Bodies.Add(JsonDocument.Parse(body).RootElement.Clone());
        }
        if (Interlocked.Increment(ref _seen) <= failures)
        {
            var answer = new HttpResponseMessage(status) { Content = new StringContent("{\"title\":\"busy\"}") };
            answer.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.Zero);
            return answer;
        }
        var response = await base.SendAsync(request, cancellationToken);
        lock (Bodies)
        {
            Times.Add(DateTimeOffset.UtcNow);
            Statuses.Add(response.StatusCode);
        }
        return response;
    }
}

/// <summary>A clock the test moves: wall-clock time plus an offset.</summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));
}
