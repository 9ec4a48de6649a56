using Microsoft.Extensions.Options;

namespace Waymark.Server.Journeys;

/// <summary>
/// The timers of the live journeys on this node: each journey's next
/// deadline (a session's inactivity end, a rule's deadline), in one priority
/// queue checked every <see cref="JourneyOptions.TimerTickMs"/>, which calls
/// the journey when it is due. One Orleans grain timer per visitor cost about
/// 730 bytes of live state (docs/benchmarks.md); an entry here costs a few
/// dozen. A journey that deactivates takes its timer away; its deadline stays
/// in the store, where the sweep (<see cref="DeadlineSweeper"/>) finds it.
/// </summary>
public sealed partial class JourneyTimers(IGrainFactory grains, IOptions<JourneyOptions> options, TimeProvider clock, ILogger<JourneyTimers> logger) : BackgroundService
{
    private readonly Lock _lock = new();
    // The deadline each journey asked for last, and a queue that may also hold
    // earlier entries of a journey that moved its deadline (checked when they come up).
    private readonly Dictionary<string, long> _due = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, long> _queue = new();

    /// <summary>Journeys with a timer armed.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _due.Count;
            }
        }
    }

    /// <summary>Sets (or, with null, removes) the timer of the journey with this grain key.</summary>
    public void Arm(string key, DateTimeOffset? due)
    {
        lock (_lock)
        {
            if (due is not { } d)
            {
                _due.Remove(key);
                return;
            }
            var ticks = d.UtcTicks;
            var earlier = !_due.TryGetValue(key, out var current) || ticks < current;
            _due[key] = ticks;
            if (earlier)
            {
                _queue.Enqueue(key, ticks);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.TimerTickMs), clock);
        var due = new List<string>();
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            TakeDue(clock.GetUtcNow().UtcTicks, due);
            foreach (var key in due)
            {
                _ = FireAsync(key);
            }
            due.Clear();
        }
    }

    private void TakeDue(long now, List<string> due)
    {
        lock (_lock)
        {
            while (_queue.TryPeek(out var key, out var ticks) && ticks <= now)
            {
                _queue.Dequeue();
                if (!_due.TryGetValue(key, out var wanted))
                {
                    continue;
                }
                if (wanted == ticks)
                {
                    _due.Remove(key);
                    due.Add(key);
                }
                else if (wanted > ticks)
                {
                    // The journey moved its deadline later: this entry stands in for it.
                    _queue.Enqueue(key, wanted);
                }
            }
        }
    }

    private async Task FireAsync(string key)
    {
        try
        {
            await grains.GetGrain<IVisitorGrain>(key).TickAsync();
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException or Store.StoreOverloadedException or Store.StoreUnavailableException)
        {
            // Its deadline is in the store: the sweep fires it.
            LogTickFailed(logger, key, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A deadline of journey {Key} could not fire ({Reason}); the sweep of the store's deadlines will")]
    private static partial void LogTickFailed(ILogger logger, string key, string reason);
}
