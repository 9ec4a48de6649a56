using System.Diagnostics.Tracing;

namespace Waymark.Server.Hosting;

/// <summary>
/// Watches the runtime's garbage collections and remembers how long the
/// process was paused for them: count, total, the longest, and how many
/// passed 50 ms (a pause holds every request). Logged when the host stops,
/// which also ends the listener. On with <c>Waymark:Diagnostics:GcPauses</c>.
/// </summary>
internal sealed partial class GcPauses(ILogger<GcPauses> logger) : EventListener, IHostedService
{
    private const int SuspendBegin = 9;
    private const int RestartEnd = 3;
    private long _suspendedAt;
    private long _count;
    private long _totalTicks;
    private long _maxTicks;
    private long _over50;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Informational, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        switch (eventData.EventId)
        {
            // The events arrive later, in batches: their own time stamps count.
            case SuspendBegin:
                Volatile.Write(ref _suspendedAt, eventData.TimeStamp.Ticks);
                break;
            case RestartEnd when Volatile.Read(ref _suspendedAt) is var at and > 0:
                var ticks = (eventData.TimeStamp.Ticks - at) * System.Diagnostics.Stopwatch.Frequency / TimeSpan.TicksPerSecond;
                Interlocked.Increment(ref _count);
                Interlocked.Add(ref _totalTicks, ticks);
                if (ticks > Volatile.Read(ref _maxTicks))
                {
                    Volatile.Write(ref _maxTicks, ticks);
                }
                if (ticks * 1000 / System.Diagnostics.Stopwatch.Frequency >= 50)
                {
                    Interlocked.Increment(ref _over50);
                }
                break;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        static double Ms(long ticks) => ticks * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
        var count = Interlocked.Read(ref _count);
        var total = Ms(Interlocked.Read(ref _totalTicks));
        var max = Ms(Interlocked.Read(ref _maxTicks));
        var over50 = Interlocked.Read(ref _over50);
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        LogPauses(logger, count, total, max, over50, gen0, gen1, gen2);
        Dispose();
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "GC pauses at stop: {Count} pauses, {TotalMs:0} ms in all, longest {MaxMs:0} ms, {Over50} of 50 ms or more; collections gen0 {Gen0}, gen1 {Gen1}, gen2 {Gen2}")]
    private static partial void LogPauses(ILogger logger, long count, double totalMs, double maxMs, long over50, int gen0, int gen1, int gen2);
}
