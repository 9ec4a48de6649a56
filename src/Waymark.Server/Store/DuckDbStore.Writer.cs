using DuckDB.NET.Data;
using Waymark.Core.Sessions;

namespace Waymark.Server.Store;

public sealed partial class DuckDbStore
{
    /// <summary>
    /// Group commit: everything queued while the last commit ran goes into the
    /// next transaction (up to MaxEventsPerCommit events), then all its
    /// writers are answered. One fsync serves many requests.
    /// </summary>
    private async Task WriterLoop()
    {
        var reader = _queue.Reader;
        var group = new List<PendingWrite>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var events = 0;
            while (events < _options.MaxEventsPerCommit && reader.TryRead(out var p))
            {
                group.Add(p);
                events += p.Batch.Events.Count;
            }
            await _writeGate.WaitAsync().ConfigureAwait(false);
            try
            {
                CommitWithFallback(group);
                Interlocked.Add(ref _committed, events);
                foreach (var p in group)
                {
                    p.Completion.TrySetResult();
                }
                RememberVisitors(group);
            }
            catch (Exception ex) when (ex is DuckDBException or InvalidOperationException or IOException)
            {
                LogCommitFailed(_logger, group.Count, events, ex);
                // Links of the rolled-back transaction were not written after all.
                _writtenLinks.Clear();
                foreach (var p in group)
                {
                    p.Completion.TrySetException(ex);
                }
            }
            finally
            {
                _writeGate.Release();
                Interlocked.Add(ref _pending, -events);
                group.Clear();
            }
        }
    }

    /// <summary>
    /// Events the visitors' grains have not seen before are appended straight
    /// into the events table (its primary key still checks them); events a
    /// grain saw before (a retry) go through a staging table and INSERT OR
    /// IGNORE. When a grain did not know of a retry (it lost its memory), the
    /// key check fails the transaction, and the group is written again the
    /// careful way.
    /// </summary>
    private void CommitWithFallback(List<PendingWrite> group)
    {
        if (group.Exists(p => p.Batch.Duplicates is null || p.Batch.Duplicates.Contains(true)) || !_options.DirectAppend)
        {
            Commit(group, direct: false);
            return;
        }
        try
        {
            Commit(group, direct: true);
        }
        catch (DuckDBException ex) when (ex.Message.Contains("Duplicate key", StringComparison.OrdinalIgnoreCase) ||
                                         ex.Message.Contains("constraint", StringComparison.OrdinalIgnoreCase))
        {
            _writtenLinks.Clear();
            Commit(group, direct: false);
        }
    }

    /// <summary>
    /// Holds all commits until disposed: for a consistent copy of the file
    /// (a backup) and for tests of a store that falls behind. Writes queue up
    /// to the pending bound meanwhile, then the collector answers 503.
    /// </summary>
    public IDisposable PauseWrites()
    {
        _writeGate.Wait();
        return new Resume(_writeGate);
    }

    private sealed class Resume(SemaphoreSlim gate) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                gate.Release();
            }
        }
    }

    private void Commit(List<PendingWrite> group, bool direct)
    {
        var c = _writer!;
        var seq = _seq;
        using var tx = c.BeginTransaction();
        try
        {
            using (var appender = direct ? c.CreateAppender("events") : c.CreateAppender("temp", "main", "staging_events"))
            {
                foreach (var p in group)
                {
                    var b = p.Batch;
                    for (var i = 0; i < b.Events.Count; i++)
                    {
                        DuckDbRows.AppendEvent(appender, ++seq, b.Context, b.SessionIds[i], b.Events[i]);
                    }
                }
            }
            if (!direct)
            {
                Execute(c, "INSERT OR IGNORE INTO events SELECT * FROM temp.staging_events");
                Execute(c, "DELETE FROM temp.staging_events");
            }
            WriteLinks(c, group);

            // A visitor's grain waits for its commit before the next batch, so
            // one group holds at most one summary of a session; the check is
            // for writers that do not go through a grain.
            var sessions = new Dictionary<(string, string), SessionSummary>();
            foreach (var p in group)
            {
                foreach (var s in p.Batch.Sessions)
                {
                    var key = (s.App, s.SessionId);
                    if (!sessions.TryGetValue(key, out var had) || had.Events <= s.Events)
                    {
                        sessions[key] = s;
                    }
                }
            }
            if (sessions.Count > 0)
            {
                using (var appender = c.CreateAppender("temp", "main", "staging_sessions"))
                {
                    foreach (var s in sessions.Values)
                    {
                        DuckDbRows.AppendSession(appender, s);
                    }
                }
                Execute(c, "INSERT OR REPLACE INTO sessions SELECT * FROM temp.staging_sessions");
                Execute(c, "DELETE FROM temp.staging_sessions");
            }
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = "UPDATE meta SET value = $seq WHERE name = 'derived_seq'";
                cmd.Parameters.Add(new DuckDBParameter("seq", seq));
                cmd.ExecuteNonQuery();
            }
            tx.Commit();
            _seq = seq;
        }
        catch
        {
            tx.Rollback();
            // The staging tables are temporary and inside the transaction: the
            // rollback empties them too.
            throw;
        }
    }

    private void RememberVisitors(List<PendingWrite> group)
    {
        lock (_knownLock)
        {
            foreach (var p in group)
            {
                _knownVisitors.Add(VisitorHash(p.Batch.Context.App, p.Batch.Context.Visitor));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Commit of {Writes} writes ({Events} events) failed; their clients are told to retry")]
    private static partial void LogCommitFailed(ILogger logger, int writes, int events, Exception ex);
}
