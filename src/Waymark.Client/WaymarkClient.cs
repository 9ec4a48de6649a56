using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Waymark.Client.Internal;

namespace Waymark.Client;

/// <summary>
/// Records what a person does in an app, a kiosk or at a check-in desk, and
/// what a server-side system does for a customer, and delivers it to a Waymark
/// server (beacon protocol v1).
/// <para>
/// Every event is written to a bounded on-disk queue before the recording call
/// returns; a background sender posts the queue in batches and retries until
/// the server has stored them. An event keeps its id across retries and
/// restarts, so the server stores it once. All members are thread-safe, and
/// none throws for a failure of the disk or the network: such failures are
/// logged and counted.
/// </para>
/// </summary>
public sealed partial class WaymarkClient : IAsyncDisposable
{
    private const int Open = 0;
    private const int Closing = 1;
    private const int Closed = 2;

    private readonly WaymarkClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DiskQueue _queue;
    private readonly BeaconSender _sender;
    private readonly HttpClient _http;
    private readonly AsyncLocal<ActionScope?> _currentAction = new();
    private readonly string[] _firstPartyHosts;
    private int _state;

    /// <summary>
    /// Opens the queue (sending what an earlier run left in it) and starts the sender.
    /// </summary>
    /// <param name="options">The settings; Endpoint, App and Channel are required.</param>
    /// <param name="logger">Where the SDK says what went wrong (a full queue, a refused batch); none by default.</param>
    /// <exception cref="ArgumentException">An option is missing or out of range.</exception>
    /// <exception cref="InvalidOperationException">Another client uses the same <see cref="WaymarkClientOptions.QueueDirectory"/>.</exception>
    public WaymarkClient(WaymarkClientOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        _options = options;
        _time = options.TimeProvider;
        _logger = logger ?? NullLogger.Instance;
        _firstPartyHosts = options.FirstPartyHosts.Where(h => !string.IsNullOrWhiteSpace(h)).Select(h => h.Trim().TrimStart('.')).ToArray();
        Channel = options.Channel!.Trim().ToLowerInvariant();
        QueueDirectory = Path.GetFullPath(options.QueueDirectory ?? DefaultQueueDirectory(options.App!));
        Directory.CreateDirectory(QueueDirectory);
        VisitorId = options.VisitorId ?? LoadVisitorId(QueueDirectory);
        _queue = new DiskQueue(QueueDirectory, HeaderLine(), options.BatchSize, options.MaxQueueBytes, options.MaxQueueEvents, options.FlushToDisk, _logger);
        _http = options.HttpMessageHandler is { } handler ? new HttpClient(handler, disposeHandler: false) : new HttpClient();
        _http.Timeout = options.RequestTimeout;
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("Waymark.Client/" + (typeof(WaymarkClient).Assembly.GetName().Version?.ToString(3) ?? "1.0.0"));
        _sender = new BeaconSender(_queue, _http, options, _logger);
        _sender.Start();
    }

    /// <summary>The visitor id the events are sent with (the device's or installation's).</summary>
    public string VisitorId { get; }

    /// <summary>The channel the events are sent on, lower case.</summary>
    public string Channel { get; }

    /// <summary>The folder of the on-disk queue.</summary>
    public string QueueDirectory { get; }

    /// <summary>Events in the on-disk queue, not yet stored by the server.</summary>
    public long QueuedEvents => _queue.QueuedEvents;

    /// <summary>Events dropped because the queue was full (oldest first) or a queue file could not be read.</summary>
    public long DroppedEvents => _queue.DroppedEvents;

    /// <summary>Events the server refused (a batch answered 4xx other than 408/429, or single events it listed as rejected).</summary>
    public long RefusedEvents => _sender.RefusedEvents;

    internal TimeProvider Time => _time;

