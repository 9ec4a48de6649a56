using DuckDB.NET.Data;
using Waymark.Core.Events;
using Waymark.Core.Journeys;
using Waymark.Core.Sessions;

using Waymark.Server.Store;

namespace Waymark.Server.Store.DuckDb;

/// <summary>
/// The derived side of the store: session summaries, identity links and the
/// visitors' deadlines are written by a thread of their own, a few
/// milliseconds behind the facts, coalesced (the latest summary of a session
/// and the latest deadline of a visitor win), in transactions on the main
/// file that never hold the event writer. <c>derived_seq</c> in the meta
/// table says up to which event they are written; after a crash the store
/// derives the rest from the events on start. Queries first wait for the
/// deriver to catch up with the events committed when they began.
/// </summary>
public sealed partial class DuckDbStore
{
    private readonly Lock _deriveLock = new();
    private readonly SemaphoreSlim _deriveSignal = new(0);
    private readonly SemaphoreSlim _deriveGate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private List<JourneyAppend> _toDerive = [];
    private long _toDeriveSeq;
    private long _derivedSeq;
    private readonly List<(long Seq, TaskCompletionSource Done)> _derivedWaiters = [];
    private DuckDBConnection? _deriver;
    private Task? _deriverLoop;

    /// <summary>The deriver's rounds are at least this far apart.</summary>
    private static readonly TimeSpan DeriveInterval = TimeSpan.FromMilliseconds(100);

    // Released by a reader that waits for the derived tables.
    private readonly SemaphoreSlim _deriveNow = new(0);

    private void OpenDeriver()
    {
        _deriver = new DuckDBConnection("Data Source=" + _options.Path);
        _deriver.Open();
        Execute(_deriver, DuckDbSchema.CreateStagingSessions);
        Execute(_deriver, DuckDbSchema.CreateStagingDeadlines);
        _checkpointer = new DuckDBConnection("Data Source=" + _options.Path);
        _checkpointer.Open();
    }

    private void HandToDeriver(List<PendingWrite> group, long seq)
    {
        bool signal;
        lock (_deriveLock)
        {
            signal = _toDerive.Count == 0;
            foreach (var p in group)
            {
                _toDerive.Add(ForDeriver(p.Append));
            }
            _toDeriveSeq = seq;
        }
        if (signal)
        {
            _deriveSignal.Release();
        }
    }

    /// <summary>
    /// What the deriver needs of an append: its sessions and deadline, and for
    /// the links its first fact that names a user tag and its identify events.
    /// The other facts are let go now rather than held for a round.
    /// </summary>
    private static JourneyAppend ForDeriver(JourneyAppend a)
    {
        if (a.Facts.Count <= 2)
        {
            return a;
        }
        var facts = new List<JourneyFact>(1);
        var tagged = false;
        foreach (var f in a.Facts)
        {
            if (f.Event.Type == EventType.Identify || (!tagged && f.Context.UserTag is not null && !EventTypes.IsSystemFact(f.Event.Type)))
            {
                tagged |= f.Event.Type != EventType.Identify;
                facts.Add(f);
            }
        }
        return a with { Facts = facts };
    }

