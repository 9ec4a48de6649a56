using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using DuckDB.NET.Data;
using Waymark.Server.Apps;
using Waymark.Server.Store.DuckDb;

namespace Waymark.Bench.Load;

/// <summary>
/// The whole server under load, then the database alone on the same rows:
/// A, closed loop at max throughput; B, open loop at half that rate (or
/// --rate); C, ten times the max offered with bounded in-flight requests;
/// then the DuckDB baselines. Figures are printed last, as RESULT lines.
/// </summary>
internal static class LoadBench
{
    private const int LatencyCapacity = 2_000_000;
    private static readonly TimeSpan s_drainBound = TimeSpan.FromSeconds(40);

    public static async Task<int> RunAsync(LoadOptions o)
    {
        var folder = Directory.CreateTempSubdirectory("waymark-bench-").FullName;
        var results = new List<string>();
        var failed = false;
        try
        {
            Console.WriteLine("MACHINE " + string.Join("\nMACHINE ", MachineFacts.Lines(folder)));
            ServerRun? run = null;
            if (!o.SkipServer)
            {
                run = await RunServerAsync(o, Path.Combine(folder, "server"));
                failed = run.Failed;
            }
            GC.Collect();
            var baselines = await RunBaselinesAsync(o, folder);
            Report(o, run, baselines, results);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or HttpRequestException or DuckDBException)
        {
            Console.WriteLine("FAILED " + ex);
            failed = true;
        }
        finally
        {
            if (o.Keep)
            {
                Console.WriteLine("kept " + folder);
            }
            else
            {
                TryDelete(folder);
            }
        }
        foreach (var line in results)
        {
            Console.WriteLine(line);
        }
        return failed ? 1 : 0;
    }

    private sealed class ServerRun
    {
        public required PhaseStats Max { get; init; }
        public required PhaseStats Half { get; init; }
        public PhaseStats? Overload { get; init; }
        public PhaseStats? Recovery { get; init; }
        public long AckedEvents { get; init; }
        public long CommittedEvents { get; init; }
        public long StoredRows { get; init; }
        public double StartRssMb { get; init; }
        public double FinalPeakRssMb { get; init; }
        public int ExitCode { get; init; }
        public double StopSeconds { get; init; }
        public bool Failed { get; init; }
    }

    private sealed record Baselines(
        BaselineResult Raw, double RawCpuMs,
        BaselineResult Store, double StoreCpuMs,
        StoredRows Pipeline);

    private static async Task<ServerRun> RunServerAsync(LoadOptions o, string folder)
    {
        Directory.CreateDirectory(folder);
        var settings = ServerHandle.Settings(folder);
        foreach (var (k, v) in o.ServerSettings)
        {
            settings[k] = v;
        }
        Console.WriteLine("server: dotnet Waymark.Server.dll " + string.Join(' ', settings.Select(kv => $"--{kv.Key}={kv.Value}")));
        using var server = await ServerHandle.StartAsync(settings, TimeSpan.FromSeconds(60));
        var startRss = ProcStats.MemoryMb(server.Pid).Rss;
        Console.WriteLine($"server pid {server.Pid} at {server.BaseAddress}, RSS {startRss:0} MiB after start");

        var generator = new BeaconGenerator(o.Visitors, seed: 1);
        var pool = new ConcurrentQueue<Visitor>(generator.Visitors);
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(o.Clients, Math.Max(o.Inflight, o.OverloadInflight)),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        using var http = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        long acked = 0;

        if (o.Warmup > 0)
        {
            var warm = await MeasureAsync(server, () => ClosedLoopAsync("warmup", http, pool, o.Clients, TimeSpan.FromSeconds(o.Warmup)));
            Console.WriteLine(Describe(warm));
            acked += warm.OkEvents;
        }
        var max = await MeasureAsync(server, () => ClosedLoopAsync("A-max", http, pool, o.Clients, TimeSpan.FromSeconds(o.Seconds)));
        Console.WriteLine(Describe(max));
        acked += max.OkEvents;

        var halfRate = o.Rate ?? (max.OkEventsPerSecond / 2);
        var half = await MeasureAsync(server, () => OpenLoopAsync("B-half", http, pool, halfRate / BeaconGenerator.MeanEvents, o.Inflight, TimeSpan.FromSeconds(o.HalfSeconds)));
        Console.WriteLine(Describe(half));
        acked += half.OkEvents;

        PhaseStats? overload = null, recovery = null;
        if (o.OverloadSeconds > 0)
        {
            var offered = max.OkEventsPerSecond * o.OverloadFactor / BeaconGenerator.MeanEvents;
            overload = await MeasureAsync(server, () => OpenLoopAsync("C-overload", http, pool, offered, o.OverloadInflight, TimeSpan.FromSeconds(o.OverloadSeconds)));
            Console.WriteLine(Describe(overload));
            acked += overload.OkEvents;
            // Does it serve normally right after? Clients whose beacons were refused send them again.
            recovery = await MeasureAsync(server, () => ClosedLoopAsync("recovery", http, pool, o.Clients, TimeSpan.FromSeconds(3)));
            Console.WriteLine(Describe(recovery));
            acked += recovery.OkEvents;
        }

        long committed = -1;
        try
        {
            using var ready = await http.GetAsync(new Uri("ready", UriKind.Relative));
            var body = await ready.Content.ReadAsStringAsync();
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("committedEvents", out var c))
            {
                committed = c.GetInt64();
            }
            Console.WriteLine($"/ready: {(int)ready.StatusCode} {body}");
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException)
        {
            Console.WriteLine("/ready failed: " + ex.Message);
        }
        var finalPeak = ProcStats.MemoryMb(server.Pid).Peak;
        var (exit, took) = await server.StopAsync(TimeSpan.FromSeconds(60));
        Console.WriteLine($"server stopped by SIGTERM: exit code {exit} after {took.TotalSeconds:0.0} s");
        if (exit != 0)
        {
            Console.WriteLine(string.Join('\n', server.LastLines));
        }

