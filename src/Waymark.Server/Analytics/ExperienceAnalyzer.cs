using Waymark.Core.Analytics;
using Waymark.Core.Events;
using Waymark.Core.Sessions;
using Waymark.Server.Store;

namespace Waymark.Server.Analytics;

/// <summary>Options of the experience analytics (section <c>Waymark:Experience</c>).</summary>
public sealed class ExperienceOptions
{
    /// <summary>
    /// A third-party call slower than this hurts its session as a failure does
    /// (ms). 10 s by default: about where browsers' and SDKs' own timeouts give
    /// up; slower-but-served calls cost less and would blur a failing service's
    /// cost with noise (docs/experience.md).
    /// </summary>
    public double SlowCallMs { get; set; } = 10_000;
    /// <summary>A report is reused this long for the same question (the console asks for its parts one by one).</summary>
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>The trend compares each day with this many days before it (<see cref="DailySharesOptions.BaselineDays"/>).</summary>
    public int BaselineDays { get; set; } = 7;
    /// <summary>A day is marked as moved only when a share changed by at least this much (0.02 = 2 points) and beyond chance.</summary>
    public double MinChange { get; set; } = 0.02;
}

/// <summary>
/// The experience report of one scope in one pass over <see cref="ISessionEvents"/>:
/// the same read for both stores, so DuckDB and ClickHouse give the same figures.
/// </summary>
public sealed class ExperienceAnalyzer(ExperienceOptions options, ApdexThresholds apdex, VitalThresholds vitals)
{
    private static readonly (string Group, Func<SessionSummary, string?> Key)[] s_groups =
    [
        ("channel", s => s.Channel), ("touchpoint", s => s.Touchpoint ?? s.EntryPage), ("version", s => s.AppVersion),
        ("device", s => s.DeviceClass), ("browser", s => s.Browser), ("country", s => s.Country),
    ];

    private readonly Dictionary<(string, string), long[]> _groups = [];
    private readonly Dictionary<DateOnly, long[]> _days = [];
    private readonly Dictionary<DateTimeOffset, long[]> _hours = [];
    private readonly Dictionary<(string, string), long[]> _apdex = [];
    private readonly long[] _all = new long[5];
    private readonly PageAccumulator _pages = new();
    private readonly ErrorAccumulator _errors = new();
    private readonly ThirdPartyAccumulator _thirdParties = new(options.SlowCallMs);
    private readonly List<SpeedSample> _speed = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    /// <summary>Reads the scope's sessions and computes the report.</summary>
    public static async Task<ExperienceReport> RunAsync(ISessionEvents events, ExperienceScope scope, ExperienceOptions options, ApdexThresholds apdex,
        IReadOnlySet<string> noise, TimeProvider clock, CancellationToken cancellationToken)
    {
        var a = new ExperienceAnalyzer(options, apdex, new VitalThresholds());
        var channel = scope.Segment.Channel;
        await foreach (var s in events.ReadSessionEventsAsync(new SessionEventsQuery(scope.App, scope.From, scope.To, channel), cancellationToken))
        {
            a.Add(s, scope.Segment);
        }
        return a.Report(scope, noise, clock.GetUtcNow());
    }

    /// <summary>Adds one session when it belongs to the segment (sessions come oldest first: a visitor seen before is returning).</summary>
    public void Add(SessionWithEvents s, Segment segment)
    {
        var x = s.Session;
        var returning = !_seen.Add(x.App + "\n" + (x.UserTag ?? x.Visitor));
        if (!segment.Matches(s, returning))
        {
            return;
        }
        var experience = x.Experience;
        var row = Row(experience, x.Converted);
        AddTo(_all, row);
        foreach (var (group, key) in s_groups)
        {
            AddTo(Slot(_groups, (group, key(x) ?? "unknown")), row);
        }
        AddTo(Slot(_days, DateOnly.FromDateTime(x.Start.UtcDateTime)), row);
        var hour = new DateTimeOffset(x.Start.UtcDateTime.Date.AddHours(x.Start.UtcDateTime.Hour), TimeSpan.Zero);
        AddTo(Slot(_hours, hour), row);
        AddApdex("app", x.App, x.SatisfiedActions, x.ToleratingActions, x.FrustratedActions);
        AddApdex("channel", x.Channel, x.SatisfiedActions, x.ToleratingActions, x.FrustratedActions);
        RateEvents(s);
        _pages.Add(s);
        _errors.Add(s);
        _thirdParties.Add(s);
        if (s.Events.FirstOrDefault(e => e.Event.Type == EventType.View) is { Event.Duration: { } load } && load >= 0)
        {
            _speed.Add(new SpeedSample(load, x.Converted));
        }
    }

