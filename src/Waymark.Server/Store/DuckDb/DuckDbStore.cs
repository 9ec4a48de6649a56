using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using System.Threading.Channels;
using DuckDB.NET.Data;
using Microsoft.Extensions.Options;
using Waymark.Core.Journeys;
using Waymark.Server.Apps;

using Waymark.Server.Store;

namespace Waymark.Server.Store.DuckDb;

/// <summary>
/// The embedded store: a main DuckDB file with two event segments attached
/// (<see cref="DuckDbSchema.Segments"/>), one writer thread that appends
/// facts with group commit, a deriver thread that writes the sessions, links
/// and deadlines those facts make, a checkpointer, and a small pool of read
/// connections. An append's task completes after the transaction holding its
/// facts has committed; queries first wait for the derived tables to catch up
/// (one process owns a DuckDB file, so that wait is the whole of read-your-writes).
/// </summary>
public sealed partial class DuckDbStore : IEventLog, IStoreStatus, IDisposable
{
    private readonly StoreOptions _options;
    private readonly ILogger<DuckDbStore> _logger;
    private readonly ApdexThresholdsProvider _apdex;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentBag<DuckDBConnection> _readers = [];
    // Visitors with facts in the store, as 64-bit hashes: this process is the
    // only writer of the file, so a visitor not in here has nothing stored and
    // its restore and retry lookups are answered without a query.
    private readonly HashSet<ulong> _knownVisitors = [];
    private readonly Lock _knownLock = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private DuckDBConnection? _writer;
    private Task? _writerLoop;
    private long _pending;
    // The last seq committed (written by the writer thread only).
    private long _seq;

    public DuckDbStore(IOptions<StoreOptions> options, ApdexThresholdsProvider apdex, ILogger<DuckDbStore> logger)
    {
        _options = options.Value;
        _apdex = apdex;
        _logger = logger;
    }

    public long PendingEvents => Interlocked.Read(ref _pending);

    /// <summary>The main file.</summary>
    public string Path => _options.Path;

    public TimeSpan RetryAfter => TimeSpan.FromSeconds(_options.RetryAfterSeconds);

    /// <summary>Events committed since start (for health and metrics).</summary>
    public long CommittedEvents => Interlocked.Read(ref _committed);

    public bool Ready => _writer is not null && PendingEvents < _options.MaxPendingEvents;

    private long _committed;

