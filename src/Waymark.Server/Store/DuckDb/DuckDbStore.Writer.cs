using DuckDB.NET.Data;

using Waymark.Server.Store;

namespace Waymark.Server.Store.DuckDb;

public sealed partial class DuckDbStore
{
    // The segment the writer appends to; the other one may be checkpointing.
    private int _segment;
    // 1 while the checkpointer works on the segment the writer left.
    private int _checkpointing;
    private readonly SemaphoreSlim _checkpointSignal = new(0);

    /// <summary>
    /// Group commit: everything queued while the last commit ran goes into the
    /// next transaction (up to MaxEventsPerCommit events), then all its
    /// writers are answered. One fsync serves many requests. The sessions and
    /// links of the group go to the deriver, which writes them in its own
    /// transactions.
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
                events += p.Append.Facts.Count;
            }
            await _writeGate.WaitAsync().ConfigureAwait(false);
            try
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var seq = Commit(group);
                _stats.Commit(started);
                Interlocked.Add(ref _committed, events);
                RememberVisitors(group);
                HandToDeriver(group, seq);
                foreach (var p in group)
                {
                    p.Completion.TrySetResult();
                }
                SwitchSegmentWhenFull();
            }
            catch (Exception ex) when (ex is DuckDBException or InvalidOperationException or IOException)
            {
                LogCommitFailed(_logger, group.Count, events, ex);
                var failure = new StoreUnavailableException(ex);
                foreach (var p in group)
                {
                    p.Completion.TrySetException(failure);
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
    /// Holds all commits (events and derived tables) until disposed: for a
    /// consistent copy of the files (a backup) and for tests of a store that
    /// falls behind. Writes queue up to the pending bound meanwhile, then the
    /// collector answers 503.
    /// </summary>
    public IDisposable PauseWrites()
    {
        _writeGate.Wait();
        _deriveGate.Wait();
        return new Resume(_writeGate, _deriveGate);
    }

    private sealed class Resume(SemaphoreSlim events, SemaphoreSlim derived) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                derived.Release();
                events.Release();
            }
        }
    }

    /// <summary>Appends the group's facts to the current segment in one transaction, in order. Returns the last seq.</summary>
    private long Commit(List<PendingWrite> group)
    {
        var c = _writer!;
        var seq = _seq;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var tx = c.BeginTransaction();
        try
        {
            using (var appender = c.CreateAppender(DuckDbSchema.Segments[_segment], "main", "events"))
            {
                foreach (var p in group)
                {
                    foreach (var fact in p.Append.Facts)
                    {
                        DuckDbRows.AppendEvent(appender, ++seq, fact);
                    }
                }
            }
            _stats.Appended(started);
            tx.Commit();
        }
        catch
        {
            tx.Rollback();
            throw;
        }
        Volatile.Write(ref _seq, seq);
        return seq;
    }

    /// <summary>
    /// When the current segment's WAL passes the checkpoint size and the other
    /// segment is checkpointed, the writer moves to the other one and the
    /// checkpointer writes the full one out beside it.
    /// </summary>
    private void SwitchSegmentWhenFull()
    {
        if (Volatile.Read(ref _checkpointing) != 0 || WalBytes(DuckDbSchema.Segments[_segment]) < _options.SegmentCheckpointBytes)
        {
            return;
        }
        Volatile.Write(ref _checkpointing, 1);
        Volatile.Write(ref _full, _segment);
        _segment = 1 - _segment;
        _checkpointSignal.Release();
    }

    private long WalBytes(string segment)
    {
        var wal = new FileInfo(DuckDbSchema.SegmentPath(_options.Path, segment) + ".wal");
        return wal.Exists ? wal.Length : 0;
    }

    private void RememberVisitors(List<PendingWrite> group)
    {
        lock (_knownLock)
        {
            foreach (var p in group)
            {
                _knownVisitors.Add(VisitorHash(p.Append.App, p.Append.Visitor));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Commit of {Writes} writes ({Events} events) failed; their clients are told to retry")]
    private static partial void LogCommitFailed(ILogger logger, int writes, int events, Exception ex);
}
