using System.Buffers;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Waymark.Client.Internal;

/// <summary>
/// Posts the queue's batches to {Endpoint}/v1/beacon, oldest first, one at a
/// time. A batch leaves the queue on 2xx (stored) or on a 4xx other than 408
/// and 429 (refused: sending it again cannot help); on anything else it is sent
/// again, with the same event ids, after a backoff or the server's Retry-After.
/// </summary>
internal sealed class BeaconSender : IDisposable
{
    /// <summary>A Retry-After beyond this is taken as this: a kiosk should not go quiet for a day on one answer.</summary>
    private static readonly TimeSpan s_maxRetryAfter = TimeSpan.FromHours(1);

    private readonly DiskQueue _queue;
    private readonly HttpClient _http;
    private readonly Uri _beacon;
    private readonly string _app;
    private readonly string? _key;
    private readonly int _batchSize;
    private readonly TimeSpan _flushInterval;
    private readonly TimeSpan _retryDelay;
    private readonly TimeSpan _maxRetryDelay;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private long _refused;

    public BeaconSender(DiskQueue queue, HttpClient http, WaymarkClientOptions options, ILogger logger)
    {
        _queue = queue;
        _http = http;
        var endpoint = options.Endpoint!.AbsoluteUri;
        _beacon = new Uri(endpoint.EndsWith('/') ? endpoint + "v1/beacon" : endpoint + "/v1/beacon");
        _app = options.App!;
        _key = options.Key;
        _batchSize = options.BatchSize;
        _flushInterval = options.FlushInterval;
        _retryDelay = options.RetryDelay;
        _maxRetryDelay = options.MaxRetryDelay;
        _time = options.TimeProvider;
        _logger = logger;
    }

    /// <summary>Events the server refused: whole batches answered 4xx, and single events a 200 listed as rejected.</summary>
    public long RefusedEvents => Interlocked.Read(ref _refused);

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose() => _stop.Dispose();

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var work = _queue.Work.Task;
                var segment = _queue.Next(_time.GetUtcNow(), _flushInterval, out var wait);
                if (segment is null)
                {
                    await WaitAsync(work, wait, ct).ConfigureAwait(false);
                    continue;
                }
                await SendSegmentAsync(segment, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The sender must outlive any fault; the app never sees it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.SenderFailed(_logger, ex);
                try
                {
                    await Task.Delay(_retryDelay, _time, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task WaitAsync(Task work, TimeSpan wait, CancellationToken ct)
    {
        if (wait == Timeout.InfiniteTimeSpan)
        {
            await work.WaitAsync(ct).ConfigureAwait(false);
            return;
        }
        using var delayStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var delay = Task.Delay(wait, _time, delayStop.Token);
        await Task.WhenAny(work, delay).ConfigureAwait(false);
        await delayStop.CancelAsync().ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
    }

    private async Task SendSegmentAsync(DiskQueue.Segment segment, CancellationToken ct)
    {
        var content = _queue.Read(segment, _batchSize);
        if (content is null)
        {
            return;
        }
        for (var i = segment.BatchesSent; i < content.Batches.Count; i++)
        {
            if (!await DeliverAsync(content.Header, content.Batches[i], segment, ct).ConfigureAwait(false))
            {
                return;
            }
            segment.BatchesSent = i + 1;
        }
        _queue.Complete(segment);
    }

    /// <summary>Sends one batch until the server stores or refuses it; false when its segment left the queue meanwhile.</summary>
    private async Task<bool> DeliverAsync(JsonElement header, DiskQueue.Batch batch, DiskQueue.Segment segment, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (segment.Removed)
            {
                // Dropped by the full queue while it waited.
                return false;
            }
            TimeSpan? retryAfter = null;
            string reason;
            var status = 0;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, _beacon) { Content = new ByteArrayContent(Body(header, batch)) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
                status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    await ReadAnswerAsync(response, batch, ct).ConfigureAwait(false);
                    Log.Sent(_logger, batch.Events.Count, status);
                    return true;
                }
                if (status is >= 400 and < 500 and not 408 and not 429)
                {
                    var problem = await ReadTextAsync(response, ct).ConfigureAwait(false);
                    Log.Refused(_logger, batch.Events.Count, status, problem);
                    Interlocked.Add(ref _refused, batch.Events.Count);
                    return true;
                }
                retryAfter = RetryAfter(response);
                reason = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (HttpRequestException ex)
            {
                reason = ex.Message;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                reason = "timed out";
            }
            var delay = Backoff(attempt, retryAfter);
            if (status == 0)
            {
                Log.NetworkRetry(_logger, reason, batch.Events.Count, delay);
            }
            else
            {
                Log.WillRetry(_logger, status, batch.Events.Count, delay);
            }
            await Task.Delay(delay, _time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The batch as protocol v1 JSON, with <c>sentAt</c> of this attempt (the server corrects the client's clock with it).</summary>
    private byte[] Body(JsonElement header, DiskQueue.Batch batch)
    {
        var buffer = new ArrayBufferWriter<byte>(batch.Bytes + 512);
        using (var w = new Utf8JsonWriter(buffer, EventJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("app", _app);
            if (_key is not null)
            {
                w.WriteString("key", _key);
            }
            foreach (var p in header.EnumerateObject())
            {
                if (!p.NameEquals("v"u8))
                {
                    p.WriteTo(w);
                }
            }
            if (batch.Session is not null)
            {
                w.WriteString("session", batch.Session);
            }
            w.WriteNumber("sentAt", _time.GetUtcNow().ToUnixTimeMilliseconds());
            w.WriteStartArray("events");
            foreach (var e in batch.Events)
            {
                w.WriteRawValue(e.Span, skipInputValidation: true);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private async Task ReadAnswerAsync(HttpResponseMessage response, DiskQueue.Batch batch, CancellationToken ct)
    {
        try
        {
            var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            if (body.Length == 0)
            {
                return;
            }
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object &&
                doc.RootElement.TryGetProperty("rejected", out var r) && r.TryGetInt32(out var rejected) && rejected > 0)
            {
                Interlocked.Add(ref _refused, rejected);
                var problem = doc.RootElement.TryGetProperty("problem", out var p) ? p.GetRawText() : "";
                Log.PartlyRejected(_logger, rejected, batch.Events.Count, EventJson.Cut(problem, 2000));
            }
        }
        catch (JsonException)
        {
            // The batch is stored; an answer we cannot read changes nothing.
        }
    }

    private static async Task<string> ReadTextAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            return EventJson.Cut(text, 2000);
        }
        catch (HttpRequestException)
        {
            return "";
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        if (header?.Date is { } date)
        {
            return date - _time.GetUtcNow();
        }
        return null;
    }

    /// <summary>
    /// The server's Retry-After when it gave one (with up to 10 % jitter, so a
    /// fleet of kiosks does not come back at once); otherwise exponential backoff
    /// from RetryDelay up to MaxRetryDelay with "equal jitter" (half fixed, half random).
    /// </summary>
    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        var random = RandomNumberGenerator.GetInt32(0, 1_000_001) / 1_000_000.0;
        if (retryAfter is { } ra && ra > TimeSpan.Zero)
        {
            var bounded = ra > s_maxRetryAfter ? s_maxRetryAfter : ra;
            return bounded + bounded * (0.1 * random);
        }
        var exp = _retryDelay * Math.Pow(2, Math.Min(attempt, 20));
        var cap = exp > _maxRetryDelay ? _maxRetryDelay : exp;
        return cap / 2 + cap / 2 * random;
    }
}
