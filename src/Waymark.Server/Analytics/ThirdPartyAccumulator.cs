using Waymark.Core.Analytics;
using Waymark.Core.Events;
using Waymark.Server.Store;

namespace Waymark.Server.Analytics;

/// <summary>
/// Third-party requests per host and endpoint. A session is hurt by a host
/// when its first call to it failed (a network failure, 5xx, or marked
/// failed) or took longer than the slow threshold. The first call, not any
/// call: a session that goes deeper makes more calls and so meets a bad one
/// more often while it also converts more often, which would make a failing
/// service look harmless. Whether the first call goes wrong is chance, so the
/// sessions hurt at first contact are compared with the ones that called the
/// same host at the same step and were served well: the cost of a host is
/// <see cref="ErrorCosts"/> of the first against the second, within the same
/// strata as errors.
/// </summary>
internal sealed class ThirdPartyAccumulator(double slowMs)
{
    private readonly Dictionary<string, Host> _hosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ErrorCostSession>> _sessions = new(StringComparer.Ordinal);

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
                if (failed || e.Duration > slowMs)
                {
                    (hurt ??= new HashSet<string>(StringComparer.Ordinal)).Add(uri.Host);
                }
            }
        }
        foreach (var host in touched ?? [])
        {
            var h = _hosts[host];
            var isHurt = hurt?.Contains(host) == true;
            h.Hurt += isHurt ? 1 : 0;
            h.HurtConverted += isHurt && s.Session.Converted ? 1 : 0;
            h.Converted += s.Session.Converted ? 1 : 0;
            if (!_sessions.TryGetValue(host, out var list))
            {
                _sessions[host] = list = [];
            }
            list.Add(new ErrorCostSession(ErrorAccumulator.Stratum(s), s.Session.Converted, isHurt ? [host] : []));
        }
    }

    /// <summary>
    /// Every host, the costliest first by the point estimate: there are few
    /// hosts, so the small-group noise that makes errors rank by the interval's
    /// lower end does not arise, and a service that hurts many sessions is not
    /// ranked below one that hurt none.
    /// </summary>
    public IReadOnlyList<ThirdPartyRow> Rows()
    {
        return [.. _hosts
            .Select(kv =>
            {
                var (name, h) = (kv.Key, kv.Value);
                var ranked = ErrorCosts.Rank(_sessions.GetValueOrDefault(name) ?? []);
                var c = ranked.Count > 0 && ranked[0].ComparableSessions > 0 ? ranked[0] : null;
                var p = Percentiles.Summarize(h.All.Durations);
                var others = h.Sessions - h.Hurt;
                return new ThirdPartyRow(name, h.All.Count, h.All.Failed, h.All.Count == 0 ? 0 : (double)h.All.Failed / h.All.Count, p?.P50, p?.P95, p?.P99,
                    h.Sessions, h.Hurt, h.Hurt == 0 ? 0 : (double)h.HurtConverted / h.Hurt,
                    others <= 0 ? 0 : (double)(h.Converted - h.HurtConverted) / others, c?.LostConversions ?? 0, c?.LostLower ?? 0,
                    [.. h.Endpoints.OrderByDescending(e => e.Value.Count).Select(e =>
                    {
                        var q = Percentiles.Summarize(e.Value.Durations);
                        return new EndpointRow(e.Key, e.Value.Count, e.Value.Failed, q?.P50, q?.P95, q?.P99);
                    })],
                    [.. h.Days.OrderBy(d => d.Key).Select(d => new DayCalls(d.Key, d.Value.Calls, d.Value.Failed))]);
            })
            .OrderByDescending(r => r.LostConversions)
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
        public int Converted { get; set; }
    }
}
