using Microsoft.Extensions.Options;
using Waymark.Server.Store;

namespace Waymark.Server.Journeys;

/// <summary>
/// Wakes the visitors whose deadline is due though their grain is not active
/// (never returned, shed, deactivated, on a node that died, before a restart):
/// the store keeps every visitor's next deadline, and this sweep makes sure
/// it fires within <see cref="JourneyOptions.SweepSeconds"/> of being due. An
/// active grain fires on its own timer; waking it as well is harmless.
/// </summary>
public sealed partial class DeadlineSweeper(
    IEventLog log,
    IGrainFactory grains,
    IOptions<JourneyOptions> options,
    TimeProvider clock,
    ILogger<DeadlineSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(o.SweepSeconds), clock);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One round: wakes every due visitor (a bounded number at once). Returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var due = await log.DueVisitorsAsync(clock.GetUtcNow(), o.SweepBatch, cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = o.SweepParallelism, CancellationToken = cancellationToken }, async (v, _) =>
        {
            try
            {
                await grains.GetGrain<IVisitorGrain>(VisitorGrain.Key(v.App, v.Visitor)).WakeAsync();
            }
            catch (Exception ex) when (ex is TimeoutException or StoreOverloadedException or OrleansException)
            {
                // The next round tries again: the deadline stays in the store.
                LogWakeFailed(logger, v.App, v.Visitor, ex.Message);
            }
        });
        LogSwept(logger, due.Count);
        return due.Count;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Woke {Count} visitors with a due deadline")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waking visitor {App}/{Visitor} failed ({Reason}); the next sweep tries again")]
    private static partial void LogWakeFailed(ILogger logger, string app, string visitor, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A deadline sweep failed; the next one tries again")]
    private static partial void LogSweepFailed(ILogger logger, Exception ex);
}
