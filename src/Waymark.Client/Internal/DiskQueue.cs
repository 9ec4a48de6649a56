using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Waymark.Client.Internal;

/// <summary>
/// The bounded on-disk queue. Every event is written here before anything is
/// sent, so a crash or a restart loses nothing that was recorded.
/// <para>
/// Format: one file per batch (a <em>segment</em>), named by a 16-digit
/// sequence number with the extension <c>.wmq</c>, in UTF-8 JSON lines. Line 1
/// is the batch header (<c>{"v":1,"visitor":…,"channel":…,"device":…,"context":…}</c>);
/// each further line is one event, <c>{"s":"&lt;session&gt;","e":{…protocol v1 event…}}</c>.
/// Only the newest segment is appended to; it is sealed (closed, never written
/// again) when it holds a batch, when the session changes, or when it is due to be
/// sent. A line cut short by a crash has no newline and is skipped when read.
/// </para>
/// </summary>
internal sealed partial class DiskQueue : IDisposable
{
    public const string Extension = ".wmq";

    private readonly Lock _lock = new();
    private readonly Lock _syncLock = new();
    private readonly List<Segment> _segments = [];
    private readonly string _directory;
    private readonly byte[] _header;
    private readonly int _batchSize;
    private readonly int _batchBytes;
    private readonly long _maxBytes;
    private readonly int _maxEvents;
    private readonly bool _flushToDisk;
    private readonly ILogger _logger;
    private readonly FileStream _lockFile;
    private Segment? _active;
    private long _nextSeq = 1;
    private long _events;
    private long _bytes;
    private long _dropped;
    private long _written;
    private long _synced;
    private bool _closed;

