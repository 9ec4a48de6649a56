using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Waymark.Server.Tests.Infrastructure;

namespace Waymark.Server.Tests.Privacy;

/// <summary>
/// Ten thousand hostile requests to the collectors, mixed with a thousand valid beacons, eight at a time: every
/// hostile one is refused with a 4xx and a reason (or has its bad events rejected), none gets a 5xx, the process's
/// memory stays bounded, and every valid event is stored.
/// </summary>
public sealed class FuzzTests : IAsyncLifetime
{
    private const int HostileCount = 10_000;
    private const int ValidEvery = 10;
    private WaymarkServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await WaymarkServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task TenThousandHostileRequests_AreRefusedWithAReason_AndNoValidEventIsLost()
    {
        var inputs = new HostileInputs(20261203, WaymarkServer.Origin);
        using var client = new HttpClient { BaseAddress = _server.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        var wrong = new ConcurrentBag<string>();
        var kinds = new ConcurrentDictionary<string, int>();
        var valid = 0;
        GC.Collect();
        var memoryBefore = Process.GetCurrentProcess().WorkingSet64;
        long memoryPeak = 0;

        var work = Enumerable.Range(0, HostileCount + (HostileCount / ValidEvery))
            .Select(i => i % (ValidEvery + 1) == ValidEvery ? (Hostile?)null : inputs.Next(i)).ToList();
        await Parallel.ForEachAsync(work.Select((h, i) => (h, i)), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (item, ct) =>
        {
            var (hostile, i) = item;
            if (hostile is null)
            {
                using var response = await client.SendAsync(inputs.Valid(i), ct);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    wrong.Add($"valid beacon {i} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
                }
                Interlocked.Increment(ref valid);
                return;
            }
            kinds.AddOrUpdate(hostile.Kind, 1, (_, n) => n + 1);
            using var request = hostile.Build();
            using var answer = await client.SendAsync(request, ct);
            var status = (int)answer.StatusCode;
            var body = await answer.Content.ReadAsStringAsync(ct);
            if (!Acceptable(hostile.Expect, status, body))
            {
                wrong.Add($"{hostile.Kind} ({hostile.Expect}) answered {status}: {Cut(body)}");
            }
            if (i % 500 == 0)
            {
                Interlocked.Exchange(ref memoryPeak, Math.Max(Interlocked.Read(ref memoryPeak), Process.GetCurrentProcess().WorkingSet64));
            }
        });

        Assert.True(wrong.IsEmpty, $"{wrong.Count} wrong answers, e.g.:\n" + string.Join("\n", wrong.Take(15)));
        Assert.True(kinds.Count >= 20, "kinds tried: " + string.Join(", ", kinds.Keys));
        // Bounded: a gzip bomb or a 2 MiB body is refused without being held; the bound is generous for a noisy machine.
        var growth = (memoryPeak - memoryBefore) / (1024 * 1024);
        Assert.True(growth < 2048, $"the process grew by {growth} MiB");

        // Every valid beacon's two events are stored, in its own session.
        await Eventually.TrueAsync(async () => (await _server.SessionsAsync("app=shop&visitor=v-valid&limit=1")).GetProperty("total").GetInt32() == valid,
            $"{valid} sessions of v-valid stored");
        var sessions = (await _server.SessionsAsync("app=shop&visitor=v-valid&limit=1000")).GetProperty("sessions").EnumerateArray().ToList();
        Assert.All(sessions, s => Assert.Equal(2, s.GetProperty("events").GetInt32()));
        // The server still answers as before.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    private static bool Acceptable(Expect expect, int status, string body) => expect switch
    {
        Expect.Refused => status is >= 400 and < 500 && HasReason(body),
        Expect.EventRejected => (status is >= 400 and < 500 && HasReason(body)) || (status == 200 && Rejected(body) > 0),
        _ => status < 500 && (status < 400 || HasReason(body)),
    };

    private static bool HasReason(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("detail", out var d) && d.GetString() is { Length: > 10 };
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static int Rejected(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.TryGetProperty("rejected", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetInt32() : 0;
    }

    private static string Cut(string s) => s.Length <= 300 ? s : s[..300] + "…";
}
