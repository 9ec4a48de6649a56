using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using Waymark.Server.Store;

namespace Waymark.Bench.Load;

/// <summary>
/// <c>db</c>: what the database costs, one factor at a time, on the rows the
/// server stores: the primary key, the commit size, automatic checkpoints.
/// Each variant writes into a fresh file; CPU and wall time are measured.
/// </summary>
internal static class DbExperiments
{
    public static int Run(string[] args)
    {
        var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
        // One variant instead of all: db ROWS pk|nopk COMMIT WAL_AUTOCHECKPOINT, e.g. db 800000 pk 800 16MB.
        var one = args.Length >= 4;
        var folder = Directory.CreateTempSubdirectory("waymark-db-").FullName;
        try
        {
            var stored = new StoredRows(new Waymark.Server.Collect.AppOptions
            {
                Id = BeaconGenerator.App, IngestKey = BeaconGenerator.Key,
                AllowedQueryParams = ["q", "page"], FirstPartyHosts = [BeaconGenerator.Host],
            });
            var batches = stored.Generate(new BeaconGenerator(20_000, seed: 2), rows, seed: 3);
            Console.WriteLine($"{stored.Events} rows, {batches.Count} beacons");
            var n = 0;
            if (!one)
            {
                // The store's commit path, piece by piece, at its commit size and checkpoint interval.
                foreach (var (name, staging, sessions) in new[] { ("appender into events", false, false), ("+ sessions and meta", false, true), ("staging + INSERT OR IGNORE", true, false), ("staging + INSERT OR IGNORE + sessions and meta (the store)", true, true) })
                {
                    var cpu0 = ProcStats.CpuMs(Environment.ProcessId);
                    var r = DuckDbBaselines.CommitPath(name, Path.Combine(folder, $"v{n++}.duckdb"), batches, 800, TimeSpan.FromMinutes(5), staging, sessions);
                    var cpu = ProcStats.CpuMs(Environment.ProcessId) - cpu0;
                    Console.WriteLine(FormattableString.Invariant($"{name,-60} commit=800: {r.RowsPerSecond,8:0} rows/s, CPU {cpu / (r.Rows / 1000.0),5:0.0} ms/1000 rows"));
                }
                foreach (var commit in new[] { 100, 1600 })
                {
                    var steps = DuckDbBaselines.CommitSteps(Path.Combine(folder, $"v{n++}.duckdb"), batches, commit, 100);
                    Console.WriteLine(FormattableString.Invariant($"store path steps, commit={commit}, ms per commit: ") + string.Join(", ", steps.Select(s => FormattableString.Invariant($"{s.Step} {s.MsPerCommit:0.00}"))));
                }
                // The store's path by commit size, without automatic checkpoints: the fixed cost of a commit.
                foreach (var commit in new[] { 25, 100, 400, 1600, 6400 })
                {
                    var cpu0 = ProcStats.CpuMs(Environment.ProcessId);
                    var r = DuckDbBaselines.CommitPath("store", Path.Combine(folder, $"v{n++}.duckdb"), batches, commit, TimeSpan.FromSeconds(5), staging: true, sessions: true, walAutoCheckpoint: "1GB");
                    var cpu = ProcStats.CpuMs(Environment.ProcessId) - cpu0;
                    Console.WriteLine(FormattableString.Invariant($"store path, wal_autocheckpoint=1GB, commit={commit,5}: {r.RowsPerSecond,8:0} rows/s, {r.Seconds * 1000 / r.Commits,6:0.00} ms per commit, CPU {cpu / (r.Rows / 1000.0),5:0.0} ms/1000 rows, {cpu / r.Commits,6:0.00} ms per commit"));
                }
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

    private static void Variant(string path, List<WriteBatch> batches, bool pk, int commitSize, string autoCheckpoint)
    {
        using var c = new DuckDBConnection("Data Source=" + path);
        c.Open();
        Execute(c, "SET memory_limit = '4GB'");
        Execute(c, $"SET wal_autocheckpoint = '{autoCheckpoint}'");
        Execute(c, pk ? DuckDbSchema.Create[0] : $"CREATE TABLE events ({DuckDbSchema.EventColumns})");
        long seq = 0, rows = 0, worst = 0;
        var slow = new List<string>();
        var commits = 0;
        var next = 0;
        var cpu0 = ProcStats.CpuMs(Environment.ProcessId);
        var t0 = Stopwatch.GetTimestamp();
        while (next < batches.Count)
        {
            var c0 = Stopwatch.GetTimestamp();
            using (var tx = c.BeginTransaction())
            {
                using (var appender = c.CreateAppender("events"))
                {
                    var n = 0;
                    while (n < commitSize && next < batches.Count)
                    {
                        var b = batches[next++];
                        for (var i = 0; i < b.Events.Count; i++)
                        {
                            DuckDbRows.AppendEvent(appender, ++seq, b.Context, b.SessionIds[i], b.Events[i]);
                        }
                        n += b.Events.Count;
                    }
                    rows += n;
                }
                tx.Commit();
            }
            var took = Stopwatch.GetTimestamp() - c0;
            worst = Math.Max(worst, took);
            if (took * 1000 / Stopwatch.Frequency >= 50)
            {
                // A commit this slow ran a checkpoint: when, and how long, as the table grows.
                slow.Add(FormattableString.Invariant($"{rows / 1000}k:{took * 1000 / Stopwatch.Frequency}ms"));
            }
            commits++;
        }
        var seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        var cpu = ProcStats.CpuMs(Environment.ProcessId) - cpu0;
        Console.WriteLine(FormattableString.Invariant(
            $"pk={pk,-5} commit={commitSize,6} wal_autocheckpoint={autoCheckpoint,-4}: {rows / seconds,8:0} rows/s, CPU {cpu / (rows / 1000.0),5:0.0} ms/1000 rows, {commits} commits, slowest commit {worst * 1000.0 / Stopwatch.Frequency:0} ms, file {new FileInfo(path).Length / 1048576.0:0} MiB"));
        Console.WriteLine("    commits of 50 ms or more (rows so far:time): " + string.Join(' ', slow));
    }

    private static void Execute(DuckDBConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