    /// <summary>
    /// Returns when every event recorded before the call is stored by the
    /// server (or dropped), sending the batch that is still filling at once.
    /// While the server is unreachable this waits for it: bound it with
    /// <paramref name="cancellationToken"/>.
    /// </summary>
    /// <exception cref="OperationCanceledException">The token was cancelled first; the events stay queued.</exception>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _state) == Closed)
        {
            return;
        }
        var mark = _queue.MarkForFlush();
        if (mark < 0)
        {
            return;
        }
        while (true)
        {
            var progress = _queue.Progress.Task;
            if (_queue.IsPast(mark) || Volatile.Read(ref _state) == Closed)
            {
                return;
            }
            await progress.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops: tries for <see cref="WaymarkClientOptions.ShutdownTimeout"/> to deliver
    /// what is queued, stops the sender and closes the queue. What was not
    /// delivered stays on disk and is sent by the next client on the same folder.
    /// Events recorded afterwards are ignored.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.CompareExchange(ref _state, Closing, Open) != Open)
        {
            return;
        }
        StopCapturing();
        using (var timeout = new CancellationTokenSource(_options.ShutdownTimeout, _time))
        {
            try
            {
                await FlushAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // What is left is sent at the next start.
            }
        }
        await _sender.StopAsync().ConfigureAwait(false);
        _sender.Dispose();
        Volatile.Write(ref _state, Closed);
        _queue.Close();
        _queue.Progress.Set();
        if (_queue.QueuedEvents > 0)
        {
            Log.LeftQueued(_logger, _queue.QueuedEvents);
        }
        _http.Dispose();
    }

