using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using Waymark.Bench.Load;

namespace Waymark.Bench.Visitors;

internal static partial class VisitorsBench
{
    private const string ScrapeToken = "bench-scrape-token-0123456789";

    private static async Task<string> FloodAsync(Options o, string folder)
    {
        Directory.CreateDirectory(folder);
        var settings = ServerHandle.Settings(folder);
        settings["Waymark:Store:MemoryLimit"] = o.DuckDbLimit;
        settings["Waymark:Auth:Tokens:0:Name"] = "scrape";
        settings["Waymark:Auth:Tokens:0:Token"] = ScrapeToken;
        settings["Waymark:Auth:Tokens:0:Role"] = "admin";
        var heapLimit = (long)o.HeapLimitMb << 20;
        var env = new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x" + heapLimit.ToString("x", CultureInfo.InvariantCulture) };
        using var server = await ServerHandle.StartAsync(settings, TimeSpan.FromSeconds(60), env);
        Console.WriteLine($"flood: server pid {server.Pid}, GC heap limit {o.HeapLimitMb} MiB, DuckDB memory limit {o.DuckDbLimit}, RSS {ProcStats.MemoryMb(server.Pid).Rss:0} MiB after start");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = o.Clients }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };

        long ok = 0, busy = 0, other = 0, accepted = 0, sent = 0;
        var peak = new Peaks();
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await peak.SampleAsync(server.Pid, http);
                try
                {
                    await Task.Delay(1000, stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        var t0 = Stopwatch.GetTimestamp();
        var deadline = TimeSpan.FromMinutes(o.Minutes);
        var rng = new Random(23);
        await Parallel.ForEachAsync(Enumerable.Range(0, o.Count), new ParallelOptions { MaxDegreeOfParallelism = o.Clients }, async (i, ct) =>
        {
            if (Stopwatch.GetElapsedTime(t0) > deadline)
            {
                return;
            }
            var v = NewVisitor(1_000_000 + i, rng);
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            GeneratedBeacon beacon;
            lock (rng)
            {
                beacon = BeaconGenerator.Next(v, rng, now);
            }
            var body = BeaconGenerator.ToJson(beacon, now);
            Interlocked.Increment(ref sent);
            while (true)
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/beacon") { Content = content };
                request.Headers.UserAgent.ParseAdd(v.Device.UserAgent);
                using var response = await http.SendAsync(request, ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref ok);
                    using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
                    Interlocked.Add(ref accepted, json.RootElement.GetProperty("accepted").GetInt32() - json.RootElement.GetProperty("duplicates").GetInt32());
                    return;
                }
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    // As a client does: wait as told, send the same beacon again.
                    Interlocked.Increment(ref busy);
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), ct);
                    continue;
                }
                Interlocked.Increment(ref other);
                return;
            }
        });
        var seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        await Task.Delay(2000);
        await peak.SampleAsync(server.Pid, http);
        await stop.CancelAsync();
        await sampler;
        var (exit, _) = await server.StopAsync(TimeSpan.FromSeconds(60));
        var stored = CountEvents(settings["Waymark:Store:Path"]);
        var lost = accepted - stored;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"flood: {sent} visitors in {seconds:0.0} s ({sent / seconds:0}/s), 200 {ok}, 503 {busy} (each sent again), other {other}; events accepted {accepted}, in the file {stored}; journeys live peak {peak.Journeys} end {peak.LastJourneys}; GC heap peak {peak.HeapMb:0} MiB of {o.HeapLimitMb}; RSS peak {peak.RssMb:0} MiB; exit {exit}"));
        var okAll = other == 0 && lost == 0 && exit == 0 && ok == sent;
        return string.Create(CultureInfo.InvariantCulture,
            $"RESULT visitors.flood visitors={sent} seconds={seconds:0.0} status_200={ok} status_503={busy} other={other} events_accepted={accepted} events_stored={stored} journeys_peak={peak.Journeys} journeys_end={peak.LastJourneys} heap_peak_mb={peak.HeapMb:0} heap_limit_mb={o.HeapLimitMb} rss_peak_mb={peak.RssMb:0} exit={exit} {(okAll ? "OK" : "FAILED")}");
    }

    private static long CountEvents(string path)
    {
        using var c = new DuckDBConnection("Data Source=" + path);
        c.Open();
        Waymark.Server.Store.DuckDb.DuckDbSchema.AttachSegments(c, path);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM events WHERE type < 10";
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>The flooded server's peaks: RSS from /proc, live journeys and GC heap from its Prometheus endpoint.</summary>
    private sealed class Peaks
    {
        public double RssMb { get; private set; }
        public long Journeys { get; private set; }
        public long LastJourneys { get; private set; }
        public double HeapMb { get; private set; }

        public async Task SampleAsync(int pid, HttpClient http)
        {
            RssMb = Math.Max(RssMb, ProcStats.MemoryMb(pid).Rss);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ScrapeToken);
                using var response = await http.SendAsync(request);
                var heap = 0.0;
                foreach (var line in (await response.Content.ReadAsStringAsync()).Split('\n'))
                {
                    if (line.StartsWith("waymark_journeys_active", StringComparison.Ordinal))
                    {
                        LastJourneys = (long)Value(line);
                        Journeys = Math.Max(Journeys, LastJourneys);
                    }
                    else if (line.StartsWith("dotnet_gc_last_collection_heap_size_bytes", StringComparison.Ordinal))
                    {
                        heap += Value(line);
                    }
                }
                HeapMb = Math.Max(HeapMb, heap / 1048576.0);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // A busy server may not answer a scrape in time; the next one counts.
            }
        }

        private static double Value(string line) =>
            double.TryParse(line[(line.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0;
    }

    private sealed class Options
    {
        public int Measure { get; private set; } = 20_000;
        public int Count { get; private set; } = 200_000;
        public int HeapLimitMb { get; private set; } = 256;
        public string DuckDbLimit { get; private set; } = "256MB";
        public int Clients { get; private set; } = 64;
        public int Minutes { get; private set; } = 15;

        public static Options Parse(string[] args)
        {
            var o = new Options();
            for (var i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                int Int() => int.Parse(Value(), CultureInfo.InvariantCulture);
                switch (args[i])
                {
                    case "--measure": o.Measure = Int(); break;
                    case "--count": o.Count = Int(); break;
                    case "--heap-limit-mb": o.HeapLimitMb = Int(); break;
                    case "--duckdb-limit": o.DuckDbLimit = Value(); break;
                    case "--clients": o.Clients = Int(); break;
                    case "--minutes": o.Minutes = Int(); break;
                    default: throw new ArgumentException("unknown option " + args[i] + "\n" + Usage);
                }
            }
            return o;
        }
    }
}
