using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Waymark.Server.Tests.Infrastructure;
using static Waymark.Server.Tests.Infrastructure.Beacons;

namespace Waymark.Server.Tests.Cluster;

/// <summary>
/// Cluster mode failing: three Waymark nodes on Redis membership and one
/// ClickHouse, HAProxy in front, a bounded load through it, one node killed
/// with SIGKILL in the middle.
/// </summary>
public sealed class ClusterTests(ClickHouseServer clickHouse) : IClassFixture<ClickHouseServer>
{
    private const int Visitors = 24;
    private const int BeaconsPerVisitor = 90;
    private const int EventsPerBeacon = 4;

    [Fact]
    public async Task NodeKilledMidLoad_EveryAnsweredEventOnce_SessionsContinue_LiveViewsGoOn()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 0);
        var database = ClickHouseServer.NewDatabase();
        var cluster = "wm-test-" + Guid.NewGuid().ToString("N")[..8];
        var folders = new List<string>();
        var nodes = new List<ServerProcess>();
        try
        {
            for (var n = 0; n < 3; n++)
            {
                var folder = Directory.CreateTempSubdirectory("waymark-node-").FullName;
                folders.Add(folder);
                nodes.Add(await ServerProcess.StartAsync(folder, new(Actions.WebhookTests.Settings(receiver.Url))
                {
                    ["Waymark:Store:Kind"] = "clickhouse",
                    ["Waymark:ClickHouse:Url"] = clickHouse.Url.ToString(),
                    ["Waymark:ClickHouse:Database"] = database,
                    ["Waymark:Orleans:Redis"] = redis.Configuration,
                    ["Waymark:Orleans:ClusterId"] = cluster,
                    ["Waymark:Orleans:ProbeTimeoutSeconds"] = "1",
                    ["Waymark:Orleans:ResponseTimeoutSeconds"] = "10",
                    ["Waymark:Journeys:SweepSeconds"] = "1",
                    ["Waymark:Rules:DeadlineGrace"] = "00:00:01",
                    ["Waymark:Actions:Lease"] = "00:00:03",
                    ["Waymark:Actions:RetryMax"] = "00:00:02",
                }));
                if (n == 0)
                {
                    // The rules are saved before the other nodes start, so every node runs them from the first beacon.
                    using var admin = new HttpClient { BaseAddress = nodes[0].BaseAddress };
                    admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WaymarkServer.AdminToken);
                    using var put = await Actions.RuleApiTests.PutRulesAsync(admin, CartRules);
                    Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
                }
            }
            await using var balancer = await LoadBalancer.StartAsync([.. nodes.Select(n => n.BaseAddress)]);
            await RunAsync(balancer.Url, nodes, receiver);
        }
        finally
        {
            foreach (var n in nodes)
            {
                n.Dispose();
            }
            foreach (var f in folders)
            {
                Directory.Delete(f, recursive: true);
            }
        }
    }

    /// <summary>A webhook at once when a cart is filled, and one when no checkout follows within 8 s.</summary>
    private static readonly string CartRules = Actions.RuleApiTests.CartRule + "\n" + Actions.ActionCrashTests.CartIdleRule("8s");

    private const int Shoppers = 24;

    private static async Task RunAsync(Uri front, List<ServerProcess> nodes, WebhookReceiver receiver)
    {
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-2);
        var acked = new ConcurrentDictionary<string, int>();   // event id → visitor
        var ackedAfterKill = new ConcurrentDictionary<int, int>(); // visitor → beacons answered after the kill
        var killed = 0;
        using var http = new HttpClient { BaseAddress = front, Timeout = TimeSpan.FromSeconds(20) };

        // The console's live feed on a node that will survive, subscribed before the load.
        using var live = new LiveFeed(nodes[0].BaseAddress);
        await live.StartAsync();

        var deadline = DateTime.UtcNow.AddMinutes(4);
        var clients = Enumerable.Range(0, Visitors).Select(v => Task.Run(async () =>
        {
            for (var b = 0; b < BeaconsPerVisitor; b++)
            {
                var ids = Enumerable.Range(0, EventsPerBeacon).Select(e => $"v{v}-b{b}-e{e}").ToList();
                var beacon = Batch($"cluster-v{v}", $"cluster-s{v}", ids.Select((id, e) => (object)Custom(id, t0.AddMilliseconds(b * 250 + e))));
                await DeliverAsync(http, beacon, deadline, $"visitor {v} could not deliver beacon {b} within the bound");
                ids.ForEach(id => acked[id] = v);
                if (Volatile.Read(ref killed) == 1)
                {
                    ackedAfterKill.AddOrUpdate(v, 1, (_, c) => c + 1);
                }
            }
        })).ToArray();

        await WaitUntilAsync(() => acked.Count >= Visitors * BeaconsPerVisitor * EventsPerBeacon / 3, "a third of the load answered");
        // Shoppers fill their carts just before the kill, while the webhook receiver is down: the
        // dead node's share of them has undelivered outbox items and absence deadlines armed.
        receiver.Fail = true;
        await Task.WhenAll(Enumerable.Range(0, Shoppers).Select(s => DeliverAsync(http, Batch($"shopper-{s}", $"shopper-s{s}",
            [View($"shopper-{s}-e1", DateTimeOffset.UtcNow, "Shoes"), Custom($"shopper-{s}-e2", DateTimeOffset.UtcNow, "add-to-cart")]), deadline,
            $"shopper {s} could not deliver the cart within the bound")));
        nodes[1].Kill();
        Volatile.Write(ref killed, 1);
        receiver.Fail = false;
        var changesAtKill = live.Count;
        await Task.WhenAll(clients);

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WaymarkServer.AdminToken);
        var all = Visitors * BeaconsPerVisitor * EventsPerBeacon;
        Assert.Equal(all, acked.Count);
        for (var v = 0; v < Visitors; v++)
        {
            // Sessions that were live on the dead node continued on the others: one session, not split.
            var list = await http.GetFromJsonAsync<JsonElement>($"/v1/sessions?app=shop&visitor=cluster-v{v}&limit=100");
            var session = Assert.Single(list.GetProperty("sessions").EnumerateArray());
            var id = session.GetProperty("id").GetString();
            var timeline = await http.GetFromJsonAsync<JsonElement>($"/v1/sessions/{id}?app=shop");
            var events = timeline.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();
            // Every answered event is stored, once, and the summary counts each once.
            Assert.Equal(BeaconsPerVisitor * EventsPerBeacon, events.Count);
            Assert.Equal(events.Count, events.Distinct().Count());
            Assert.Equal(events.Count, timeline.GetProperty("session").GetProperty("events").GetInt32());
            Assert.True(ackedAfterKill.GetValueOrDefault(v) > 0, $"visitor {v} went on after the kill");
        }

        // The surviving node's live feed kept showing changes made on every node after the kill.
        await WaitUntilAsync(() => live.VisitorsAfter(changesAtKill) >= Visitors / 2, "live changes after the kill");

        // The outbox was drained by the survivors, the dead node's items included, and every absence
        // deadline armed before the kill fired, once, for each shopper.
        foreach (var rule in new[] { "cart-added", "cart-idle" })
        {
            await WaitUntilAsync(() => DeliveredShoppers(receiver, rule).Count == Shoppers, $"every shopper's {rule} webhook delivered");
            var history = await http.GetFromJsonAsync<JsonElement>($"/v1/rules/{rule}/history?app=shop&limit=1000");
            var firings = history.EnumerateArray().Select(f => f.GetProperty("firing")).ToList();
            Assert.All(firings, f => Assert.Equal("fired", f.GetProperty("outcome").GetString()));
            Assert.Equal(Shoppers, firings.Count);
            Assert.Equal(Shoppers, firings.Select(f => f.GetProperty("visitor").GetString()).Distinct().Count());
        }
        // At least once, with a stable key: however often a delivery was tried, one key per shopper and rule.
        Assert.Equal(2 * Shoppers, receiver.Requests.Where(r => r.Status == 204).Select(r => r.Id).Distinct().Count());
    }

    private static HashSet<string> DeliveredShoppers(WebhookReceiver receiver, string rule) =>
        [.. receiver.Requests.Where(r => r.Status == 204).Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("data"))
            .Where(d => d.GetProperty("rule").GetString() == rule)
            .Select(d => d.GetProperty("customer").GetProperty("visitor").GetString()!)];

    /// <summary>What a client does: sends the same batch again until it is answered 2xx.</summary>
    private static async Task DeliverAsync(HttpClient http, object beacon, DateTime deadline, string what)
    {
        while (true)
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            try
            {
                using var response = await http.PostAsJsonAsync("/v1/beacon", beacon);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // The node died under the request: its fate is unknown; send again.
            }
            await Task.Delay(100);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(20);
        }
    }
}