    /// <summary>
    /// Writes one event to the queue. The session is chosen (and a new one
    /// started when the last has ended by the rules) under the same lock as the
    /// write, so the queue holds each session's events in order.
    /// </summary>
    private bool Record(string type, bool userAction, Action<Utf8JsonWriter>? fields, string? id = null, DateTimeOffset? at = null, bool crash = false)
    {
        if (Volatile.Read(ref _state) == Closed)
        {
            return false;
        }
        try
        {
            var now = _time.GetUtcNow();
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var w = new Utf8JsonWriter(buffer, EventJson.WriterOptions))
            {
                w.WriteStartObject();
                w.WriteString("id", id ?? NewId());
                w.WriteString("type", type);
                w.WriteNumber("ts", (at ?? now).ToUnixTimeMilliseconds());
                fields?.Invoke(w);
                w.WriteEndObject();
            }
            long ticket;
            lock (_sessionLock)
            {
                var session = type == "session_end" ? EndCurrentSession(now) : Touch(now, userAction);
                if (session is null)
                {
                    return false;
                }
                ticket = _queue.Append(session, buffer.WrittenSpan, now, crash);
            }
            if (ticket > 0)
            {
                _queue.MakeDurable(ticket);
            }
            return ticket > 0;
        }
#pragma warning disable CA1031 // Recording must never break the app: a failure (the disk, a property's ToString) is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.RecordFailed(_logger, type, ex);
            return false;
        }
    }

    internal static string NewId() => Guid.NewGuid().ToString("N");

    private static void Validate(WaymarkClientOptions options)
    {
        var o = options;
        if (o.Endpoint is not { IsAbsoluteUri: true } e || (e.Scheme != Uri.UriSchemeHttp && e.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("Endpoint must be the absolute http(s) address of the Waymark server, e.g. https://rum.example.com/.", nameof(options));
        }
        if (string.IsNullOrWhiteSpace(o.App) || o.App.Length > EventJson.MaxId)
        {
            throw new ArgumentException("App is required: the app id configured on the server (at most 128 characters).", nameof(options));
        }
        if (o.Key is { Length: > EventJson.MaxId })
        {
            throw new ArgumentException("Key is at most 128 characters.", nameof(options));
        }
        if (string.IsNullOrWhiteSpace(o.Channel) || !s_channels.Contains(o.Channel.Trim().ToLowerInvariant()))
        {
            throw new ArgumentException($"Channel is required: one of {string.Join(", ", s_channels)}.", nameof(options));
        }
        if (o.VisitorId is { } v && (string.IsNullOrWhiteSpace(v) || v.Length > EventJson.MaxId))
        {
            throw new ArgumentException("VisitorId, when given, is 1 to 128 characters.", nameof(options));
        }
        if (o.BatchSize is < 1 or > 1000)
        {
            throw new ArgumentException("BatchSize is 1 to 1000 events (the server's limit per request).", nameof(options));
        }
        if (o.MaxQueueEvents < o.BatchSize)
        {
            throw new ArgumentException("MaxQueueEvents must be at least BatchSize.", nameof(options));
        }
        if (o.MaxQueueBytes < 1024 * 1024)
        {
            throw new ArgumentException("MaxQueueBytes must be at least 1 MiB.", nameof(options));
        }
        if (o.FlushInterval <= TimeSpan.Zero || o.RetryDelay <= TimeSpan.Zero || o.MaxRetryDelay < o.RetryDelay ||
            o.RequestTimeout <= TimeSpan.Zero || o.ShutdownTimeout < TimeSpan.Zero ||
            o.SessionInactivity <= TimeSpan.Zero || o.SessionMaxDuration <= TimeSpan.Zero || o.SessionMaxActions < 1)
        {
            throw new ArgumentException("FlushInterval, RetryDelay, RequestTimeout and the session limits must be positive, and MaxRetryDelay at least RetryDelay.", nameof(options));
        }
        if (o.TimeProvider is null)
        {
            throw new ArgumentException("TimeProvider must not be null.", nameof(options));
        }
    }

    private static readonly string[] s_channels = ["web", "mobile", "kiosk", "checkin", "contact-center", "chat", "email", "social", "server"];

    private static string DefaultQueueDirectory(string app)
    {
        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
        if (string.IsNullOrEmpty(root))
        {
            root = Path.GetTempPath();
        }
        var invalid = Path.GetInvalidFileNameChars();
        var safe = new string(app.Select(c => Array.IndexOf(invalid, c) >= 0 ? '_' : c).ToArray());
        return Path.Combine(root, "Waymark", safe);
    }

    /// <summary>The visitor id kept in the queue folder, made (and written atomically) on first start.</summary>
    private static string LoadVisitorId(string directory)
    {
        var path = Path.Combine(directory, "visitor");
        try
        {
            var known = File.ReadAllText(path).Trim();
            if (known.Length is > 0 and <= EventJson.MaxId)
            {
                return known;
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
        }
        var id = NewId();
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(System.Text.Encoding.UTF8.GetBytes(id));
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        return id;
    }

    /// <summary>The batch header every queue file starts with: who sends, on what.</summary>
    private byte[] HeaderLine()
    {
        var o = _options;
        var (os, osVersion) = o.Os is null ? DetectOs() : (o.Os, null);
        var deviceClass = o.DeviceClass ?? Channel switch
        {
            "kiosk" or "checkin" or "mobile" or "server" => Channel,
            _ => null,
        };
        var locale = o.Locale ?? (CultureInfo.CurrentUICulture.Name is { Length: > 0 } n ? n : null);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, EventJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("v", 1);
            w.WriteString("visitor", VisitorId);
            w.WriteString("channel", Channel);
            w.WriteStartObject("device");
            EventJson.Text(w, "class", deviceClass, 32);
            EventJson.Text(w, "os", os, 64);
            EventJson.Text(w, "osVersion", osVersion, 64);
            EventJson.Text(w, "model", o.Model, 128);
            EventJson.Text(w, "locale", locale, 35);
            w.WriteEndObject();
            w.WriteStartObject("context");
            EventJson.Text(w, "appVersion", o.AppVersion, 64);
            EventJson.Text(w, "touchpoint", o.Touchpoint, 128);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return [.. buffer.WrittenSpan, (byte)'\n'];
    }

    private static (string? Os, string? Version) DetectOs()
    {
        var name = OperatingSystem.IsAndroid() ? "Android"
            : OperatingSystem.IsIOS() ? "iOS"
            : OperatingSystem.IsMacCatalyst() || OperatingSystem.IsMacOS() ? "macOS"
            : OperatingSystem.IsWindows() ? "Windows"
            : OperatingSystem.IsLinux() ? "Linux"
            : OperatingSystem.IsFreeBSD() ? "FreeBSD"
            : null;
        return (name, name is null ? null : Environment.OSVersion.Version.ToString());
    }
}
