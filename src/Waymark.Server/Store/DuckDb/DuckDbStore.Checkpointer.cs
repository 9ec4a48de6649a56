using DuckDB.NET.Data;

using Waymark.Server.Store;

namespace Waymark.Server.Store.DuckDb;

/// <summary>
/// The checkpointer: a thread of its own that checkpoints the event segment
/// the writer left (and the main file when its WAL has grown), and the
/// figures of the writer, deriver and checkpointer that the store logs at stop.
/// </summary>
public sealed partial class DuckDbStore
{
    private DuckDBConnection? _checkpointer;
    private Task? _checkpointLoop;
    private int _full;

    /// <summary>
    /// Checkpoints the segment the writer left (the writer appends to the
    /// other one meanwhile), and the main file when its WAL has grown. A
    /// thread of its own at a lower scheduling priority: a checkpoint is
    /// a few hundred milliseconds of compression that should yield the cores
    /// to requests and the writer.
    /// </summary>
    private void CheckpointLoop()
    {
        LowerThisThreadsPriority();
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                _checkpointSignal.Wait(TimeSpan.FromSeconds(2), _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            if (Volatile.Read(ref _checkpointing) != 0)
            {
                var segment = DuckDbSchema.Segments[Volatile.Read(ref _full)];
                if (TryCheckpoint(segment))
                {
                    Volatile.Write(ref _checkpointing, 0);
                }
                else
                {
                    // Another transaction of that file ran; try again shortly.
                    _checkpointSignal.Release();
                    _stopping.Token.WaitHandle.WaitOne(100);
                }
            }
            var wal = new FileInfo(System.IO.Path.GetFullPath(_options.Path) + ".wal");
            if (wal.Exists && wal.Length >= _options.SegmentCheckpointBytes)
            {
                TryCheckpoint("");
            }
        }
    }

    /// <summary>Linux: nice 10 for the calling thread (a thread is a task with its own nice value). Elsewhere, or when refused, nothing.</summary>
    private static void LowerThisThreadsPriority()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        try
        {
            _ = NativeMethods.setpriority(0, NativeMethods.gettid(), 10);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // An older C library: the checkpointer runs at the normal priority.
        }
    }

    private bool TryCheckpoint(string database)
    {
        try
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            Execute(_checkpointer!, ("CHECKPOINT " + database).TrimEnd());
            _stats.Checkpoint(started);
            var ms = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogCheckpointed(_logger, database.Length == 0 ? "main" : database, ms);
            return true;
        }
        catch (DuckDBException ex)
        {
            LogCheckpointRetry(_logger, database.Length == 0 ? "main" : database, ex.Message);
            return false;
        }
    }

    /// <summary>How often and how long the writer, the deriver and the checkpointer worked (logged at stop).</summary>
    private sealed class StoreStats
    {
        private long _commits, _commitTicks, _appendTicks, _derives, _deriveTicks, _checkpoints, _checkpointTicks;

        public void Appended(long started) => Interlocked.Add(ref _appendTicks, System.Diagnostics.Stopwatch.GetTimestamp() - started);

        public void Commit(long started) => Add(ref _commits, ref _commitTicks, started);

        public void Derive(long started) => Add(ref _derives, ref _deriveTicks, started);

        public void Checkpoint(long started) => Add(ref _checkpoints, ref _checkpointTicks, started);

        private static void Add(ref long count, ref long ticks, long started)
        {
            Interlocked.Increment(ref count);
            Interlocked.Add(ref ticks, System.Diagnostics.Stopwatch.GetTimestamp() - started);
        }

        public override string ToString()
        {
            static string Ms(long ticks) => (ticks * 1000.0 / System.Diagnostics.Stopwatch.Frequency).ToString("0", System.Globalization.CultureInfo.InvariantCulture);
            return $"{_commits} commits in {Ms(_commitTicks)} ms ({Ms(_appendTicks)} ms appending), {_derives} deriver rounds in {Ms(_deriveTicks)} ms, {_checkpoints} checkpoints in {Ms(_checkpointTicks)} ms";
        }
    }

    private readonly StoreStats _stats = new();

    /// <summary>The writer's, deriver's and checkpointer's figures so far.</summary>
    internal string Stats => _stats.ToString();

    private static partial class NativeMethods
    {
        [System.Runtime.InteropServices.LibraryImport("libc", SetLastError = true)]
        internal static partial int setpriority(int which, int who, int prio);

        [System.Runtime.InteropServices.LibraryImport("libc")]
        internal static partial int gettid();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Store at stop: {Stats}")]
    private static partial void LogStats(ILogger logger, StoreStats stats);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Checkpointed {Database} in {Ms:0} ms")]
    private static partial void LogCheckpointed(ILogger logger, string database, double ms);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Checkpoint of {Database} postponed: {Reason}")]
    private static partial void LogCheckpointRetry(ILogger logger, string database, string reason);
}
