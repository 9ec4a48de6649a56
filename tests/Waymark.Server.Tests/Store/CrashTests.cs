using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Waymark.Server.Tests.Infrastructure;
using static Waymark.Server.Tests.Infrastructure.Beacons;

namespace Waymark.Server.Tests.Store;

/// <summary>SIGKILL during load: what was answered 2xx survives, nothing twice.</summary>
public sealed class CrashTests
{
    private const int Clients = 8;
    private const int EventsPerBeacon = 25;

    [Fact]
    public async Task Sigkill_DuringLoad_EveryAcknowledgedEventSurvivesOnce()
    {
        var folder = Directory.CreateTempSubdirectory("waymark-crash-").FullName;
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-5);
        var acked = new ConcurrentBag<string>();
        var unacked = new ConcurrentQueue<Dictionary<string, object?>>();
        var sent = new ConcurrentBag<string>();

        using (var server = await ServerProcess.StartAsync(folder))
        {
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            using var stop = new CancellationTokenSource();
            var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
            {
                // A bounded load: each client sends at most 400 beacons.
                for (var b = 0; b < 400 && !stop.IsCancellationRequested; b++)
                {
                    var ids = Enumerable.Range(0, EventsPerBeacon).Select(e => $"c{c}-b{b}-e{e}").ToList();
                    var beacon = Batch($"crash-v{c}", $"crash-s{c}", ids.Select((id, e) => (object)Custom(id, t0.AddMilliseconds(b * 100 + e))));
                    ids.ForEach(sent.Add);
                    try
                    {
                        using var response = await http.PostAsJsonAsync("/v1/beacon", beacon);
                        if (response.IsSuccessStatusCode)
                        {
                            ids.ForEach(acked.Add);
                            continue;
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        // The server died under us: this beacon's fate is unknown.
                    }
                    unacked.Enqueue(beacon);
                    if (stop.IsCancellationRequested || unacked.Count > 50)
                    {
                        return;
                    }
                }
            })).ToArray();

            await WaitUntil(() => acked.Count >= 2000);
            server.Kill();
            stop.Cancel();
            await Task.WhenAll(clients);
        }
        Assert.True(acked.Count >= 2000, "the load must have been under way when the server was killed");

        using (var server = await ServerProcess.StartAsync(folder))
        {
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", WaymarkServer.AdminToken);
            // What a client does after a failure: send the unanswered batches again.
            while (unacked.TryDequeue(out var beacon))
            {
                using var response = await http.PostAsJsonAsync("/v1/beacon", beacon);
                Assert.True(response.IsSuccessStatusCode, $"retry answered {(int)response.StatusCode}");
            }

            var stored = new List<string>();
            for (var c = 0; c < Clients; c++)
            {
                var list = await http.GetFromJsonAsync<JsonElement>($"/v1/sessions?visitor=crash-v{c}&limit=1000");
                foreach (var s in list.GetProperty("sessions").EnumerateArray())
                {
                    var timeline = await http.GetFromJsonAsync<JsonElement>($"/v1/sessions/{s.GetProperty("id").GetString()}?app=shop");
                    stored.AddRange(timeline.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetString()!));
                    Assert.Equal(timeline.GetProperty("events").GetArrayLength(), timeline.GetProperty("session").GetProperty("events").GetInt32());
                }
            }
            var storedSet = stored.ToHashSet();
            Assert.Equal(stored.Count, storedSet.Count);               // none twice
            Assert.DoesNotContain(acked, id => !storedSet.Contains(id)); // every 2xx survived
            Assert.Equal(sent.Distinct().Count(), storedSet.Count);    // and the retries completed the rest
            await server.StopAsync();
        }
        Directory.Delete(folder, recursive: true);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
    }
}
