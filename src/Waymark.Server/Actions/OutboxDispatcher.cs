using Microsoft.Extensions.Options;
using Waymark.Server.Store;

namespace Waymark.Server.Actions;

/// <summary>Delivers one type of outbox action (webhook, email).</summary>
public interface IActionSender
{
    string Type { get; }

    /// <summary>Delivers the item; throws <see cref="ActionFailedException"/> (or any exception) when it did not.</summary>
    Task<string> SendAsync(OutboxItem item, CancellationToken cancellationToken);
}

/// <summary>A delivery attempt failed; <see cref="Permanent"/> when trying again cannot help (a 4xx other than 408/429, no address).</summary>
public sealed class ActionFailedException(string message, bool permanent = false) : Exception(message)
{
    public bool Permanent { get; } = permanent;
}

/// <summary>
/// Drains the outbox on every node: claims due actions for a lease, delivers
/// them, and completes, retries (exponential backoff with jitter, capped) or
/// abandons them, recording each attempt in the firing's history. Woken at
/// once by a local enqueue, else it polls. At least once: an action whose
/// node died before completing it is claimed again when its lease ends.
/// </summary>
public sealed partial class OutboxDispatcher(
    IOutbox outbox, IRuleHistory history, IEnumerable<IActionSender> senders, IOptions<ActionOptions> options, TimeProvider clock, ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Dictionary<string, IActionSender> _senders = senders.ToDictionary(s => s.Type, StringComparer.Ordinal);
    private readonly string _owner = Environment.MachineName + ":" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Something was enqueued on this node: look now.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<OutboxItem> items;
            try
            {
                items = await outbox.ClaimAsync(_owner, clock.GetUtcNow(), o.Lease, 32, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (Exception ex)
            {
                LogClaimFailed(logger, ex);
                items = [];
            }
            if (items.Count > 0)
            {
                await Task.WhenAll(items.Select(i => DeliverAsync(i, stoppingToken)));
                continue;
            }
            try
            {
                await _wake.WaitAsync(o.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task DeliverAsync(OutboxItem item, CancellationToken stoppingToken)
    {
        var o = options.Value;
        var attempt = item.Attempts + 1;
        try
        {
            if (!_senders.TryGetValue(item.Type, out var sender))
            {
                throw new ActionFailedException("no sender for action type " + item.Type, permanent: true);
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(o.Timeout);
            var detail = await sender.SendAsync(item, timeout.Token);
            await outbox.CompleteAsync(item, clock.GetUtcNow(), CancellationToken.None);
            await RecordAsync(item, "delivered", $"attempt {attempt}: {detail}");
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            var reason = ex is ActionFailedException ? ex.Message : ex.GetType().Name + ": " + ex.Message;
            try
            {
                if ((ex is ActionFailedException { Permanent: true }) || attempt >= o.MaxAttempts)
                {
                    await outbox.AbandonAsync(item, clock.GetUtcNow(), reason, CancellationToken.None);
                    await RecordAsync(item, "abandoned", $"attempt {attempt}: {reason}");
                }
                else
                {
                    var due = clock.GetUtcNow() + Backoff(attempt, o);
                    await outbox.RetryAsync(item, due, reason, CancellationToken.None);
                    await RecordAsync(item, "failed", $"attempt {attempt}: {reason}; next at {due:O}");
                }
            }
            catch (Exception inner)
            {
                // The lease runs out and the item is claimed again: at least once.
                LogRecordFailed(logger, item.Id, inner);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping mid-delivery: the lease runs out and someone delivers it again.
        }
    }

    /// <summary>RetryBase · 2^(attempt−1), at most RetryMax, ±20 % jitter.</summary>
    public static TimeSpan Backoff(int attempt, ActionOptions o)
    {
        var ticks = Math.Min(o.RetryMax.Ticks, o.RetryBase.Ticks * Math.Pow(2, Math.Min(attempt - 1, 40)));
        return TimeSpan.FromTicks((long)(ticks * (0.8 + (0.4 * Random.Shared.NextDouble()))));
    }

    private Task RecordAsync(OutboxItem item, string kind, string detail) =>
        history.RecordFiringEventAsync(new RuleFiringEvent(item.FiringId, item.App, item.Rule, kind, item.Action, clock.GetUtcNow(), item.Type + " " + detail), CancellationToken.None);

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claiming due actions from the outbox failed; trying again")]
    private static partial void LogClaimFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording the attempt of action {Id} failed; it will be claimed again when its lease ends")]
    private static partial void LogRecordFailed(ILogger logger, string id, Exception ex);
}
