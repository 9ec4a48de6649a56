using Waymark.Core.Analytics;
using Waymark.Core.Events;
using Waymark.Server.Store;

namespace Waymark.Server.Analytics;

/// <summary>
/// Errors grouped by fingerprint (<see cref="ErrorFingerprints"/>: the
/// normalised message and the top frame), and what each group cost by
/// <see cref="ErrorCosts"/>: sessions are compared within strata of the same
/// channel, device class and browser, so an error of one browser is held
/// against sessions of that browser.
/// </summary>
internal sealed class ErrorAccumulator
{
    private const int Examples = 5;
    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<(string?, string?, string?), ErrorFingerprint> _prints = [];
    private readonly List<ErrorCostSession> _sessions = [];

    public static string Stratum(SessionWithEvents s) => s.Session.Channel + "|" + s.Session.DeviceClass + "|" + (s.Session.Browser ?? "");

    public void Add(SessionWithEvents s)
    {
        HashSet<string>? inSession = null;
        var customer = s.Session.UserTag ?? s.Session.Visitor;
        foreach (var stored in s.Events)
        {
            var e = stored.Event;
            if (e.Type != EventType.Error)
            {
                continue;
            }
            var print = Print(e);
            if (!_groups.TryGetValue(print.Key, out var g))
            {
                _groups[print.Key] = g = new Group(print, e.Timestamp);
            }
            g.Occurrences++;
            g.First = e.Timestamp < g.First ? e.Timestamp : g.First;
            g.Last = e.Timestamp > g.Last ? e.Timestamp : g.Last;
            if ((inSession ??= new HashSet<string>(StringComparer.Ordinal)).Add(print.Key))
            {
                g.Sessions++;
                g.Customers.Add(customer);
                Inc(g.Versions, s.Session.AppVersion ?? "unknown");
                Inc(g.Browsers, s.Session.Browser ?? "unknown");
                if (g.Examples.Count < Examples)
                {
                    g.Examples.Add(s.Session.SessionId);
                }
            }
        }
        _sessions.Add(new ErrorCostSession(Stratum(s), s.Session.Converted, (IReadOnlyCollection<string>?)inSession ?? []));
    }

    /// <summary>Every group, the most certainly costly first; <paramref name="noise"/> groups are marked (and ranked last).</summary>
    public IReadOnlyList<ErrorRow> Rows(IReadOnlySet<string> noise)
    {
        var costs = ErrorCosts.Rank(_sessions).ToDictionary(c => c.Group, StringComparer.Ordinal);
        return [.. _groups.Values
            .Select(g =>
            {
                costs.TryGetValue(g.Print.Key, out var c);
                var frame = g.Print.TopFrame is { } f ? string.Join(" ", new[] { f.Function, f.File is null ? null : "(" + f.File + ")" }.Where(x => x is not null)) : null;
                return new ErrorRow(g.Print.Key, g.Print.Message, string.IsNullOrEmpty(frame) ? null : frame, g.First, g.Last, g.Occurrences, g.Sessions, g.Customers.Count,
                    Top(g.Versions), Top(g.Browsers), c?.ConversionWithError ?? 0, c?.ExpectedConversion ?? 0, c?.LostConversions ?? 0,
                    c?.LostLower ?? 0, c?.LostUpper ?? 0, noise.Contains(g.Print.Key), [.. g.Examples]);
            })
            .OrderBy(r => r.Noise)
            .ThenByDescending(r => r.LostLower)
            .ThenByDescending(r => r.Sessions)
            .ThenBy(r => r.Fingerprint, StringComparer.Ordinal)];
    }

    private ErrorFingerprint Print(EventRecord e)
    {
        var key = (e.Message, e.Stack, e.Source);
        if (!_prints.TryGetValue(key, out var p))
        {
            _prints[key] = p = ErrorFingerprints.Compute(e.Message, e.Stack, e.Source);
        }
        return p;
    }

    private static void Inc(Dictionary<string, long> d, string k) => d[k] = d.GetValueOrDefault(k) + 1;

    private static IReadOnlyList<Count> Top(Dictionary<string, long> d) =>
        [.. d.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(10).Select(kv => new Count(kv.Key, kv.Value))];

    private sealed class Group(ErrorFingerprint print, DateTimeOffset at)
    {
        public ErrorFingerprint Print { get; } = print;
        public DateTimeOffset First { get; set; } = at;
        public DateTimeOffset Last { get; set; } = at;
        public long Occurrences { get; set; }
        public int Sessions { get; set; }
        public HashSet<string> Customers { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, long> Versions { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, long> Browsers { get; } = new(StringComparer.Ordinal);
        public List<string> Examples { get; } = [];
    }
}