        var stored = CountRows(settings["Waymark:Store:Path"], "type < 10");
        var facts = CountRows(settings["Waymark:Store:Path"], "true");
        // The server's counter counts every fact it committed: the events and the journeys' session boundaries.
        Console.WriteLine($"acked events {acked}, committed facts (server counter) {committed}, events in the file after stop {stored}, facts in all {facts}");
        return new ServerRun
        {
            Max = max, Half = half, Overload = overload, Recovery = recovery,
            AckedEvents = acked, CommittedEvents = committed, StoredRows = stored,
            StartRssMb = startRss, FinalPeakRssMb = finalPeak, ExitCode = exit, StopSeconds = took.TotalSeconds,
            Failed = exit != 0 || stored < acked,
        };
    }

    private static long CountRows(string path, string where)
    {
        try
        {
            using var c = new DuckDBConnection("Data Source=" + path);
            c.Open();
            Waymark.Server.Store.DuckDb.DuckDbSchema.AttachSegments(c, path);
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT count(*) FROM events WHERE " + where;
            return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        catch (DuckDBException ex)
        {
            Console.WriteLine("could not count the stored rows: " + ex.Message);
            return -1;
        }
    }

    /// <summary>Runs a phase and measures the server process around it: CPU time and peak RSS.</summary>
    private static async Task<PhaseStats> MeasureAsync(ServerHandle server, Func<Task<PhaseStats>> phase)
    {
        var cpu0 = ProcStats.CpuMs(server.Pid);
        var self0 = ProcStats.CpuMs(Environment.ProcessId);
        PhaseStats stats;
        double sampled;
        if (Environment.GetEnvironmentVariable("WAYMARK_BENCH_TRACE") == "1")
        {
            Console.WriteLine($"phase starts {DateTime.UtcNow:HH:mm:ss.fff}");
        }
        await using (var sampler = new RssSampler(server.Pid))
        {
            stats = await phase();
            sampled = sampler.MaxMb;
        }
        var (rss, peak) = ProcStats.MemoryMb(server.Pid);
        stats.ServerCpuMs = ProcStats.CpuMs(server.Pid) - cpu0;
        stats.ClientCpuMs = ProcStats.CpuMs(Environment.ProcessId) - self0;
        stats.ServerPeakRssMb = Math.Max(peak, sampled);
        stats.ServerEndRssMb = rss;
        if (server.HasExited)
        {
            throw new InvalidOperationException("The server died during " + stats.Name + ":\n" + string.Join('\n', server.LastLines));
        }
        return stats;
    }

    /// <summary>Each client sends a beacon, waits for the answer, sends the next: the server's max throughput.</summary>
    internal static async Task<PhaseStats> ClosedLoopAsync(string name, HttpClient http, ConcurrentQueue<Visitor> pool, int clients, TimeSpan duration)
    {
        var stats = new PhaseStats(name, LatencyCapacity);
        var t0 = Stopwatch.GetTimestamp();
        stats.Start = t0;
        var end = t0 + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        // A bound on beacons besides the time: 100k a second per client is far beyond any server.
        var maxPerClient = (long)(duration.TotalSeconds * 100_000);
        async Task Client()
        {
            for (long n = 0; n < maxPerClient && Stopwatch.GetTimestamp() < end; n++)
            {
                if (!pool.TryDequeue(out var v))
                {
                    await Task.Delay(1);
                    continue;
                }
                try
                {
                    await SendAsync(http, v, stats, Stopwatch.GetTimestamp());
                }
                finally
                {
                    pool.Enqueue(v);
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(Client)));
        stats.Seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        return stats;
    }

    /// <summary>
    /// Beacons arrive at a fixed rate whatever the answers (open loop); a
    /// beacon's latency counts from when it was due, so a slow answer that
    /// delays the next send is not hidden. At most <paramref name="inflight"/>
    /// requests are in flight; an arrival beyond is shed and counted.
    /// </summary>
    private static async Task<PhaseStats> OpenLoopAsync(string name, HttpClient http, ConcurrentQueue<Visitor> pool, double beaconsPerSecond, int inflight, TimeSpan duration)
    {
        var stats = new PhaseStats(name, LatencyCapacity) { OfferedBeaconsPerSecond = beaconsPerSecond };
        using var slots = new SemaphoreSlim(inflight, inflight);
        var ticksPerBeacon = Stopwatch.Frequency / beaconsPerSecond;
        var t0 = Stopwatch.GetTimestamp();
        stats.Start = t0;
        var end = t0 + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long issued = 0;
        async Task One(Visitor v, long due)
        {
            try
            {
                await SendAsync(http, v, stats, due);
            }
            finally
            {
                pool.Enqueue(v);
                slots.Release();
            }
        }
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            if (now >= end)
            {
                break;
            }
            var due = (long)((now - t0) / ticksPerBeacon) + 1;
            while (issued < due)
            {
                var at = t0 + (long)(issued * ticksPerBeacon);
                issued++;
                stats.Offer();
                if (!slots.Wait(0))
                {
                    stats.ShedOne();
                    continue;
                }
                if (!pool.TryDequeue(out var v))
                {
                    slots.Release();
                    stats.ShedOne();
                    continue;
                }
                _ = Task.Run(() => One(v, at));
            }
            await Task.Delay(1);
        }
        var drainEnd = Stopwatch.GetTimestamp() + (long)(s_drainBound.TotalSeconds * Stopwatch.Frequency);
        while (slots.CurrentCount < inflight && Stopwatch.GetTimestamp() < drainEnd)
        {
            await Task.Delay(5);
        }
        stats.Seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        return stats;
    }

    private static async Task SendAsync(HttpClient http, Visitor v, PhaseStats stats, long due)
    {
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var beacon = v.Pending ?? BeaconGenerator.Next(v, Random.Shared, nowMs);
        v.Pending = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("v1/beacon", UriKind.Relative))
        {
            Content = new ByteArrayContent(BeaconGenerator.ToJson(beacon, nowMs)),
        };
        // What navigator.sendBeacon sends for a string body.
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "text/plain;charset=UTF-8");
        request.Headers.TryAddWithoutValidation("User-Agent", v.Device.UserAgent);
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", v.Ip);
        try
        {
            using var response = await http.SendAsync(request);
            var status = (int)response.StatusCode;
            stats.Record(status, response.Headers.RetryAfter is not null, beacon.Events.Count, Stopwatch.GetTimestamp() - due);
            if (status is >= 200 and < 300 && stats.OkCount <= 20)
            {
                // Spot check: every event taken, none rejected, none a duplicate.
                var body = await response.Content.ReadAsStringAsync();
                if (!body.Contains($"\"accepted\":{beacon.Events.Count},\"duplicates\":0,\"rejected\":0", StringComparison.Ordinal))
                {
                    stats.Error(new InvalidOperationException("unexpected answer: " + body));
                }
            }
            else if (status == 503 || status >= 500)
            {
                v.Pending = beacon;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            stats.Error(ex);
            v.Pending = beacon;
        }
    }

    private static async Task<Baselines> RunBaselinesAsync(LoadOptions o, string folder)
    {
        var rows = new StoredRows(new Waymark.Server.Apps.AppOptions
        {
            Id = BeaconGenerator.App, IngestKey = BeaconGenerator.Key,
            AllowedQueryParams = ["q", "page"], FirstPartyHosts = [BeaconGenerator.Host],
        });
        var t0 = Stopwatch.GetTimestamp();
        var batches = rows.Generate(new BeaconGenerator(o.Visitors, seed: 2), o.BaselineRows, seed: 3);
        Console.WriteLine($"baseline rows: {rows.Events} events in {batches.Count} beacons made with the server's parser, enricher and journey in {Stopwatch.GetElapsedTime(t0).TotalSeconds:0.0} s");
        var bound = TimeSpan.FromSeconds(o.BaselineSeconds);

        var self = ProcStats.CpuMs(Environment.ProcessId);
        var raw = DuckDbBaselines.RawAppender(Path.Combine(folder, "raw.duckdb"), batches, o.CommitSize, bound);
        var rawCpu = ProcStats.CpuMs(Environment.ProcessId) - self;
        Console.WriteLine(Describe(raw, rawCpu));

        self = ProcStats.CpuMs(Environment.ProcessId);
        var store = await DuckDbBaselines.StoreAsync(Path.Combine(folder, "store.duckdb"), batches, o.Clients, bound);
        var storeCpu = ProcStats.CpuMs(Environment.ProcessId) - self;
        Console.WriteLine(Describe(store, storeCpu));
        return new Baselines(raw, rawCpu, store, storeCpu, rows);
    }

    private static string Describe(PhaseStats s)
    {
        var ok = s.Ok.SortedMs();
        var busy = s.Busy.SortedMs();
        return FormattableString.Invariant(
            $"{s.Name}: {s.Seconds:0.0} s, offered {s.Offered} beacons ({s.OfferedBeaconsPerSecond:0}/s), sent {s.Sent}, shed {s.Shed}, ") + FormattableString.Invariant(
            $"2xx {s.OkCount} ({s.OkEventsPerSecond:0} events/s), 503 {s.BusyCount} (Retry-After on {s.BusyWithRetryAfter}), other {s.OtherStatus}, errors {s.Errors}; ") + FormattableString.Invariant(
            $"2xx latency p50 {P(ok, 50)} p99 {P(ok, 99)} p99.9 {P(ok, 99.9)} max {P(ok, 100)} ms; 503 p50 {P(busy, 50)} p99 {P(busy, 99)} ms; ") + FormattableString.Invariant(
            $"server CPU {s.ServerCpuMs:0} ms, client CPU {s.ClientCpuMs:0} ms, server RSS peak {s.ServerPeakRssMb:0} MiB end {s.ServerEndRssMb:0} MiB") +
            (s.FirstProblem is null ? "" : "; first problem: " + s.FirstProblem) +
            "\n    slowest 2xx answer of each 500 ms, ms: " + string.Join(' ', s.Ok.MaxPerWindowMs(s.Start, TimeSpan.FromMilliseconds(500)).Select(m => m.ToString("0", CultureInfo.InvariantCulture)));
    }

    private static string Describe(BaselineResult b, double cpuMs) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{b.Name}: {b.Rows} rows in {b.Seconds:0.00} s of DB time, {(b.Commits > 0 ? b.Commits.ToString(CultureInfo.InvariantCulture) + " commits, " : "")}{b.RowsPerSecond:0} rows/s, CPU {cpuMs:0} ms ({PerThousand(cpuMs, b.Rows):0.0} ms per 1000 rows)");

    private static string P(double[] sorted, double p) =>
        sorted.Length == 0 ? "-" : LatencyRecorder.Percentile(sorted, p).ToString(sorted.Length > 0 && LatencyRecorder.Percentile(sorted, p) < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    private static double PerThousand(double ms, long events) => events > 0 ? ms / (events / 1000.0) : double.NaN;

    private static void Report(LoadOptions o, ServerRun? run, Baselines b, List<string> results)
    {
        void R(FormattableString line) => results.Add("RESULT " + line.ToString(CultureInfo.InvariantCulture));
        var p = b.Pipeline;
        double Us(long ticks) => ticks * 1e6 / Stopwatch.Frequency / Math.Max(1, p.Events);
        R($"setup clients={o.Clients} visitors={o.Visitors} events_per_beacon={BeaconGenerator.MinEvents}-{BeaconGenerator.MaxEvents} phaseA={o.Seconds}s phaseB={o.HalfSeconds}s phaseC={o.OverloadSeconds}s x{o.OverloadFactor} inflightB={o.Inflight} inflightC={o.OverloadInflight} commit={o.CommitSize} loadavg=\"{MachineFacts.LoadAverage()}\"");
        if (run is not null)
        {
            var a = run.Max;
            var aOk = a.Ok.SortedMs();
            var h = run.Half;
            var hOk = h.Ok.SortedMs();
            R($"server.max events_per_s={a.OkEventsPerSecond:0} beacons_per_s={a.OkCount / a.Seconds:0} p50_ms={P(aOk, 50)} p99_ms={P(aOk, 99)} status_503={a.BusyCount} errors={a.Errors + a.OtherStatus}");
            R($"server.half offered_events_per_s={h.OfferedBeaconsPerSecond * BeaconGenerator.MeanEvents:0} events_per_s={h.OkEventsPerSecond:0} p50_ms={P(hOk, 50)} p99_ms={P(hOk, 99)} p999_ms={P(hOk, 99.9)} shed={h.Shed} status_503={h.BusyCount} errors={h.Errors + h.OtherStatus}");
            R($"server.cpu ms_per_1000_events max={PerThousand(a.ServerCpuMs, a.OkEvents):0.0} half={PerThousand(h.ServerCpuMs, h.OkEvents):0.0} client_ms_per_1000_events max={PerThousand(a.ClientCpuMs, a.OkEvents):0.0} cores_busy_server_max={a.ServerCpuMs / 1000 / a.Seconds:0.00} cores_busy_client_max={a.ClientCpuMs / 1000 / a.Seconds:0.00}");
            R($"server.memory rss_after_start_mb={run.StartRssMb:0} peak_rss_max_mb={a.ServerPeakRssMb:0} peak_rss_half_mb={h.ServerPeakRssMb:0}");
            if (run.Overload is { } c)
            {
                var sent = Math.Max(1, c.Sent);
                var cBusy = c.Busy.SortedMs();
                var cOk = c.Ok.SortedMs();
                R($"server.overload offered_events_per_s={c.OfferedBeaconsPerSecond * BeaconGenerator.MeanEvents:0} sent_beacons_per_s={c.Sent / c.Seconds:0} accepted_events_per_s={c.OkEventsPerSecond:0} share_503={100.0 * c.BusyCount / sent:0.0}% retry_after={c.BusyWithRetryAfter}/{c.BusyCount} shed_at_client={c.Shed} errors={c.Errors + c.OtherStatus} p50_503_ms={P(cBusy, 50)} p99_503_ms={P(cBusy, 99)} p99_2xx_ms={P(cOk, 99)} peak_rss_mb={c.ServerPeakRssMb:0} end_rss_mb={c.ServerEndRssMb:0}");
            }
            if (run.Recovery is { } rec)
            {
                R($"server.after_overload events_per_s={rec.OkEventsPerSecond:0} status_503={rec.BusyCount} errors={rec.Errors + rec.OtherStatus}");
            }
            R($"server.durability acked_events={run.AckedEvents} events_in_file_after_sigterm={run.StoredRows} committed_facts_counter={run.CommittedEvents} exit_code={run.ExitCode} stop_s={run.StopSeconds:0.0} {(run.StoredRows >= run.AckedEvents ? "OK" : "MISSING ROWS")}");
        }
        R($"pipeline.inprocess us_per_event serialize(client)={Us(p.SerializeTicks):0.00} parse={Us(p.ParseTicks):0.00} enrich_mask={Us(p.EnrichTicks):0.00} journey={Us(p.JourneyTicks):0.00}");
        R($"baseline.raw_appender rows_per_s={b.Raw.RowsPerSecond:0} cpu_ms_per_1000_rows={PerThousand(b.RawCpuMs, b.Raw.Rows):0.0} rows={b.Raw.Rows} commits={b.Raw.Commits}");
        R($"baseline.duckdbstore rows_per_s={b.Store.RowsPerSecond:0} cpu_ms_per_1000_rows={PerThousand(b.StoreCpuMs, b.Store.Rows):0.0} rows={b.Store.Rows} writers={o.Clients}");
        if (run is not null)
        {
            var s = run.Max.OkEventsPerSecond;
            var hOk = run.Half.Ok.SortedMs();
            R($"ratio server/raw_appender={s / b.Raw.RowsPerSecond:0.000} server/duckdbstore={s / b.Store.RowsPerSecond:0.000}");
            // CPU per event against CPU per row: steadier than rates when the machine is shared.
            var serverCpu = PerThousand(run.Max.ServerCpuMs, run.Max.OkEvents);
            R($"ratio.cpu server_ms_per_1000_events/raw_appender_ms_per_1000_rows={serverCpu / PerThousand(b.RawCpuMs, b.Raw.Rows):0.00} server/duckdbstore={serverCpu / PerThousand(b.StoreCpuMs, b.Store.Rows):0.00}");
            var p99 = LatencyRecorder.Percentile(hOk, 99);
            R($"target events_per_s>=100000: {(s >= 100_000 ? "MET" : "NOT MET")} ({s:0}); p99<50ms at half rate: {(p99 < 50 ? "MET" : "NOT MET")} ({p99:0.0} ms)");
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException ex)
        {
            Console.WriteLine("could not delete " + folder + ": " + ex.Message);
        }
    }
}
