using System.Diagnostics;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Waymark.Core.Sessions;
using Waymark.Server.Store;

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
        long seq = 0, rows = 0;
        var commits = 0;
        var next = 0;
        var t0 = Stopwatch.GetTimestamp();
        var deadline = t0 + (long)(bound.TotalSeconds * Stopwatch.Frequency);
        while (next < batches.Count && Stopwatch.GetTimestamp() < deadline)
        {
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
            commits++;
        }
        return new BaselineResult("raw-appender", rows, commits, Stopwatch.GetElapsedTime(t0).TotalSeconds);
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
                    await store.WriteAsync(batches[k], CancellationToken.None).ConfigureAwait(false);
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
