using Microsoft.Extensions.Options;
using Waymark.Core.Mining;

namespace Waymark.Server.Mining;

/// <summary>
/// Finds the log a query names: an uploaded one, or the app's journeys built
/// with its filters (reused for <see cref="MiningOptions.LogCacheTime"/>, so the
/// map, the variants and the conformance of one screen read the store once).
/// </summary>
public sealed class MiningLogs(JourneyLogBuilder builder, UploadedLogs uploads, IOptions<MiningOptions> options, TimeProvider clock)
{
    private readonly Dictionary<string, (DateTimeOffset At, Task<EventLog> Log)> _cache = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>The log, or null when the query names an uploaded log that is not (or no longer) here.</summary>
    public async Task<EventLog?> GetAsync(MiningQuery query, CancellationToken cancellationToken)
    {
        if (query.LogId is { } id)
        {
            return uploads.Find(id)?.Log;
        }
        return await GetJourneyAsync(query.Journey!, cancellationToken);
    }

    /// <summary>The log of an app's journeys with these filters.</summary>
    public async Task<EventLog> GetJourneyAsync(JourneyLogQuery query, CancellationToken cancellationToken)
    {
        var journey = query with { MaxSessions = options.Value.MaxSessions };
        var key = journey.ToString();
        Task<EventLog> task;
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            foreach (var stale in _cache.Where(kv => now - kv.Value.At > options.Value.LogCacheTime).Select(kv => kv.Key).ToList())
            {
                _cache.Remove(stale);
            }
            if (!_cache.TryGetValue(key, out var hit) || hit.Log.IsFaulted || hit.Log.IsCanceled)
            {
                // Built without the request's token: a second request may wait on the same build.
                hit = (now, builder.BuildAsync(journey, CancellationToken.None));
                _cache[key] = hit;
            }
            task = hit.Log;
        }
        return await task.WaitAsync(cancellationToken);
    }
}