    /// <summary>Opens the files, creates the schema, derives what lags, starts the writer, the deriver and the checkpointer.</summary>
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
        // DuckDB's own checkpoint runs inside the commit that crosses this WAL
        // size and holds the writer; the checkpointer does it beside the
        // writer long before, so this is only a safety net.
        Execute(_writer, $"SET wal_autocheckpoint = '{_options.WalAutoCheckpoint.Replace("'", "", StringComparison.Ordinal)}'");
        // One core is left to HTTP, the grains and the writer's own thread:
        // DuckDB's extra workers cost CPU on every commit (docs/benchmarks.md).
        var threads = _options.Threads > 0 ? _options.Threads : Math.Max(1, Environment.ProcessorCount - 1);
        Execute(_writer, "SET threads = " + threads.ToString(CultureInfo.InvariantCulture));
        foreach (var sql in DuckDbSchema.Create)
        {
            Execute(_writer, sql);
        }
        DuckDbSchema.AttachSegments(_writer, _options.Path);
        _seq = Scalar(_writer, "SELECT coalesce(max(seq), 0) FROM events");
        OpenDeriver();
        RebuildIfLagging();
        LoadKnownVisitors();
        // Start from checkpointed segments: a crash leaves their WALs replayed but not written.
        foreach (var segment in DuckDbSchema.Segments)
        {
            Execute(_writer, "CHECKPOINT " + segment);
        }
        _derivedSeq = _seq;
        _writerLoop = Task.Factory.StartNew(WriterLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        _deriverLoop = Task.Factory.StartNew(DeriverLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        _checkpointLoop = Task.Factory.StartNew(CheckpointLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public bool HasRoomFor(int events)
    {
        var pending = Interlocked.Read(ref _pending);
        // A batch larger than the bound is still taken when nothing is pending,
        // or it could never be written.
        return pending == 0 || pending + events <= _options.MaxPendingEvents;
    }

    public Task AppendAsync(JourneyAppend append, CancellationToken cancellationToken)
    {
        var pending = new PendingWrite(append);
        Interlocked.Add(ref _pending, append.Facts.Count);
        if (!_queue.Writer.TryWrite(pending))
        {
            Interlocked.Add(ref _pending, -append.Facts.Count);
            throw new ObjectDisposedException(nameof(DuckDbStore));
        }
        // The commit goes on if the client goes away: the events were accepted.
        return pending.Completion.Task;
    }

    private bool MayKnowVisitor(string app, string visitor)
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
        cmd.CommandText = "SELECT DISTINCT app, visitor FROM sessions UNION SELECT app, visitor FROM deadlines";
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

    /// <summary>A read connection, once the derived tables hold every event committed before the call.</summary>
    internal async ValueTask<DuckDBConnection> RentReaderAsync(CancellationToken cancellationToken)
    {
        await WaitDerivedAsync(cancellationToken).ConfigureAwait(false);
        return RentReader();
    }

    /// <summary>
    /// Events of a visitor received in [from, to] among <paramref name="eventIds"/>
    /// (all of them when null): a grain asks what it cannot know itself.
    /// Received grows with the append order, so the bounds let DuckDB skip
    /// the row groups outside them.
    /// </summary>
    public async Task<IReadOnlyList<StoredEventId>> FindEventIdsAsync(
        string app, string visitor, IReadOnlyCollection<string>? eventIds, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        if (!MayKnowVisitor(app, visitor))
        {
            return [];
        }
        var c = RentReader();
        try
        {
            using var cmd = c.CreateCommand();
            var ids = "";
            if (eventIds is not null)
            {
                var names = new List<string>(eventIds.Count);
                var i = 0;
                foreach (var id in eventIds)
                {
                    var name = "e" + i.ToString(CultureInfo.InvariantCulture);
                    cmd.Parameters.Add(new DuckDBParameter(name, id));
                    names.Add("$" + name);
                    i++;
                }
                ids = names.Count == 0 ? " AND false" : $" AND event_id IN ({string.Join(", ", names)})";
            }
            // The client's events only: the journey's own facts are never retried.
            cmd.CommandText = $"SELECT event_id, session, received FROM events WHERE app = $app AND visitor = $visitor AND received BETWEEN $from AND $to AND type < {(int)Waymark.Core.Events.EventType.SessionStarted}{ids}";
            cmd.Parameters.Add(new DuckDBParameter("app", app));
            cmd.Parameters.Add(new DuckDBParameter("visitor", visitor));
            cmd.Parameters.Add(new DuckDBParameter("from", from.UtcDateTime));
            cmd.Parameters.Add(new DuckDBParameter("to", to.UtcDateTime));
            using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var found = new List<StoredEventId>();
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                found.Add(new StoredEventId(r.GetString(0), r.GetString(1), new DateTimeOffset(r.GetDateTime(2), TimeSpan.Zero)));
            }
            return found;
        }
        finally
        {
            ReturnReader(c);
        }
    }

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
        StopBackground();
        while (_readers.TryTake(out var c))
        {
            c.Dispose();
        }
        if (_writer is not null)
        {
            foreach (var target in DuckDbSchema.Segments.Append(""))
            {
                try
                {
                    Execute(_writer, ("CHECKPOINT " + target).TrimEnd());
                }
                catch (DuckDBException ex)
                {
                    LogCheckpointFailed(_logger, ex);
                }
            }
            _writer.Dispose();
            _writer = null;
        }
    }

    private sealed class PendingWrite(JourneyAppend append)
    {
        public JourneyAppend Append { get; } = append;
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkpoint on close failed")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception ex);
}
