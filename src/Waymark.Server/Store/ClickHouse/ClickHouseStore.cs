using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Waymark.Core.Journeys;
using Waymark.Server.Apps;
using Waymark.Server.Store;

namespace Waymark.Server.Store.ClickHouse;

/// <summary>
/// The store on ClickHouse, over its HTTP interface: every contract of the
/// DuckDB store on the tables of <see cref="ClickHouseSchema"/>. A node batches
/// the appends that wait while its last insert runs into one insert per table
/// (facts first, then the session summaries, deadlines and links they make),
/// and completes them only when ClickHouse confirmed every insert, so every
/// query of every node sees an acknowledged append. Retries are recognised by
/// the visitor's journey (one activation per visitor in the cluster) and the
/// store's event-id lookup; queries also read each event id once.
/// </summary>
public sealed partial class ClickHouseStore : IEventLog, IStoreStatus, IDisposable
{
    private readonly ClickHouseOptions _options;
    private readonly ApdexThresholdsProvider _apdex;
    private readonly ILogger<ClickHouseStore> _logger;
    private readonly TimeProvider _clock;
    private readonly ClickHouseHttp _http;
    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _seqLock = new();
    private Task? _writer;
    private long _pending;
    private long _committed;
    private ulong _lastSeq;
    private volatile bool _open;

    public ClickHouseStore(IOptions<ClickHouseOptions> options, ApdexThresholdsProvider apdex, TimeProvider clock, ILogger<ClickHouseStore> logger)
    {
        _clock = clock;
        _options = options.Value;
        _apdex = apdex;
        _logger = logger;
        _http = new ClickHouseHttp(_options);
    }

    public long PendingEvents => Interlocked.Read(ref _pending);

    public long CommittedEvents => Interlocked.Read(ref _committed);

    public bool Ready => _open && PendingEvents < _options.MaxPendingEvents;

    public TimeSpan RetryAfter => TimeSpan.FromSeconds(_options.RetryAfterSeconds);

    /// <summary>Creates the database and tables when missing and starts the writer.</summary>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        var sharded = _options.Cluster is { Length: > 0 };
        foreach (var url in sharded && _options.ShardUrls.Count > 0 ? _options.ShardUrls : [_options.Url])
        {
            using var server = new ClickHouseHttp(_options, url);
            foreach (var sql in ClickHouseSchema.Local(_options.Database, sharded))
            {
                await server.ExecuteAsync(sql, cancellationToken, inDatabase: false);
            }
        }
        if (sharded)
        {
            foreach (var sql in ClickHouseSchema.Distributed(_options.Database, _options.Cluster!))
            {
                await _http.ExecuteAsync(sql, cancellationToken, inDatabase: false);
            }
        }
        _open = true;
        _writer = Task.Factory.StartNew(WriterLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    public bool HasRoomFor(int events)
    {
        var pending = Interlocked.Read(ref _pending);
        return pending == 0 || pending + events <= _options.MaxPendingEvents;
    }

    public Task AppendAsync(JourneyAppend append, CancellationToken cancellationToken)
    {
        var pending = new PendingAppend(append);
        Interlocked.Add(ref _pending, append.Facts.Count);
        if (!_queue.Writer.TryWrite(pending))
        {
            Interlocked.Add(ref _pending, -append.Facts.Count);
            throw new ObjectDisposedException(nameof(ClickHouseStore));
        }
        return pending.Completion.Task;
    }

    /// <summary>
    /// Orders the facts of this node: the time in microseconds times 1024 plus
    /// a counter, never going back. A visitor's appends come from one
    /// activation at a time, so its facts are in the order it applied them.
    /// </summary>
    private ulong NextSeq()
    {
        lock (_seqLock)
        {
            var now = (ulong)Sql.Us(_clock.GetUtcNow()) << 10;
            _lastSeq = Math.Max(_lastSeq + 1, now);
            return _lastSeq;
        }
    }

    private async Task WriterLoop()
    {
        var reader = _queue.Reader;
        var group = new List<PendingAppend>();
        var interval = TimeSpan.FromMilliseconds(_options.InsertIntervalMilliseconds);
        var lastInsert = 0L;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // Every insert makes a part per table that ClickHouse merges later:
            // fewer, larger inserts cost it far less CPU. Appends that arrive
            // within the interval wait for one insert together.
            var wait = interval - System.Diagnostics.Stopwatch.GetElapsedTime(lastInsert);
            if (lastInsert != 0 && wait > TimeSpan.Zero)
            {
                await Task.Delay(wait).ConfigureAwait(false);
            }
            lastInsert = System.Diagnostics.Stopwatch.GetTimestamp();
            var facts = 0;
            while (facts < _options.MaxFactsPerInsert && reader.TryRead(out var p))
            {
                group.Add(p);
                facts += p.Append.Facts.Count;
            }
            try
            {
                await InsertAsync(group).ConfigureAwait(false);
                Interlocked.Add(ref _committed, facts);
                foreach (var p in group)
                {
                    p.Completion.TrySetResult();
                }
            }
            catch (Exception ex) when (ex is ClickHouseException or HttpRequestException or TaskCanceledException or IOException)
            {
                LogInsertFailed(_logger, group.Count, facts, ex);
                var failure = new StoreUnavailableException(ex);
                foreach (var p in group)
                {
                    p.Completion.TrySetException(failure);
                }
            }
            finally
            {
                Interlocked.Add(ref _pending, -facts);
                group.Clear();
            }
        }
    }

    /// <summary>One insert per table for the group: the facts, then what they make (the latest summary of each session, the latest deadline of each visitor).</summary>
    private async Task InsertAsync(List<PendingAppend> group)
    {
        var events = new List<byte[]>();
        var sessions = new Dictionary<(string, string), byte[]>();
        var deadlines = new Dictionary<(string, string), byte[]>();
        var links = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var p in group)
        {
            var a = p.Append;
            var version = 0UL;
            foreach (var f in a.Facts)
            {
                version = NextSeq();
                events.Add(ClickHouseRows.Event(version, f));
            }
            version = version == 0 ? NextSeq() : version;
            foreach (var s in a.Sessions)
            {
                sessions[(s.App, s.SessionId)] = ClickHouseRows.Session(version, s);
            }
            deadlines[(a.App, a.Visitor)] = ClickHouseRows.Deadline(version, a.App, a.Visitor, a.Deadline);
            foreach (var l in DerivedLinks.Of(a))
            {
                links.TryAdd(l.Id, ClickHouseRows.Link(l));
            }
        }
        await _http.InsertAsync("events", events, CancellationToken.None).ConfigureAwait(false);
        await Task.WhenAll(
            _http.InsertAsync("sessions", [.. sessions.Values], CancellationToken.None),
            _http.InsertAsync("deadlines", [.. deadlines.Values], CancellationToken.None),
            _http.InsertAsync("links", [.. links.Values], CancellationToken.None)).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        try
        {
            _writer?.Wait(TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
            // Logged by the loop.
        }
        _http.Dispose();
    }

    private sealed class PendingAppend(JourneyAppend append)
    {
        public JourneyAppend Append { get; } = append;
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Insert of {Appends} appends ({Facts} facts) into ClickHouse failed; their clients are told to retry")]
    private static partial void LogInsertFailed(ILogger logger, int appends, int facts, Exception ex);
}
