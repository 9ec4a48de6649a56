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
/// file with the store's schema (DuckDbSchema.Create), each commit durable:
/// the raw appender into the events table; the store's commit path
/// (staging table, INSERT OR IGNORE, sessions, meta) at a fixed commit size;
/// and DuckDbStore itself (queue and group commit) fed by concurrent writers.
/// Only the database work is timed: the rows are made beforehand.
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

    /// <summary>DuckDB.NET's appender straight into the events table, in commits of about <paramref name="commitSize"/> events.</summary>
    public static BaselineResult RawAppender(string path, IReadOnlyList<WriteBatch> batches, int commitSize, TimeSpan bound) =>
        CommitPath("raw-appender", path, batches, commitSize, bound, staging: false, sessions: false);

    /// <summary>
    /// What DuckDbStore.Commit does, at a fixed commit size and on one thread:
    /// appender into the temp staging table, INSERT OR IGNORE into the keyed
    /// events table, the sessions through their staging table with INSERT OR
    /// REPLACE, the meta row. Mirrors DuckDbStore.Writer.cs; keep them alike.
    /// </summary>
    public static BaselineResult StoreCommitPath(string path, IReadOnlyList<WriteBatch> batches, int commitSize, TimeSpan bound) =>
        CommitPath("store-commit-path", path, batches, commitSize, bound, staging: true, sessions: true);

    /// <summary>
    /// One commit path: events by the appender into the events table, or
    /// (<paramref name="staging"/>) into the staging table and then INSERT OR
    /// IGNORE; with <paramref name="sessions"/>, the touched sessions by INSERT
    /// OR REPLACE and the meta row, as the store does.
    /// </summary>
    public static BaselineResult CommitPath(string name, string path, IReadOnlyList<WriteBatch> batches, int commitSize, TimeSpan bound, bool staging, bool sessions, string? walAutoCheckpoint = null)
    {
        using var c = Open(path);
        if (walAutoCheckpoint is not null)
        {
            Execute(c, $"SET wal_autocheckpoint = '{walAutoCheckpoint}'");
        }
        long seq = 0, rows = 0, ticks = 0;
        var commits = 0;
        var next = 0;
        var touched = new Dictionary<(string, string), SessionSummary>();
        while (next < batches.Count && ticks < bound.TotalSeconds * Stopwatch.Frequency)
        {
            var t0 = Stopwatch.GetTimestamp();
            var first = next;
            using (var tx = c.BeginTransaction())
            {
                using (var appender = staging ? c.CreateAppender("temp", "main", "staging_events") : c.CreateAppender("events"))
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
                if (staging)
                {
                    Execute(c, "INSERT OR IGNORE INTO events SELECT * FROM temp.staging_events");
                    Execute(c, "DELETE FROM temp.staging_events");
                }
                if (sessions)
                {
                    WriteSessions(c, batches, first, next, touched, seq);
                }
                tx.Commit();
            }
            ticks += Stopwatch.GetTimestamp() - t0;
            commits++;
        }
        return new BaselineResult(name, rows, commits, (double)ticks / Stopwatch.Frequency);
    }

    /// <summary>
    /// The store's commit path at a fixed commit size, each step timed on its
    /// own (wall ms per commit): where the fixed cost of a commit goes.
    /// </summary>
    public static IReadOnlyList<(string Step, double MsPerCommit)> CommitSteps(string path, IReadOnlyList<WriteBatch> batches, int commitSize, int maxCommits)
    {
        using var c = Open(path);
        Execute(c, "SET wal_autocheckpoint = '1GB'");
        string[] names = ["BEGIN", "appender events (create, rows, close)", "INSERT OR IGNORE INTO events", "DELETE staging_events", "appender sessions", "INSERT OR REPLACE INTO sessions", "DELETE staging_sessions", "UPDATE meta", "COMMIT (WAL write + fsync)"];
        var ticks = new long[names.Length];
        long seq = 0;
        var commits = 0;
        var next = 0;
        var touched = new Dictionary<(string, string), SessionSummary>();
        while (next < batches.Count && commits < maxCommits)
        {
            var t = Stopwatch.GetTimestamp();
            void Step(int i)
            {
                var now = Stopwatch.GetTimestamp();
                ticks[i] += now - t;
                t = now;
            }
            var first = next;
            using var tx = c.BeginTransaction();
            Step(0);
            using (var appender = c.CreateAppender("temp", "main", "staging_events"))
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
            }
            Step(1);
            Execute(c, "INSERT OR IGNORE INTO events SELECT * FROM temp.staging_events");
            Step(2);
            Execute(c, "DELETE FROM temp.staging_events");
            Step(3);
            touched.Clear();
            for (var k = first; k < next; k++)
            {
                foreach (var s in batches[k].Sessions)
                {
                    touched[(s.App, s.SessionId)] = s;
                }
            }
            using (var appender = c.CreateAppender("temp", "main", "staging_sessions"))
            {
                foreach (var s in touched.Values)
                {
                    DuckDbRows.AppendSession(appender, s);
                }
            }
            Step(4);
            Execute(c, "INSERT OR REPLACE INTO sessions SELECT * FROM temp.staging_sessions");
            Step(5);
            Execute(c, "DELETE FROM temp.staging_sessions");
            Step(6);
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = "UPDATE meta SET value = $seq WHERE name = 'derived_seq'";
                cmd.Parameters.Add(new DuckDBParameter("seq", seq));
                cmd.ExecuteNonQuery();
            }
            Step(7);
            tx.Commit();
            Step(8);
            commits++;
        }
        return [.. names.Select((name, i) => (name, ticks[i] * 1000.0 / Stopwatch.Frequency / Math.Max(1, commits)))];
    }

    private static void WriteSessions(DuckDBConnection c, IReadOnlyList<WriteBatch> batches, int first, int next, Dictionary<(string, string), SessionSummary> touched, long seq)
    {
        touched.Clear();
        for (var k = first; k < next; k++)
        {
            foreach (var s in batches[k].Sessions)
            {
                var key = (s.App, s.SessionId);
                if (!touched.TryGetValue(key, out var had) || had.Events <= s.Events)
                {
                    touched[key] = s;
                }
            }
        }
        if (touched.Count > 0)
        {
            using (var appender = c.CreateAppender("temp", "main", "staging_sessions"))
            {
                foreach (var s in touched.Values)
                {
                    DuckDbRows.AppendSession(appender, s);
                }
            }
            Execute(c, "INSERT OR REPLACE INTO sessions SELECT * FROM temp.staging_sessions");
            Execute(c, "DELETE FROM temp.staging_sessions");
        }
        using var cmd = c.CreateCommand();
        cmd.CommandText = "UPDATE meta SET value = $seq WHERE name = 'derived_seq'";
        cmd.Parameters.Add(new DuckDBParameter("seq", seq));
        cmd.ExecuteNonQuery();
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
        // The store's defaults: StoreOptions.MemoryLimit, one thread per core.
        Execute(c, "SET memory_limit = '" + new StoreOptions().MemoryLimit + "'");
        foreach (var sql in DuckDbSchema.Create)
        {
            Execute(c, sql);
        }
        return c;
    }

    private static void Execute(DuckDBConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
