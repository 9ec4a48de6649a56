using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using System.Threading.Channels;
using DuckDB.NET.Data;
using Microsoft.Extensions.Options;
using Waymark.Core.Sessions;

namespace Waymark.Server.Store;

/// <summary>
/// The embedded store: one DuckDB file, one writer thread with group commit,
/// a small pool of read connections. A write's task completes after the
/// transaction holding it has committed.
/// </summary>
public sealed partial class DuckDbStore : IEventStore, IDisposable
{
    private readonly StoreOptions _options;
    private readonly ILogger<DuckDbStore> _logger;
    private readonly ApdexThresholdsProvider _apdex;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentBag<DuckDBConnection> _readers = [];
    // Visitors with sessions in the store, as 64-bit hashes: a visitor not in
    // here is new, and its grain skips the restore query.
    private readonly HashSet<ulong> _knownVisitors = [];
    private readonly Lock _knownLock = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private DuckDBConnection? _writer;
    private Task? _writerLoop;
    private long _pending;
    private long _seq;

    public DuckDbStore(IOptions<StoreOptions> options, ApdexThresholdsProvider apdex, ILogger<DuckDbStore> logger)
    {
        _options = options.Value;
        _apdex = apdex;
        _logger = logger;
    }

    public long PendingEvents => Interlocked.Read(ref _pending);

    /// <summary>Events committed since start (for health and metrics).</summary>
    public long CommittedEvents => Interlocked.Read(ref _committed);

    private long _committed;

    /// <summary>Opens the file, creates the schema, rebuilds lagging derived tables, starts the writer.</summary>
    public void Open()
    {
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(_options.Path));
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }
        _writer = new DuckDBConnection("Data Source=" + _options.Path);
        _writer.Open();
        if (!string.IsNullOrEmpty(_options.MemoryLimit))
        {
            Execute(_writer, $"SET memory_limit = '{_options.MemoryLimit.Replace("'", "", StringComparison.Ordinal)}'");
        }
        if (!string.IsNullOrEmpty(_options.WalAutoCheckpoint))
        {
            Execute(_writer, $"SET wal_autocheckpoint = '{_options.WalAutoCheckpoint.Replace("'", "", StringComparison.Ordinal)}'");
        }
        // One core is left to HTTP, the grains and the writer's own thread:
        // DuckDB's extra workers cost CPU on every commit (docs/benchmarks.md).
        var threads = _options.Threads > 0 ? _options.Threads : Math.Max(1, Environment.ProcessorCount - 1);
        Execute(_writer, "SET threads = " + threads.ToString(CultureInfo.InvariantCulture));
        foreach (var sql in DuckDbSchema.Create)
        {
            Execute(_writer, sql);
        }
        _seq = Scalar(_writer, "SELECT coalesce(max(seq), 0) FROM events");
        RebuildIfLagging();
        LoadKnownVisitors();
        _writerLoop = Task.Factory.StartNew(WriterLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    public bool HasRoomFor(int events)
    {
        var pending = Interlocked.Read(ref _pending);
        // A batch larger than the bound is still taken when nothing is pending,
        // or it could never be written.
        return pending == 0 || pending + events <= _options.MaxPendingEvents;
    }

    public Task WriteAsync(WriteBatch batch, CancellationToken cancellationToken)
    {
        var pending = new PendingWrite(batch);
        Interlocked.Add(ref _pending, batch.Events.Count);
        if (!_queue.Writer.TryWrite(pending))
        {
            Interlocked.Add(ref _pending, -batch.Events.Count);
            throw new ObjectDisposedException(nameof(DuckDbStore));
        }
        // The commit goes on if the client goes away: the events were accepted.
        return pending.Completion.Task;
    }

    public bool MayKnowVisitor(string app, string visitor)
    {
        var h = VisitorHash(app, visitor);
        lock (_knownLock)
        {
            return _knownVisitors.Contains(h);
        }
    }

    private void LoadKnownVisitors()
    {
        using var cmd = _writer!.CreateCommand();
        cmd.CommandText = "SELECT DISTINCT app, visitor FROM sessions";
        using var r = cmd.ExecuteReader();
        lock (_knownLock)
        {
            while (r.Read())
            {
                _knownVisitors.Add(VisitorHash(r.GetString(0), r.GetString(1)));
            }
        }
    }

    private static ulong VisitorHash(string app, string visitor) =>
        XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(app + "\u001f" + visitor));

    internal DuckDBConnection RentReader()
    {
        if (_readers.TryTake(out var c))
        {
            return c;
        }
        if (_writer is null)
        {
            throw new InvalidOperationException("The store is not open.");
        }
        // DuckDB.NET shares one database instance between the connections of a
        // process that open the same file.
        var reader = new DuckDBConnection("Data Source=" + _options.Path);
        reader.Open();
        return reader;
    }

    /// <summary>A connection of its own for a caller that disposes it (accounts, rare writes).</summary>
    internal DuckDBConnection RentOwnedConnection()
    {
        var c = new DuckDBConnection("Data Source=" + _options.Path);
        c.Open();
        return c;
    }

    internal void ReturnReader(DuckDBConnection c)
    {
        if (_readers.Count < 8)
        {
            _readers.Add(c);
        }
        else
        {
            c.Dispose();
        }
    }

    private static void Execute(DuckDBConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static long Scalar(DuckDBConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        try
        {
            _writerLoop?.Wait(TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
            // Logged by the loop.
        }
        while (_readers.TryTake(out var c))
        {
            c.Dispose();
        }
        if (_writer is not null)
        {
            try
            {
                Execute(_writer, "CHECKPOINT");
            }
            catch (DuckDBException ex)
            {
                LogCheckpointFailed(_logger, ex);
            }
            _writer.Dispose();
            _writer = null;
        }
    }

    private sealed class PendingWrite(WriteBatch batch)
    {
        public WriteBatch Batch { get; } = batch;
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkpoint on close failed")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception ex);
}

/// <summary>The Apdex thresholds of each app (from the app options).</summary>
public sealed class ApdexThresholdsProvider(Func<string, ApdexThresholds> lookup)
{
    public ApdexThresholds For(string app) => lookup(app);
}
