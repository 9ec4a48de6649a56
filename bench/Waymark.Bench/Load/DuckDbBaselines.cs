using System.Diagnostics;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Waymark.Core.Sessions;
using Waymark.Server.Store;
using Waymark.Server.Apps;
using Waymark.Server.Store.DuckDb;

namespace Waymark.Bench.Load;

/// <summary>What one baseline wrote and how long its database work took.</summary>
internal sealed record BaselineResult(string Name, long Rows, int Commits, double Seconds)
{
    public double RowsPerSecond => Seconds > 0 ? Rows / Seconds : 0;
}

/// <summary>
/// The database alone, on the rows the server would store, each into a fresh
/// file, each commit durable: the raw appender into one events table, and
/// DuckDbStore itself (segments, group commit, deriver, checkpointer) fed by
/// concurrent writers. Only the database work is timed: the rows are made
/// beforehand.
/// </summary>
internal static class DuckDbBaselines
{
    public static string DuckDbVersion()
    {
        using var c = new DuckDBConnection("Data Source=:memory:");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT version()";
        return cmd.ExecuteScalar()?.ToString() ?? "?";
    }

    /// <summary>
    /// DuckDB.NET's appender straight into one events table (the store's event
    /// columns, no index), in commits of about <paramref name="commitSize"/>
    /// events, each durable, with DuckDB's own checkpoints (at 16 MB of WAL
    /// unless <paramref name="walAutoCheckpoint"/> says otherwise): the rows
    /// stored the plainest way.
    /// </summary>
    public static BaselineResult RawAppender(string path, IReadOnlyList<WriteBatch> batches, int commitSize, TimeSpan bound, string? walAutoCheckpoint = null)
    {
        using var c = Open(path);
        if (walAutoCheckpoint is not null)
        {
            Execute(c, $"SET wal_autocheckpoint = '{walAutoCheckpoint}'");
        }
        var loop = CommitLoop(c, batches, commitSize, bound, () => (null, "events"));
        return new BaselineResult("raw-appender", loop.Rows, loop.Commits, loop.Seconds);
    }

    /// <summary>What a run of commits did: rows, commits, seconds, the slowest commit and those of 50 ms or more.</summary>
    internal sealed record LoopResult(long Rows, int Commits, double Seconds, double SlowestMs, IReadOnlyList<string> Slow);

    /// <summary>
    /// Appends the batches' events (numbered from 1) in transactions of about
    /// <paramref name="commitSize"/> events, each into the table
    /// <paramref name="target"/> names at its start (catalog, or null for the
    /// connection's own, and table), until the batches or the time run out.
    /// </summary>
    internal static LoopResult CommitLoop(DuckDBConnection c, IReadOnlyList<WriteBatch> batches, int commitSize, TimeSpan bound, Func<(string? Catalog, string Table)> target)
    {
        long seq = 0, rows = 0, worst = 0;
        var commits = 0;
        var next = 0;
        var slow = new List<string>();
        var t0 = Stopwatch.GetTimestamp();
        var deadline = t0 + (long)(bound.TotalSeconds * Stopwatch.Frequency);
        while (next < batches.Count && Stopwatch.GetTimestamp() < deadline)
        {
            var c0 = Stopwatch.GetTimestamp();
            var (catalog, table) = target();
            using (var tx = c.BeginTransaction())
            {
                using (var appender = catalog is null ? c.CreateAppender(table) : c.CreateAppender(catalog, "main", table))
                {
                    var n = 0;
                    while (n < commitSize && next < batches.Count)
                    {
                        var b = batches[next++];
                        for (var i = 0; i < b.Events.Count; i++)
                        {
                            DuckDbRows.AppendEvent(appender, ++seq, b.Append.Facts[i]);
                        }
                        n += b.Events.Count;
                    }
                    rows += n;
                }
                tx.Commit();
            }
            commits++;
            var took = Stopwatch.GetTimestamp() - c0;
            worst = Math.Max(worst, took);
            if (took * 1000 / Stopwatch.Frequency >= 50)
            {
                // A commit this slow waited for a checkpoint: when, and how long, as the table grows.
                slow.Add(FormattableString.Invariant($"{rows / 1000}k:{took * 1000 / Stopwatch.Frequency}ms"));
            }
        }
        return new LoopResult(rows, commits, Stopwatch.GetElapsedTime(t0).TotalSeconds, worst * 1000.0 / Stopwatch.Frequency, slow);
    }

    /// <summary>DuckDbStore itself, with its queue and group commit, fed by <paramref name="writers"/> concurrent writers.</summary>
    public static async Task<BaselineResult> StoreAsync(string path, IReadOnlyList<WriteBatch> batches, int writers, TimeSpan bound)
    {
        var store = new DuckDbStore(
            Options.Create(new StoreOptions { Path = path }),
            new ApdexThresholdsProvider(_ => new ApdexThresholds()),
            NullLogger<DuckDbStore>.Instance);
        try
        {
            store.Open();
            var next = -1;
            long rows = 0;
            var t0 = Stopwatch.GetTimestamp();
            var deadline = t0 + (long)(bound.TotalSeconds * Stopwatch.Frequency);
            async Task Writer()
            {
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    var k = Interlocked.Increment(ref next);
                    if (k >= batches.Count)
                    {
                        return;
                    }
                    await store.AppendAsync(batches[k].Append, CancellationToken.None).ConfigureAwait(false);
                    Interlocked.Add(ref rows, batches[k].Events.Count);
                }
            }
            await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(Writer))).ConfigureAwait(false);
            var seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            Console.WriteLine("duckdbstore: " + store.Stats);
            return new BaselineResult("duckdbstore", rows, -1, seconds);
        }
        finally
        {
            store.Dispose();
        }
    }

    private static DuckDBConnection Open(string path)
    {
        var c = new DuckDBConnection("Data Source=" + path);
        c.Open();
        // The store's defaults: StoreOptions.MemoryLimit, one thread per core but one.
        Execute(c, "SET memory_limit = '" + new StoreOptions().MemoryLimit + "'");
        Execute(c, "SET threads = " + Math.Max(1, Environment.ProcessorCount - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Execute(c, $"CREATE TABLE IF NOT EXISTS events ({DuckDbSchema.EventColumns})");
        return c;
    }

    private static void Execute(DuckDBConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
