using System.Threading.Channels;
using Waymark.Core.Protocol;
using Microsoft.Extensions.Options;
using Waymark.Server.Collect;
using Waymark.Server.Store;
using Waymark.Server.Apps;
using Waymark.Server.Ingest;

namespace Waymark.Demo;

/// <summary>Options of the demo data (section Waymark:Demo).</summary>
public sealed class DemoSettings
{
    /// <summary>Load the demo days on the first start (when the demo app has no events).</summary>
    public bool Enabled { get; set; }

    public int Seed { get; set; } = 42;

    /// <summary>Days of 24 hours that end now (see <see cref="DemoOptions.Days"/>).</summary>
    public int Days { get; set; } = 14;

    /// <summary>Days before today the web release with the date-picker bug goes out, at midnight UTC.</summary>
    public int ReleaseDaysAgo { get; set; } = 4;

    /// <summary>
    /// Volume of every day: 1 is about 80 000 events a day. The default keeps
    /// 14 days through the real pipeline to a few minutes on two cores.
    /// </summary>
    public double Scale { get; set; } = DefaultScale;

    /// <summary>The default <see cref="Scale"/>.</summary>
    public const double DefaultScale = 0.25;
}

/// <summary>
/// Loads the last days of Horizon Travel (<see cref="DemoSettings.Days"/>,
/// ending now) through the real ingest pipeline (grains, sessionization,
/// store) on the first start, in the background, while the server already
/// answers: the newest day first, so the last 24 hours are there soonest.
/// </summary>
public sealed partial class DemoLoader(
    IOptions<DemoSettings> settings,
    AppRegistry apps,
    IngestService ingest,
    ISessionReadModel queries,
    TimeProvider clock,
    ILogger<DemoLoader> logger) : BackgroundService
{
    private const int Workers = 64;

    /// <summary>Completes when the demo data is loaded (or was not needed).</summary>
    public Task Loaded => _loaded.Task;

    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await LoadAsync(stoppingToken);
            _loaded.TrySetResult();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _loaded.TrySetCanceled(stoppingToken);
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex);
            _loaded.TrySetException(ex);
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var s = settings.Value;
        var options = new DemoOptions
        {
            Seed = s.Seed,
            WebSessions = (int)(2500 * s.Scale),
            MobileSessions = (int)(1200 * s.Scale),
            KioskSessions = (int)(250 * s.Scale),
            CheckinSessions = (int)(400 * s.Scale),
            ContactCenterCalls = (int)(250 * s.Scale),
            Days = s.Days,
            ReleaseDaysAgo = s.ReleaseDaysAgo,
        };
        if (!s.Enabled)
        {
            return;
        }
        var app = apps.Find(options.App);
        if (app is null)
        {
            LogNoApp(logger, options.App);
            return;
        }
        if (await queries.CountEventsAsync(app.Id, cancellationToken) > 0)
        {
            return;
        }
        // The days that end now, to the minute: the last sessions are still active.
        var now = clock.GetUtcNow();
        now = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        var days = TravelDemo.Days(now, options);
        var from = now.AddDays(-options.Days);
        LogLoading(logger, days.Count, app.Id, from);
        var started = clock.GetTimestamp();

        // One queue per worker, a visitor always on the same worker: each
        // visitor's batches stay in order, different visitors go in parallel.
        var queues = Enumerable.Range(0, Workers).Select(_ => Channel.CreateBounded<DemoBatch>(256)).ToArray();
        long events = 0, batches = 0;
        var workers = queues.Select(q => Task.Run(async () =>
        {
            await foreach (var b in q.Reader.ReadAllAsync(cancellationToken))
            {
                var request = new IngestRequest { Transport = Transport.Internal, Facts = new RequestFacts(null, null, null, default) };
                request.Batches.Add(new IncomingBatch { Header = new BeaconHeader { App = app.Id, Channel = b.Context.Channel, Visitor = b.Context.Visitor }, Events = b.Events, Context = b.Context });
                var outcome = await ingest.IngestAsync(request, cancellationToken);
                // The store may fall behind while a day loads: wait as a client would, and send again.
                while (outcome.Status == IngestStatus.Busy)
                {
                    await Task.Delay(outcome.RetryAfter, cancellationToken);
                    outcome = await ingest.IngestAsync(request, cancellationToken);
                }
                Interlocked.Add(ref events, outcome.Accepted);
                var done = Interlocked.Increment(ref batches);
                if (done % 5000 == 0)
                {
                    var sofar = Interlocked.Read(ref events);
                    LogProgress(logger, done, sofar);
                }
            }
        }, cancellationToken)).ToArray();
        // Newest first: no visitor spans two days, so each visitor's batches still come in order.
        foreach (var day in days.Reverse())
        {
            foreach (var batch in TravelDemo.Generate(day.Start, day.Options))
            {
                var worker = (int)((uint)StringComparer.Ordinal.GetHashCode(batch.Context.Visitor) % Workers);
                await queues[worker].Writer.WriteAsync(batch, cancellationToken);
            }
            LogDayQueued(logger, day.Date);
        }
        foreach (var q in queues)
        {
            q.Writer.Complete();
        }
        await Task.WhenAll(workers);
        var seconds = clock.GetElapsedTime(started).TotalSeconds;
        LogLoaded(logger, events, batches, days.Count, seconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loading {Days} days of demo data for app {App} from {From:u}, the newest first")]
    private static partial void LogLoading(ILogger logger, int days, string app, DateTimeOffset from);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data: all of {Date} queued")]
    private static partial void LogDayQueued(ILogger logger, DateOnly date);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data: {Batches} batches, {Events} events so far")]
    private static partial void LogProgress(ILogger logger, long batches, long events);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data loaded: {Events} events in {Batches} batches over {Days} calendar days in {Seconds:0} s")]
    private static partial void LogLoaded(ILogger logger, long events, long batches, int days, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo data not loaded: no app {App} is configured")]
    private static partial void LogNoApp(ILogger logger, string app);

    [LoggerMessage(Level = LogLevel.Error, Message = "Loading the demo data failed")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}
