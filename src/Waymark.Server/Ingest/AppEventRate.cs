using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Waymark.Server.Ingest;

/// <summary>
/// Events per second each app may send to this node (<see cref="CollectOptions.PerAppEventsPerSecond"/>): a token
/// bucket per app, so one noisy app cannot take the node from the others.
/// </summary>
public sealed class AppEventRate(IOptions<CollectOptions> options) : IDisposable
{
    private readonly int _perSecond = options.Value.PerAppEventsPerSecond;
    private readonly ConcurrentDictionary<string, TokenBucketRateLimiter> _apps = new(StringComparer.Ordinal);

    /// <summary>Takes <paramref name="events"/> of the app's budget; when it is spent, how long until there is room.</summary>
    public TimeSpan? Take(string app, int events)
    {
        if (_perSecond <= 0 || events <= 0)
        {
            return null;
        }
        var bucket = _apps.GetOrAdd(app, _ => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = _perSecond * 2,
            TokensPerPeriod = _perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
        using var lease = bucket.AttemptAcquire(Math.Min(events, _perSecond * 2));
        if (lease.IsAcquired)
        {
            return null;
        }
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
    }

    public void Dispose()
    {
        foreach (var bucket in _apps.Values)
        {
            bucket.Dispose();
        }
    }
}