    public DiskQueue(string directory, byte[] headerLine, int batchSize, long maxBytes, int maxEvents, bool flushToDisk, ILogger logger)
    {
        _directory = directory;
        _header = headerLine;
        _batchSize = batchSize;
        // The server takes up to 1 MiB a request; half of that leaves room for the header.
        _batchBytes = (int)Math.Min(512 * 1024, maxBytes / 4);
        _maxBytes = maxBytes;
        _maxEvents = maxEvents;
        _flushToDisk = flushToDisk;
        _logger = logger;
        Directory.CreateDirectory(directory);
        try
        {
            _lockFile = new FileStream(Path.Combine(directory, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException(
                $"Another Waymark client uses the queue folder '{directory}'. Give each client its own QueueDirectory.", ex);
        }
        Load();
    }

    /// <summary>Pulsed when a segment is sealed or gets its first event: the sender has work or a deadline.</summary>
    public Signal Work { get; } = new();

    /// <summary>Pulsed when a segment leaves the queue (delivered or dropped).</summary>
    public Signal Progress { get; } = new();

    public long QueuedEvents => Interlocked.Read(ref _events);

    public long DroppedEvents => Interlocked.Read(ref _dropped);

    /// <summary>The largest batch in bytes of event JSON.</summary>
    public int BatchBytes => _batchBytes;

    /// <summary>
    /// Appends one event of a session; once this returns it is in the file, so a
    /// crash of the app loses nothing (with <paramref name="forceSync"/> it is on
    /// the device, too). Returns a ticket for <see cref="MakeDurable"/>, or 0 when
    /// it could not be written (the queue is closed, the disk failed).
    /// </summary>
    public long Append(string session, ReadOnlySpan<byte> eventJson, DateTimeOffset now, bool forceSync = false)
    {
        var line = Line(session, eventJson);
        lock (_lock)
        {
            if (_closed)
            {
                return 0;
            }
            if (_active is { } a && (a.Session != session || a.Bytes + line.Length > _batchBytes + _header.Length))
            {
                Seal(a);
            }
            MakeRoom(line.Length);
            var segment = _active ?? Create(session, now);
            if (segment is null)
            {
                return 0;
            }
            try
            {
                RandomAccess.Write(segment.Handle!, line, segment.Bytes);
            }
            catch (IOException ex)
            {
                // The next write goes to the same offset, over what was half written.
                Log.AppendFailed(_logger, _directory, ex);
                return 0;
            }
            segment.Bytes += line.Length;
            segment.Events++;
            _bytes += line.Length;
            Interlocked.Increment(ref _events);
            var ticket = ++_written;
            if (forceSync)
            {
                FlushQuietly(segment.Handle!);
            }
            if (segment.Events == 1)
            {
                Work.Set();
            }
            if (segment.Events >= _batchSize)
            {
                Seal(segment);
            }
            return ticket;
        }
    }

    /// <summary>
    /// With FlushToDisk: returns once the append of <paramref name="ticket"/> is on
    /// the storage device. Group commit: one fsync covers every append written
    /// before it, so many threads recording at once share the cost. Called
    /// outside every lock.
    /// </summary>
    public void MakeDurable(long ticket)
    {
        if (!_flushToDisk || Interlocked.Read(ref _synced) >= ticket)
        {
            return;
        }
        lock (_syncLock)
        {
            if (Interlocked.Read(ref _synced) >= ticket)
            {
                return;
            }
            SafeFileHandle? handle;
            long upTo;
            lock (_lock)
            {
                handle = _active?.Handle;
                upTo = _written;
            }
            if (handle is not null)
            {
                try
                {
                    RandomAccess.FlushToDisk(handle);
                }
                catch (ObjectDisposedException)
                {
                    // Sealed meanwhile: sealing flushed it.
                }
                catch (IOException ex)
                {
                    Log.AppendFailed(_logger, _directory, ex);
                }
            }
            MarkSynced(upTo);
        }
    }

    /// <summary>
    /// The next segment to send: the oldest sealed one, or the open one once it
    /// is <paramref name="flushInterval"/> old. Null with how long to wait otherwise.
    /// </summary>
    public Segment? Next(DateTimeOffset now, TimeSpan flushInterval, out TimeSpan wait)
    {
        lock (_lock)
        {
            wait = Timeout.InfiniteTimeSpan;
            if (_segments.Count == 0)
            {
                return null;
            }
            var oldest = _segments[0];
            if (oldest != _active)
            {
                wait = TimeSpan.Zero;
                return oldest;
            }
            var due = oldest.Opened + flushInterval - now;
            if (due > TimeSpan.Zero)
            {
                wait = due;
                return null;
            }
            Seal(oldest);
            wait = TimeSpan.Zero;
            return oldest;
        }
    }

    /// <summary>Seals the open segment; returns the sequence number every queued event is at or below, or -1 when the queue is empty.</summary>
    public long MarkForFlush()
    {
        lock (_lock)
        {
            if (_active is { Events: > 0 } a)
            {
                Seal(a);
            }
            return _segments.Count == 0 ? -1 : _segments[^1].Seq;
        }
    }

    /// <summary>Whether every segment up to <paramref name="mark"/> has left the queue.</summary>
    public bool IsPast(long mark)
    {
        lock (_lock)
        {
            return _segments.Count == 0 || _segments[0].Seq > mark;
        }
    }

    /// <summary>The segment was delivered (or refused and so dropped): it leaves the queue.</summary>
    public void Complete(Segment segment, bool dropped = false)
    {
        lock (_lock)
        {
            if (Remove(segment) && dropped)
            {
                Interlocked.Add(ref _dropped, segment.Events);
            }
        }
    }

    /// <summary>Closes the open segment and releases the folder. What is queued stays for the next start.</summary>
    public void Close()
    {
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }
            _closed = true;
            if (_active is { } a)
            {
                Seal(a);
            }
        }
        _lockFile.Dispose();
    }

    public void Dispose() => Close();