    /// <summary>
    /// Completes when the sessions and links of every event committed before
    /// the call are written (read-your-writes for queries and for a grain
    /// that restores its state).
    /// </summary>
    public async Task WaitDerivedAsync(CancellationToken cancellationToken)
    {
        var target = Volatile.Read(ref _seq);
        TaskCompletionSource done;
        lock (_deriveLock)
        {
            if (_derivedSeq >= target)
            {
                return;
            }
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _derivedWaiters.Add((target, done));
        }
        if (_deriveNow.CurrentCount == 0)
        {
            _deriveNow.Release();
        }
        try
        {
            await done.Task.WaitAsync(DerivedWaitLimit, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The deriver is stuck (it logs why): answer from what is written.
            LogDerivedLate(_logger, target, Volatile.Read(ref _derivedSeq));
        }
    }

    /// <summary>How long a reader waits for the deriver before it reads what is there.</summary>
    private static readonly TimeSpan DerivedWaitLimit = TimeSpan.FromSeconds(5);

    private async Task DeriverLoop()
    {
        var last = 0L;
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await _deriveSignal.WaitAsync(TimeSpan.FromSeconds(1), _stopping.Token).ConfigureAwait(false);
                // Under load, one round per interval takes many commits' sessions
                // at once; a reader waiting for them cuts the interval short.
                var wait = DeriveInterval - System.Diagnostics.Stopwatch.GetElapsedTime(last);
                if (wait > TimeSpan.Zero)
                {
                    await _deriveNow.WaitAsync(wait, _stopping.Token).ConfigureAwait(false);
                }
                last = System.Diagnostics.Stopwatch.GetTimestamp();
            }
            catch (OperationCanceledException)
            {
                break;
            }
            await _deriveGate.WaitAsync().ConfigureAwait(false);
            try
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                Derive();
                _stats.Derive(started);
            }
            catch (Exception ex) when (ex is DuckDBException or InvalidOperationException or IOException)
            {
                LogDeriveFailed(_logger, ex);
                await Task.Delay(500).ConfigureAwait(false);
            }
            finally
            {
                _deriveGate.Release();
            }
        }
    }

    /// <summary>Writes what the writer handed over since the last time, in one transaction.</summary>
    private void Derive()
    {
        List<JourneyAppend> batches;
        long seq;
        lock (_deriveLock)
        {
            batches = _toDerive;
            seq = _toDeriveSeq;
            _toDerive = [];
        }
        if (batches.Count > 0)
        {
            try
            {
                WriteDerived(batches, seq);
            }
            catch
            {
                // Nothing of it was written: put it back in front, for the next round.
                _writtenLinks.Clear();
                lock (_deriveLock)
                {
                    batches.AddRange(_toDerive);
                    _toDerive = batches;
                    _toDeriveSeq = Math.Max(_toDeriveSeq, seq);
                }
                throw;
            }
        }
        lock (_deriveLock)
        {
            _derivedSeq = Math.Max(_derivedSeq, seq);
            for (var i = _derivedWaiters.Count - 1; i >= 0; i--)
            {
                if (_derivedWaiters[i].Seq <= _derivedSeq)
                {
                    _derivedWaiters[i].Done.TrySetResult();
                    _derivedWaiters.RemoveAt(i);
                }
            }
        }
    }

    private void WriteDerived(List<JourneyAppend> appends, long seq)
    {
        var c = _deriver!;
        // Appends are in commit order, and a visitor's appends in its order:
        // the last summary of a session and the last deadline of a visitor are the newest.
        var sessions = new Dictionary<(string, string), SessionSummary>();
        var deadlines = new Dictionary<(string, string), DateTimeOffset?>();
        foreach (var a in appends)
        {
            foreach (var s in a.Sessions)
            {
                sessions[(s.App, s.SessionId)] = s;
            }
            deadlines[(a.App, a.Visitor)] = a.Deadline;
        }
        using var tx = c.BeginTransaction();
        try
        {
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
            WriteDeadlines(c, deadlines);
            WriteLinks(c, appends);
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = "UPDATE meta SET value = $seq WHERE name = 'derived_seq'";
                cmd.Parameters.Add(new DuckDBParameter("seq", seq));
                cmd.ExecuteNonQuery();
            }
            tx.Commit();
        }
        catch
        {
            tx.Rollback();
            throw;
        }
    }

    /// <summary>Sets each visitor's deadline (null: the row goes), through a staging table.</summary>
    private static void WriteDeadlines(DuckDBConnection c, Dictionary<(string App, string Visitor), DateTimeOffset?> deadlines)
    {
        if (deadlines.Count == 0)
        {
            return;
        }
        using (var appender = c.CreateAppender("temp", "main", "staging_deadlines"))
        {
            foreach (var ((app, visitor), due) in deadlines)
            {
                appender.CreateRow().AppendValue(app).AppendValue(visitor).AppendValue(due?.UtcDateTime).EndRow();
            }
        }
        Execute(c, "DELETE FROM deadlines USING temp.staging_deadlines s WHERE deadlines.app = s.app AND deadlines.visitor = s.visitor AND s.due IS NULL");
        Execute(c, "INSERT OR REPLACE INTO deadlines SELECT app, visitor, due FROM temp.staging_deadlines WHERE due IS NOT NULL");
        Execute(c, "DELETE FROM temp.staging_deadlines");
    }

    /// <summary>Stops the deriver (after a last round) and the checkpointer.</summary>
    private void StopBackground()
    {
        _stopping.Cancel();
        LogStats(_logger, _stats);
        try
        {
            _deriverLoop?.Wait(TimeSpan.FromSeconds(30));
            _checkpointLoop?.Wait(TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
            // Logged by the loops.
        }
        if (_deriver is not null)
        {
            try
            {
                Derive();
            }
            catch (Exception ex) when (ex is DuckDBException or InvalidOperationException or IOException)
            {
                // The next start derives it from the events.
                LogDeriveFailed(_logger, ex);
            }
            _deriver.Dispose();
            _deriver = null;
        }
        _checkpointer?.Dispose();
        _checkpointer = null;
        lock (_deriveLock)
        {
            foreach (var (_, done) in _derivedWaiters)
            {
                done.TrySetException(new ObjectDisposedException(nameof(DuckDbStore)));
            }
            _derivedWaiters.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing sessions and links failed; retrying (they are derived again from the events on the next start if it keeps failing)")]
    private static partial void LogDeriveFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sessions are written up to event {Derived}, a reader waited for {Target}; it reads what is there")]
    private static partial void LogDerivedLate(ILogger logger, long target, long derived);
}
