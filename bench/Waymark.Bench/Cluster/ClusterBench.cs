using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Waymark.Bench.Load;

namespace Waymark.Bench.Cluster;

/// <summary>
/// <c>cluster</c>: durable events/s and CPU per event of one DuckDB node (the
/// baseline), then 1, 2 and 3 nodes on Redis membership with one ClickHouse,
/// the load spread round robin over the nodes as a load balancer would, all in
/// the same run. Every acknowledged event is counted in ClickHouse afterwards.
/// </summary>
internal static class ClusterBench
{
    public const string Usage = "cluster [--seconds 12] [--warmup 5] [--clients 64] [--visitors 20000] [--nodes 1,2,3]: events/s and CPU per event of 1..3 nodes on ClickHouse + Redis beside one DuckDB node.";

    public static async Task<int> RunAsync(string[] args)
    {
        int Arg(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        var seconds = Arg("--seconds", 12);
        var warmup = Arg("--warmup", 5);
        var clients = Arg("--clients", 64);
        var visitors = Arg("--visitors", 20_000);
        var nodeCounts = Array.IndexOf(args, "--nodes") is var ni and >= 0 ? args[ni + 1].Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray() : [1, 2, 3];

        var folder = Directory.CreateTempSubdirectory("waymark-cluster-bench-").FullName;
        var results = new List<string>();
        try
        {
            Console.WriteLine("MACHINE " + string.Join("\nMACHINE ", MachineFacts.Lines(folder)));
            var baseline = await MeasureAsync("duckdb x1", folder, 1, null, null, seconds, warmup, clients, visitors);
            results.Add(baseline.Line(baseline));
            using var redis = await Backend.RedisAsync(Path.Combine(folder, "redis"));
            using var clickHouse = await Backend.ClickHouseAsync(Path.Combine(folder, "clickhouse"));
            foreach (var n in nodeCounts)
            {
                var r = await MeasureAsync($"clickhouse x{n}", folder, n, redis, clickHouse, seconds, warmup, clients, visitors);
                results.Add(r.Line(baseline));
            }
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
        foreach (var line in results)
        {
            Console.WriteLine(line);
        }
        return results.Any(l => l.Contains("LOST", StringComparison.Ordinal)) ? 1 : 0;
    }

    private sealed record Run(string Name, int Nodes, double EventsPerSecond, long Events, double NodeCpuMs, double StoreCpuMs, double RedisCpuMs, long Acked, long Stored, long Busy)
    {
        private static string PerK(double ms, long events) => events > 0 ? (ms / (events / 1000.0)).ToString("0.0", CultureInfo.InvariantCulture) : "-";

        public string Line(Run baseline) => string.Create(CultureInfo.InvariantCulture,
            $"RESULT {Name}: {EventsPerSecond:0} durable events/s ({EventsPerSecond / baseline.EventsPerSecond:0.00}x duckdb x1), " +
            $"CPU ms per 1000 events: nodes {PerK(NodeCpuMs, Events)}, store {PerK(StoreCpuMs, Events)}, redis {PerK(RedisCpuMs, Events)}; " +
            $"503 answers {Busy}; acked {Acked}, stored {(Stored < 0 ? "(in the node's file)" : Stored.ToString(CultureInfo.InvariantCulture))}{(Stored >= 0 && Stored < Acked ? " LOST" : "")}");
    }

    private static async Task<Run> MeasureAsync(string name, string root, int count, Backend? redis, Backend? clickHouse, int seconds, int warmup, int clients, int visitors)
    {
        var cluster = "bench" + count;
        var nodes = new List<ServerHandle>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var folder = Path.Combine(root, $"{cluster}-node{i}");
                Directory.CreateDirectory(folder);
                var settings = ServerHandle.Settings(folder);
                if (clickHouse is not null && redis is not null)
                {
                    settings["Waymark:Store:Kind"] = "clickhouse";
                    settings["Waymark:ClickHouse:Url"] = $"http://127.0.0.1:{clickHouse.Port}/";
                    settings["Waymark:ClickHouse:Database"] = cluster;
                    settings["Waymark:Orleans:Redis"] = $"127.0.0.1:{redis.Port}";
                    settings["Waymark:Orleans:ClusterId"] = cluster;
                }
                nodes.Add(await ServerHandle.StartAsync(settings, TimeSpan.FromSeconds(90)));
            }
            Console.WriteLine($"{name}: {string.Join(' ', nodes.Select(n => n.BaseAddress))}");
            var generator = new BeaconGenerator(visitors, seed: 1);
            var pool = new ConcurrentQueue<Visitor>(generator.Visitors);
            using var sockets = new SocketsHttpHandler { MaxConnectionsPerServer = clients, UseProxy = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None };
            using var http = new HttpClient(new RoundRobinHandler([.. nodes.Select(n => n.BaseAddress)], sockets)) { BaseAddress = nodes[0].BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

            var warm = await LoadBench.ClosedLoopAsync("warmup", http, pool, clients, TimeSpan.FromSeconds(warmup));
            double Cpu(IEnumerable<int> pids) => pids.Sum(ProcStats.CpuMs);
            var nodePids = nodes.Select(n => n.Pid).ToList();
            var n0 = Cpu(nodePids);
            var s0 = clickHouse is null ? 0 : ProcStats.CpuMs(clickHouse.Pid);
            var r0 = redis is null ? 0 : ProcStats.CpuMs(redis.Pid);
            var max = await LoadBench.ClosedLoopAsync("A-max", http, pool, clients, TimeSpan.FromSeconds(seconds));
            var nodeCpu = Cpu(nodePids) - n0;
            var storeCpu = clickHouse is null ? 0 : ProcStats.CpuMs(clickHouse.Pid) - s0;
            var redisCpu = redis is null ? 0 : ProcStats.CpuMs(redis.Pid) - r0;
            Console.WriteLine($"{name}: {max.OkEvents} events in {max.Seconds:0.0} s, {max.BusyCount} busy, {max.Errors} errors {max.FirstProblem}");

            // Beacons refused or lost in the phase are sent again before counting, as a client would.
            for (var round = 0; round < 20 && pool.Any(v => v.Pending is not null); round++)
            {
                var retry = await LoadBench.ClosedLoopAsync("retry", http, new ConcurrentQueue<Visitor>(pool.Where(v => v.Pending is not null)), clients, TimeSpan.FromSeconds(1));
                warm.AddOk(retry.OkEvents);
            }
            var acked = warm.OkEvents + max.OkEvents;
            foreach (var n in nodes)
            {
                await n.StopAsync(TimeSpan.FromSeconds(60));
            }
            var stored = clickHouse is null ? -1 : await CountAsync(clickHouse.Port, cluster);
            if (clickHouse is not null)
            {
                // Where ClickHouse spent its time: this run's statements by shape.
                await QueryAsync(clickHouse.Port, "SYSTEM FLUSH LOGS");
                Console.WriteLine(await QueryAsync(clickHouse.Port,
                    "SELECT substring(replaceRegexpAll(replaceRegexpAll(query, '\\'[^\\']*\\'', '?'), '[0-9]+', '?'), 1, 100) AS q, count() AS n, sum(query_duration_ms) AS ms, sum(read_rows) AS rows " +
                    $"FROM system.query_log WHERE type = 2 AND query NOT LIKE '%query_log%' GROUP BY q ORDER BY ms DESC LIMIT 8"));
            }
            return new Run(name, count, max.OkEventsPerSecond, max.OkEvents, nodeCpu, storeCpu, redisCpu, acked, stored, max.BusyCount);
        }
        finally
        {
            foreach (var n in nodes)
            {
                n.Dispose();
            }
        }
    }

    private static async Task<string> QueryAsync(int port, string sql)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var response = await http.PostAsync(new Uri($"http://127.0.0.1:{port}/"), new StringContent(sql));
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<long> CountAsync(int port, string database)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var sql = $"SELECT uniqExact(visitor, event_id) FROM {database}.events WHERE type < 10";
        var body = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/?query={Uri.EscapeDataString(sql)}"));
        return long.Parse(body.Trim(), CultureInfo.InvariantCulture);
    }
}