    private void Load()
    {
        var found = new List<(long Seq, string Path)>();
        foreach (var path in Directory.EnumerateFiles(_directory, "*" + Extension))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
            {
                found.Add((seq, path));
            }
        }
        found.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        foreach (var (seq, path) in found)
        {
            _nextSeq = Math.Max(_nextSeq, seq + 1);
            try
            {
                var data = File.ReadAllBytes(path);
                // Complete lines only: a line a crash cut short has no newline.
                var events = Math.Max(0, data.AsSpan().Count((byte)'\n') - 1);
                if (events == 0)
                {
                    TryDelete(path);
                    continue;
                }
                _segments.Add(new Segment(seq, path) { Events = events, Bytes = data.Length });
                _events += events;
                _bytes += data.Length;
            }
            catch (IOException ex)
            {
                Log.SegmentUnreadable(_logger, path, ex);
                TryDelete(path);
            }
        }
    }

    private Segment? Create(string session, DateTimeOffset now)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var seq = _nextSeq++;
            var path = Path.Combine(_directory, seq.ToString("D16", CultureInfo.InvariantCulture) + Extension);
            SafeFileHandle handle;
            try
            {
                handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete);
            }
            catch (IOException) when (File.Exists(path))
            {
                continue;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log.AppendFailed(_logger, _directory, ex);
                return null;
            }
            try
            {
                RandomAccess.Write(handle, _header, 0);
            }
            catch (IOException ex)
            {
                handle.Dispose();
                TryDelete(path);
                Log.AppendFailed(_logger, _directory, ex);
                return null;
            }
            var segment = new Segment(seq, path) { Handle = handle, Bytes = _header.Length, Session = session, Opened = now };
            _segments.Add(segment);
            _bytes += _header.Length;
            _active = segment;
            return segment;
        }
        return null;
    }

    /// <summary>Drops the oldest batches until one more line fits the bounds.</summary>
    private void MakeRoom(int lineBytes)
    {
        while (_segments.Count > 0 &&
               (Interlocked.Read(ref _events) + 1 > _maxEvents || _bytes + lineBytes + (_active is null ? _header.Length : 0) > _maxBytes))
        {
            var oldest = _segments[0];
            Remove(oldest);
            Interlocked.Add(ref _dropped, oldest.Events);
            Log.QueueFullDropped(_logger, string.Create(CultureInfo.InvariantCulture, $"{_maxEvents} events, {_maxBytes} bytes"), oldest.Events);
        }
    }

    private bool Remove(Segment segment)
    {
        var index = _segments.IndexOf(segment);
        if (index < 0)
        {
            return false;
        }
        _segments.RemoveAt(index);
        segment.Removed = true;
        if (segment == _active)
        {
            segment.Handle?.Dispose();
            segment.Handle = null;
            _active = null;
        }
        Interlocked.Add(ref _events, -segment.Events);
        _bytes -= segment.Bytes;
        TryDelete(segment.Path);
        Progress.Set();
        return true;
    }

    private void Seal(Segment segment)
    {
        if (segment.Handle is { } handle)
        {
            if (_flushToDisk)
            {
                FlushQuietly(handle);
                MarkSynced(_written);
            }
            handle.Dispose();
            segment.Handle = null;
        }
        if (segment == _active)
        {
            _active = null;
        }
        Work.Set();
    }

    private void MarkSynced(long upTo)
    {
        var current = Interlocked.Read(ref _synced);
        while (current < upTo)
        {
            var seen = Interlocked.CompareExchange(ref _synced, upTo, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }

    private void FlushQuietly(SafeFileHandle handle)
    {
        try
        {
            RandomAccess.FlushToDisk(handle);
        }
        catch (IOException ex)
        {
            Log.AppendFailed(_logger, _directory, ex);
        }
    }

    private static byte[] Line(string session, ReadOnlySpan<byte> eventJson)
    {
        var s = JsonEncodedText.Encode(session, EventJson.WriterOptions.Encoder).EncodedUtf8Bytes;
        ReadOnlySpan<byte> open = "{\"s\":\""u8;
        ReadOnlySpan<byte> middle = "\",\"e\":"u8;
        ReadOnlySpan<byte> close = "}\n"u8;
        var line = new byte[open.Length + s.Length + middle.Length + eventJson.Length + close.Length];
        var span = line.AsSpan();
        open.CopyTo(span);
        span = span[open.Length..];
        s.CopyTo(span);
        span = span[s.Length..];
        middle.CopyTo(span);
        span = span[middle.Length..];
        eventJson.CopyTo(span);
        span = span[eventJson.Length..];
        close.CopyTo(span);
        return line;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next start, which sends it again: the server keeps each event id once.
        }
    }

    /// <summary>One file of the queue: one batch.</summary>
    internal sealed class Segment(long seq, string path)
    {
        public long Seq { get; } = seq;
        public string Path { get; } = path;
        public int Events { get; set; }
        public long Bytes { get; set; }
        /// <summary>The session of the open segment's events.</summary>
        public string? Session { get; set; }
        /// <summary>When the open segment got its first event.</summary>
        public DateTimeOffset Opened { get; set; }
        /// <summary>Open for appending: the newest segment only.</summary>
        public SafeFileHandle? Handle { get; set; }
        /// <summary>How many of its batches the server has (a segment written by an older version may hold several).</summary>
        public int BatchesSent { get; set; }
        public volatile bool Removed;
    }
}