    public ExperienceReport Report(ExperienceScope scope, IReadOnlySet<string> noise, DateTimeOffset computed)
    {
        var all = ToRow("all", "all", _all);
        var days = DailyShares.Compute(
            _days.Select(d => new DailyExperience(d.Key, d.Value[0], d.Value[1], d.Value[2])),
            new DailySharesOptions { BaselineDays = options.BaselineDays, MinChange = options.MinChange });
        var hours = _hours.OrderBy(h => h.Key).Select(h => new HourRow(h.Key, h.Value[0] + h.Value[1] + h.Value[2], h.Value[0], h.Value[1], h.Value[2])).ToList();
        var groups = _groups.Select(g => ToRow(g.Key.Item1, g.Key.Item2, g.Value))
            .OrderBy(g => Array.FindIndex(s_groups, x => x.Group == g.Group)).ThenByDescending(g => g.Sessions).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        var apdexRows = _apdex.Select(kv => new ApdexRow(kv.Key.Item1, kv.Key.Item2, kv.Value[0], kv.Value[1], kv.Value[2]))
            .OrderBy(r => r.Kind, StringComparer.Ordinal).ThenByDescending(r => r.Satisfied + r.Tolerating + r.Frustrated).ToList();
        var speed = SpeedCost.Analyze(_speed);
        var rate = _speed.Count == 0 ? 0 : (double)_speed.Count(s => s.Converted) / _speed.Count;
        return new ExperienceReport(scope, computed, new SatisfactionReport(all, days, hours, groups, apdexRows), _pages.Rows(vitals),
            new SpeedReport([.. speed.Buckets.Select(SpeedBucketRow.Of)], speed.Effect, speed.Reason, rate, -rate), _errors.Rows(noise),
            _thirdParties.Rows());
    }

    // Rates views and actions as the session aggregator does, per page and per action: an action whose error names it is frustrated.
    private void RateEvents(SessionWithEvents s)
    {
        HashSet<string>? failedActions = null;
        var rated = new List<(string Page, string? Action, ApdexClass Class, string? Id)>();
        var page = "";
        foreach (var stored in s.Events)
        {
            var e = stored.Event;
            switch (e.Type)
            {
                case EventType.View:
                    page = PageAccumulator.PageOf(e);
                    rated.Add((page, null, Apdex.Classify(e.Duration, apdex.ViewMs, e.Failed), null));
                    break;
                case EventType.Action:
                    var cls = Apdex.Classify(e.Duration, apdex.ActionMs, e.Failed || e.Frustration?.Contains("error", StringComparison.Ordinal) == true);
                    rated.Add((page, e.Name ?? e.Target ?? "action", cls, e.ActionId));
                    break;
                case EventType.Error when e.ActionId is { } id:
                    (failedActions ??= new HashSet<string>(StringComparer.Ordinal)).Add(id);
                    break;
            }
        }
        foreach (var (onPage, action, cls, id) in rated)
        {
            var c = id is not null && failedActions?.Contains(id) == true ? ApdexClass.Frustrated : cls;
            var (satisfied, tolerating, frustrated) = (c == ApdexClass.Satisfied ? 1 : 0, c == ApdexClass.Tolerating ? 1 : 0, c == ApdexClass.Frustrated ? 1 : 0);
            // An action counts for itself and for its page.
            AddApdex("page", onPage, satisfied, tolerating, frustrated);
            if (action is not null)
            {
                AddApdex("action", onPage + " › " + action, satisfied, tolerating, frustrated);
            }
        }
    }

    private void AddApdex(string kind, string key, long satisfied, long tolerating, long frustrated)
    {
        var slot = Slot(_apdex, (kind, key));
        slot[0] += satisfied;
        slot[1] += tolerating;
        slot[2] += frustrated;
    }

    private static long[] Row(Core.Sessions.Experience e, bool converted) =>
        [e == Core.Sessions.Experience.Satisfied ? 1 : 0, e == Core.Sessions.Experience.Tolerating ? 1 : 0, e == Core.Sessions.Experience.Frustrated ? 1 : 0, converted ? 1 : 0, 1];

    private static void AddTo(long[] to, long[] row)
    {
        for (var i = 0; i < row.Length; i++)
        {
            to[i] += row[i];
        }
    }

    private static long[] Slot<TKey>(Dictionary<TKey, long[]> d, TKey key) where TKey : notnull
    {
        if (!d.TryGetValue(key, out var v))
        {
            d[key] = v = new long[5];
        }
        return v;
    }

    private ExperienceRow ToRow(string group, string key, long[] v)
    {
        var apdexKey = group == "all"
            ? _apdex.Where(kv => kv.Key.Item1 == "app").Aggregate(new long[3], (sum, kv) => [sum[0] + kv.Value[0], sum[1] + kv.Value[1], sum[2] + kv.Value[2]])
            : group is "channel" or "app" ? _apdex.GetValueOrDefault((group, key)) : null;
        return new ExperienceRow(group, key, v[4], v[0], v[1], v[2], v[3], apdexKey is null ? null : Core.Sessions.Apdex.Score(apdexKey[0], apdexKey[1], apdexKey[2]));
    }
}
