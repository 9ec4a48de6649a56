using Waymark.Core.Analytics;
using Waymark.Core.Events;
using Waymark.Server.Store;

namespace Waymark.Server.Analytics;

/// <summary>
/// Errors grouped by fingerprint (<see cref="ErrorFingerprints"/>: the
/// normalised message and the top frame), and what each group cost by
/// <see cref="ErrorCosts"/>. The comparable sessions of an error are the ones
/// that viewed the page where it happens most (all sessions when it happens
/// before any view), within strata of the same channel, device class and
/// browser: an error of the date step of one browser is held against the
/// sessions of that browser that reached the date step without it, not
/// against every visitor who left from the home page.
/// </summary>
internal sealed class ErrorAccumulator
{
    private const int Examples = 5;
    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<(string?, string?, string?), ErrorFingerprint> _prints = [];
    private readonly List<(string Stratum, bool Converted, HashSet<string>? Groups)> _sessions = [];
    private readonly Dictionary<string, List<int>> _byPage = new(StringComparer.Ordinal);

    public static string Stratum(SessionWithEvents s) => s.Session.Channel + "|" + s.Session.DeviceClass + "|" + (s.Session.Browser ?? "");

    public void Add(SessionWithEvents s)
    {
        HashSet<string>? inSession = null;
        var customer = s.Session.UserTag ?? s.Session.Visitor;
        var index = _sessions.Count;
        string? page = null;
        foreach (var stored in s.Events)
        {
            var e = stored.Event;
            if (e.Type == EventType.View)
            {
                page = PageAccumulator.PageOf(e);
                if (!_byPage.TryGetValue(page, out var list))
                {
                    _byPage[page] = list = [];
                }
                if (list.Count == 0 || list[^1] != index)
                {
                    list.Add(index);
                }
                continue;
            }
            if (e.Type != EventType.Error)
            {
                continue;
            }
            var print = Print(e);
            if (!_groups.TryGetValue(print.Key, out var g))
            {
                _groups[print.Key] = g = new Group(print, e.Timestamp, e.Message ?? print.Message);
            }
            g.Occurrences++;
            g.Pages[page ?? ""] = g.Pages.GetValueOrDefault(page ?? "") + 1;
            if (e.Timestamp < g.First)
            {
                g.First = e.Timestamp;
                g.Example = e.Message ?? g.Example;
            }
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
        _sessions.Add((Stratum(s), s.Session.Converted, inSession));
    }

    /// <summary>Every group, the most certainly costly first; <paramref name="noise"/> groups are marked (and ranked last).</summary>
    public IReadOnlyList<ErrorRow> Rows(IReadOnlySet<string> noise)
    {
        return [.. _groups.Values
            .Select(g =>
            {
                var c = Cost(g);
                var frame = g.Print.TopFrame is { } f ? string.Join(" ", new[] { f.Function, f.File is null ? null : "(" + f.File + ")" }.Where(x => x is not null)) : null;
                return new ErrorRow(g.Print.Key, g.Example, g.Print.Message, string.IsNullOrEmpty(frame) ? null : frame, g.First, g.Last, g.Occurrences, g.Sessions, g.Customers.Count,
                    Top(g.Versions), Top(g.Browsers), c?.ConversionWithError ?? 0, c?.ExpectedConversion ?? 0, c?.LostConversions ?? 0,
                    c?.LostLower ?? 0, c?.LostUpper ?? 0, noise.Contains(g.Print.Key), [.. g.Examples]);
            })
            .OrderBy(r => r.Noise)
            .ThenBy(r => Tier(r))
            .ThenByDescending(r => Tier(r) == 0 ? r.LostLower : r.LostConversions)
            .ThenByDescending(r => r.Sessions)
            .ThenBy(r => r.Fingerprint, StringComparer.Ordinal)];
    }

    // Surely costly (the interval above zero) first, by its lower end; then the
    // groups with an estimate, by the estimate; then those with nothing to compare with.
    private static int Tier(ErrorRow r) => r.LostLower > 0 ? 0 : r.LostUpper > r.LostLower ? 1 : 2;

    // The group's cost among the sessions that viewed its page.
    private ErrorCost? Cost(Group g)
    {
        var page = g.Pages.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).First().Key;
        IEnumerable<int> candidates = page.Length > 0 && _byPage.TryGetValue(page, out var onPage) ? onPage : Enumerable.Range(0, _sessions.Count);
        string[] mine = [g.Print.Key];
        var costs = ErrorCosts.Rank(candidates.Select(i =>
        {
            var (stratum, converted, groups) = _sessions[i];
            return new ErrorCostSession(stratum, converted, groups?.Contains(g.Print.Key) == true ? mine : []);
        }));
        // Without comparable sessions there is no estimate (and its rates are NaN).
        return costs.FirstOrDefault(c => c.Group == g.Print.Key && c.ComparableSessions > 0);
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

    private sealed class Group(ErrorFingerprint print, DateTimeOffset at, string example)
    {
        public string Example { get; set; } = example;
        public ErrorFingerprint Print { get; } = print;
        public DateTimeOffset First { get; set; } = at;
        public DateTimeOffset Last { get; set; } = at;
        public long Occurrences { get; set; }
        public int Sessions { get; set; }
        public HashSet<string> Customers { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, long> Versions { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, long> Browsers { get; } = new(StringComparer.Ordinal);
        public List<string> Examples { get; } = [];
        public Dictionary<string, int> Pages { get; } = new(StringComparer.Ordinal);
    }
}
