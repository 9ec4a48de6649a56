using Waymark.Core.Analytics;
using Waymark.Core.Events;
using Waymark.Server.Store;

namespace Waymark.Server.Analytics;

/// <summary>
/// Third-party requests per host and endpoint. A session is hurt by a host
/// when one of its calls to it failed (a network failure, 5xx, or marked
/// failed) or took longer than the slow threshold; the cost of a host is
/// <see cref="ErrorCosts"/> over those sessions, within the same strata as errors.
/// </summary>
internal sealed class ThirdPartyAccumulator(double slowMs)
{
    private readonly Dictionary<string, Host> _hosts = new(StringComparer.Ordinal);
    private readonly List<ErrorCostSession> _sessions = [];

    public void Add(SessionWithEvents s)
    {
        HashSet<string>? touched = null, hurt = null;
        foreach (var stored in s.Events)
        {
            var e = stored.Event;
            if (e.Type != EventType.Request || !e.ThirdParty || !Uri.TryCreate(e.Url, UriKind.Absolute, out var uri))
            {
                continue;
            }
            if (!_hosts.TryGetValue(uri.Host, out var h))
            {
                _hosts[uri.Host] = h = new Host();
            }
            var failed = e.Failed || e.Status is 0 or >= 500;
            var endpoint = uri.Host + uri.AbsolutePath;
            if (!h.Endpoints.TryGetValue(endpoint, out var ep))
            {
                h.Endpoints[endpoint] = ep = new Calls();
            }
            var day = DateOnly.FromDateTime(e.Timestamp.UtcDateTime);
            var trend = h.Days.GetValueOrDefault(day);
            h.Days[day] = (trend.Calls + 1, trend.Failed + (failed ? 1 : 0));
            foreach (var c in new[] { h.All, ep })
            {
                c.Count++;
                c.Failed += failed ? 1 : 0;
                if (e.Duration is { } d)
                {
                    c.Durations.Add(d);
                }
            }
            if ((touched ??= new HashSet<string>(StringComparer.Ordinal)).Add(uri.Host))
            {
                h.Sessions++;
            }
            if (failed || e.Duration > slowMs)
            {
                (hurt ??= new HashSet<string>(StringComparer.Ordinal)).Add(uri.Host);
            }
        }
        if (hurt is not null)
        {
            foreach (var host in hurt)
            {
                var h = _hosts[host];
                h.Hurt++;
                h.HurtConverted += s.Session.Converted ? 1 : 0;
            }
        }
        _sessions.Add(new ErrorCostSession(ErrorAccumulator.Stratum(s), s.Session.Converted, (IReadOnlyCollection<string>?)hurt ?? []));
    }

    /// <summary>Every host, the most certainly costly first.</summary>
    public IReadOnlyList<ThirdPartyRow> Rows(long sessions, long converted)
    {
        var costs = ErrorCosts.Rank(_sessions).ToDictionary(c => c.Group, StringComparer.Ordinal);
        return [.. _hosts
            .Select(kv =>
            {
                var (name, h) = (kv.Key, kv.Value);
                costs.TryGetValue(name, out var c);
                var p = Percentiles.Summarize(h.All.Durations);
                var others = sessions - h.Hurt;
                return new ThirdPartyRow(name, h.All.Count, h.All.Failed, h.All.Count == 0 ? 0 : (double)h.All.Failed / h.All.Count, p?.P50, p?.P95, p?.P99,
                    h.Sessions, h.Hurt, h.Hurt == 0 ? 0 : (double)h.HurtConverted / h.Hurt,
                    others <= 0 ? 0 : (double)(converted - h.HurtConverted) / others, c?.LostConversions ?? 0, c?.LostLower ?? 0,
                    [.. h.Endpoints.OrderByDescending(e => e.Value.Count).Select(e =>
                    {
                        var q = Percentiles.Summarize(e.Value.Durations);
                        return new EndpointRow(e.Key, e.Value.Count, e.Value.Failed, q?.P50, q?.P95, q?.P99);
                    })],
                    [.. h.Days.OrderBy(d => d.Key).Select(d => new DayCalls(d.Key, d.Value.Calls, d.Value.Failed))]);
            })
            .OrderByDescending(r => r.LostLower)
            .ThenByDescending(r => r.HurtSessions)
            .ThenBy(r => r.Host, StringComparer.Ordinal)];
    }

    private sealed class Calls
    {
        public long Count { get; set; }
        public long Failed { get; set; }
        public List<double> Durations { get; } = [];
    }

    private sealed class Host
    {
        public Calls All { get; } = new();
        public Dictionary<string, Calls> Endpoints { get; } = new(StringComparer.Ordinal);
        public Dictionary<DateOnly, (long Calls, long Failed)> Days { get; } = [];
        public int Sessions { get; set; }
        public int Hurt { get; set; }
        public int HurtConverted { get; set; }
    }
}
