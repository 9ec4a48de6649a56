using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using Waymark.Server.Store;
using Waymark.Server.Apps;
using Waymark.Server.Store.DuckDb;

namespace Waymark.Bench.Load;

/// <summary>
/// <c>db</c>: the layouts tried for the store's events, on the rows the server
/// stores: one table with or without a key and DuckDB's own checkpoints; a
/// checkpointer beside the writer on one table, on two tables taking turns,
/// on two files taking turns (what the store does); and narrow rows. Each
/// variant writes into fresh files; CPU, wall time and the commits that
/// waited are measured.
/// </summary>
internal static class DbExperiments
{
    public static int Run(string[] args)
    {
        var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
        // One variant instead of all: db ROWS pk|nopk COMMIT WAL_AUTOCHECKPOINT (e.g. db 800000 pk 800 16MB), or
        // db ROWS bg|pingpong|twofiles COMMIT CHECKPOINT_AT (e.g. db 1200000 twofiles 800 32MB).
        var one = args.Length >= 4;
        var folder = Directory.CreateTempSubdirectory("waymark-db-").FullName;
        try
        {
            var stored = new StoredRows(new Waymark.Server.Apps.AppOptions
            {
                Id = BeaconGenerator.App, IngestKey = BeaconGenerator.Key,
                AllowedQueryParams = ["q", "page"], FirstPartyHosts = [BeaconGenerator.Host],
            });
            var batches = stored.Generate(new BeaconGenerator(20_000, seed: 2), rows, seed: 3);
            Console.WriteLine($"{stored.Events} rows, {batches.Count} beacons");
            var n = 0;
            if (!one)
            {
                // The layouts tried for the store, on the same rows: one table with and without a key, DuckDB's
                // checkpoints inside the commit, a checkpointer beside the writer on one table, on two tables,
                // and on two files (what the store does).
                foreach (var pk in new[] { true, false })
                {
                    Variant(Path.Combine(folder, $"v{n++}.duckdb"), batches, pk, 800, "16MB");
                }
                BackgroundCheckpoints(Path.Combine(folder, $"v{n++}.duckdb"), batches, 800, "32MB");
                PingPong(Path.Combine(folder, $"v{n++}.duckdb"), batches, 800, "32MB");
                var two = Directory.CreateDirectory(Path.Combine(folder, "two")).FullName;
                TwoFiles(two, batches, 800, "32MB");
                return 0;
            }
            if (one && args[1] == "narrow")
            {
                Narrow(Path.Combine(folder, $"v{n++}.duckdb"), batches, int.Parse(args[2], CultureInfo.InvariantCulture), wide: true);
                Narrow(Path.Combine(folder, $"v{n++}.duckdb"), batches, int.Parse(args[2], CultureInfo.InvariantCulture), wide: false);
                return 0;
            }
            if (one && args[1] == "twofiles")
            {
                TwoFiles(folder, batches, int.Parse(args[2], CultureInfo.InvariantCulture), args[3]);
                return 0;
            }
            if (one && args[1] == "pingpong")
            {
                PingPong(Path.Combine(folder, $"v{n++}.duckdb"), batches, int.Parse(args[2], CultureInfo.InvariantCulture), args[3]);
                return 0;
            }
            if (one && args[1] == "bg")
            {
                // No primary key, appends only, checkpoints on a connection of their own when the WAL passes the size given.
                BackgroundCheckpoints(Path.Combine(folder, $"v{n++}.duckdb"), batches, int.Parse(args[2], CultureInfo.InvariantCulture), args[3]);
                return 0;
            }
            foreach (var pk in one ? [args[1] == "pk"] : new[] { true, false })
            {
                foreach (var commit in one ? [int.Parse(args[2], CultureInfo.InvariantCulture)] : new[] { 800, 20_000 })
                {
                    foreach (var autoCheckpoint in one ? [args[3]] : new[] { "16MB", "1GB" })
                    {
                        Variant(Path.Combine(folder, $"v{n++}.duckdb"), batches, pk, commit, autoCheckpoint);
                    }
                }
            }
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(5);

    /// <summary>One table, DuckDB's checkpoints inside the commit that crosses <paramref name="autoCheckpoint"/>.</summary>
    private static void Variant(string path, List<WriteBatch> batches, bool pk, int commitSize, string autoCheckpoint)
    {
        using var c = new DuckDBConnection("Data Source=" + path);
        c.Open();
        Execute(c, "SET memory_limit = '4GB'");
        Execute(c, $"SET wal_autocheckpoint = '{autoCheckpoint}'");
        // The key, when there is one, is on seq: an index of one BIGINT per row, as the store's key once was of a UUID.
        Execute(c, $"CREATE TABLE events ({DuckDbSchema.EventColumns}{(pk ? ", PRIMARY KEY (seq)" : "")})");
        var cpu0 = ProcStats.CpuMs(Environment.ProcessId);
        var r = DuckDbBaselines.CommitLoop(c, batches, commitSize, Bound, () => (null, "events"));
        Report($"pk={pk,-5} commit={commitSize,6} wal_autocheckpoint={autoCheckpoint,-4}", r, ProcStats.CpuMs(Environment.ProcessId) - cpu0, $"file {new FileInfo(path).Length / 1048576.0:0} MiB", []);
    }

    /// <summary>
    /// A checkpointer on a connection of its own, beside the writer: whenever
    /// <c>due</c> says so, <c>before</c> runs (the writer may move on) and names
    /// what to checkpoint ("" for the main file), then <c>after</c>.
    /// </summary>
    private sealed class Checkpointer : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public List<string> Done { get; } = [];

        public Checkpointer(string mainPath, Func<bool> due, Func<string> before, Action? after = null)
        {
            _loop = Task.Run(() =>
            {
                using var cc = new DuckDBConnection("Data Source=" + mainPath);
                cc.Open();
                while (!_stop.IsCancellationRequested)
                {
                    if (due())
                    {
                        var target = before();
                        var t = Stopwatch.GetTimestamp();
                        try
                        {
                            Execute(cc, ("CHECKPOINT " + target).TrimEnd());
                            Done.Add(FormattableString.Invariant($"{Stopwatch.GetElapsedTime(t).TotalMilliseconds:0}ms"));
                        }
                        catch (DuckDBException ex)
                        {
                            Done.Add("failed:" + ex.Message[..Math.Min(60, ex.Message.Length)]);
                        }
                        after?.Invoke();
                    }
                    Thread.Sleep(20);
                }
            });
        }

        public void Dispose()
        {
            _stop.Cancel();
            _loop.Wait();
            _stop.Dispose();
        }
    }

    private static DuckDBConnection OpenQuiet(string path)
    {
        var c = new DuckDBConnection("Data Source=" + path);
        c.Open();
        Execute(c, "SET memory_limit = '4GB'");
        Execute(c, "SET threads = 1");
        // DuckDB's own checkpoints out of the way: the checkpointer does them.
        Execute(c, "SET wal_autocheckpoint = '100GB'");
        if (Environment.GetEnvironmentVariable("WAYMARK_DB_SET") is { Length: > 0 } extra)
        {
            Execute(c, extra);
        }
        return c;
    }

    private static long Bytes(string threshold) => long.Parse(threshold.TrimEnd('M', 'B'), CultureInfo.InvariantCulture) * 1048576;

    private static long WalBytes(string path) => new FileInfo(path + ".wal") is { Exists: true } w ? w.Length : 0;

    /// <summary>One table without a key; the checkpointer runs beside the writer.</summary>
    private static void BackgroundCheckpoints(string path, List<WriteBatch> batches, int commitSize, string threshold)
    {
        using var c = OpenQuiet(path);
        Execute(c, $"CREATE TABLE events ({DuckDbSchema.EventColumns})");
        var cpu0 = ProcStats.CpuMs(Environment.ProcessId);
        DuckDbBaselines.LoopResult r;
        List<string> done;
        using (var checkpointer = new Checkpointer(path, () => WalBytes(path) > Bytes(threshold), () => ""))
        {
            r = DuckDbBaselines.CommitLoop(c, batches, commitSize, Bound, () => (null, "events"));
            done = checkpointer.Done;
        }
        Report($"nopk, background checkpoint at {threshold}, commit={commitSize}", r, ProcStats.CpuMs(Environment.ProcessId) - cpu0, "", done);
    }

    /// <summary>Two tables without a key in one file; at each checkpoint the writer moves to the other table.</summary>
    private static void PingPong(string path, List<WriteBatch> batches, int commitSize, string threshold)
    {
        using var c = OpenQuiet(path);
        Execute(c, $"CREATE TABLE events_0 ({DuckDbSchema.EventColumns})");
        Execute(c, $"CREATE TABLE events_1 ({DuckDbSchema.EventColumns})");
        var current = 0;
        var cpu0 = ProcStats.CpuMs(Environment.ProcessId);
        DuckDbBaselines.LoopResult r;
        List<string> done;
        using (var checkpointer = new Checkpointer(path, () => WalBytes(path) > Bytes(threshold), () =>
        {
            Volatile.Write(ref current, 1 - Volatile.Read(ref current));
            Thread.Sleep(5);
            return "";
        }))
        {
            r = DuckDbBaselines.CommitLoop(c, batches, commitSize, Bound, () => (null, "events_" + Volatile.Read(ref current).ToString(CultureInfo.InvariantCulture)));
            done = checkpointer.Done;
        }
        Report($"nopk, two tables, background checkpoint at {threshold}, commit={commitSize}", r, ProcStats.CpuMs(Environment.ProcessId) - cpu0, "", done);
    }

    /// <summary>Two files attached to a main one (the store's layout); the writer moves to the other file, and the full one is checkpointed.</summary>
    private static void TwoFiles(string folder, List<WriteBatch> batches, int commitSize, string threshold)
    {
        var main = Path.Combine(folder, "main.duckdb");
        using var c = OpenQuiet(main);
        string[] names = ["seg0", "seg1"];
        foreach (var n in names)
        {
            Execute(c, $"ATTACH '{Path.Combine(folder, n + ".duckdb")}' AS {n}");
            Execute(c, $"CREATE TABLE {n}.events ({DuckDbSchema.EventColumns})");
        }
        var current = 0;
        var full = -1;
        var cpu0 = ProcStats.CpuMs(Environment.ProcessId);
        DuckDbBaselines.LoopResult r;
        List<string> done;
        using (var checkpointer = new Checkpointer(main, () => Volatile.Read(ref full) >= 0, () => names[Volatile.Read(ref full)], () => Volatile.Write(ref full, -1)))
        {
            r = DuckDbBaselines.CommitLoop(c, batches, commitSize, Bound, () =>
            {
                // The writer moves on when its file's WAL is full and the other one is checkpointed.
                if (Volatile.Read(ref full) < 0 && WalBytes(Path.Combine(folder, names[current] + ".duckdb")) > Bytes(threshold))
                {
                    Volatile.Write(ref full, current);
                    current = 1 - current;
                }
                return (names[current], "events");
            });
            done = checkpointer.Done;
        }
        foreach (var n in names)
        {
            Execute(c, "CHECKPOINT " + n);
        }
        var bytes = names.Sum(n => new FileInfo(Path.Combine(folder, n + ".duckdb")).Length);
        Report($"nopk, two files, background checkpoint at {threshold}, commit={commitSize}", r, ProcStats.CpuMs(Environment.ProcessId) - cpu0, $"files {bytes / 1048576.0:0} MiB", done);
    }

    private static void Report(string name, DuckDbBaselines.LoopResult r, double cpuMs, string extra, List<string> checkpoints)
    {
        Console.WriteLine(FormattableString.Invariant(
            $"{name}: {r.Rows / r.Seconds:0} rows/s, CPU {cpuMs / (r.Rows / 1000.0):0.0} ms/1000 rows, {r.Commits} commits, slowest commit {r.SlowestMs:0} ms{(extra.Length > 0 ? ", " + extra : "")}"));
        Console.WriteLine("    commits of 50 ms or more (rows so far:time): " + string.Join(' ', r.Slow));
        if (checkpoints.Count > 0)
        {
            Console.WriteLine("    checkpoints: " + string.Join(' ', checkpoints));
        }
    }

    /// <summary>
    /// The context of a batch (device, place, app version…) on every event
    /// row (wide), or once per batch in a table of its own (narrow).
    /// </summary>
    private static void Narrow(string path, List<WriteBatch> batches, int commitSize, bool wide)
    {
        using var c = new DuckDBConnection("Data Source=" + path);
        c.Open();
        Execute(c, "SET threads = 1");
        Execute(c, "SET wal_autocheckpoint = '32MB'");
        Execute(c, $"CREATE TABLE events ({DuckDbSchema.EventColumns})");
        Execute(c, """
            CREATE TABLE ev (seq BIGINT NOT NULL, batch BIGINT NOT NULL, session VARCHAR NOT NULL, user_tag VARCHAR, event_id VARCHAR NOT NULL,
              type UTINYINT NOT NULL, ts TIMESTAMP NOT NULL, received TIMESTAMP NOT NULL, name VARCHAR, url VARCHAR, duration DOUBLE, status INTEGER,
              method VARCHAR, third_party BOOLEAN NOT NULL, value DOUBLE, message VARCHAR, stack VARCHAR, source VARCHAR, fingerprint VARCHAR,
              target VARCHAR, frustration VARCHAR, action_id VARCHAR, props VARCHAR, failed BOOLEAN NOT NULL, event_user VARCHAR,
              app VARCHAR NOT NULL, visitor VARCHAR NOT NULL, channel VARCHAR NOT NULL, device_class VARCHAR NOT NULL)
            """);
        Execute(c, """
            CREATE TABLE batches (batch BIGINT NOT NULL, received TIMESTAMP NOT NULL, client_session VARCHAR, browser VARCHAR, browser_version VARCHAR,
              os VARCHAR, os_version VARCHAR, model VARCHAR, app_version VARCHAR, locale VARCHAR, country VARCHAR, city VARCHAR, ip VARCHAR, touchpoint VARCHAR)
            """);
        long seq = 0, rows = 0, batchId = 0;
        var next = 0;
        var cpu0 = ProcStats.CpuMs(Environment.ProcessId);
        var t0 = Stopwatch.GetTimestamp();
        while (next < batches.Count)
        {
            using var tx = c.BeginTransaction();
            using (var appender = c.CreateAppender(wide ? "events" : "ev"))
            using (var batchAppender = c.CreateAppender("batches"))
            {
                var n = 0;
                while (n < commitSize && next < batches.Count)
                {
                    var b = batches[next++];
                    var x = b.Context;
                    batchId++;
                    if (!wide)
                    {
                        batchAppender.CreateRow().AppendValue(batchId).AppendValue(x.Received.UtcDateTime).AppendValue(x.ClientSession).AppendValue(x.Browser)
                            .AppendValue(x.BrowserVersion).AppendValue(x.Os).AppendValue(x.OsVersion).AppendValue(x.Model).AppendValue(x.AppVersion)
                            .AppendValue(x.Locale).AppendValue(x.Country).AppendValue(x.City).AppendValue(x.Ip).AppendValue(x.Touchpoint).EndRow();
                    }
                    for (var i = 0; i < b.Events.Count; i++)
                    {
                        var e = b.Events[i];
                        if (wide)
                        {
                            DuckDbRows.AppendEvent(appender, ++seq, b.Append.Facts[i]);
                            continue;
                        }
                        appender.CreateRow().AppendValue(++seq).AppendValue(batchId).AppendValue(b.SessionIds[i]).AppendValue(x.UserTag).AppendValue(e.EventId)
                            .AppendValue((byte)e.Type).AppendValue(e.Timestamp.UtcDateTime).AppendValue(x.Received.UtcDateTime).AppendValue(e.Name).AppendValue(e.Url)
                            .AppendValue(e.Duration).AppendValue(e.Status).AppendValue(e.Method).AppendValue(e.ThirdParty).AppendValue(e.Value).AppendValue(e.Message)
                            .AppendValue(e.Stack).AppendValue(e.Source).AppendValue(e.Fingerprint).AppendValue(e.Target).AppendValue(e.Frustration).AppendValue(e.ActionId)
                            .AppendValue(e.Props).AppendValue(e.Failed).AppendValue(e.Identity?.Key).AppendValue(x.App).AppendValue(x.Visitor).AppendValue(x.Channel)
                            .AppendValue(x.DeviceClass).EndRow();
                    }
                    n += b.Events.Count;
                }
                rows += n;
            }
            tx.Commit();
        }
        var seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        var cpu = ProcStats.CpuMs(Environment.ProcessId) - cpu0;
        Console.WriteLine(FormattableString.Invariant(
            $"{(wide ? "wide rows (context on every event)" : "narrow rows + a batch table"),-40} commit={commitSize}: {rows / seconds:0} rows/s, CPU {cpu / (rows / 1000.0):0.0} ms/1000 rows, file {new FileInfo(path).Length / 1048576.0:0} MiB"));
    }

    private static void Execute(DuckDBConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
