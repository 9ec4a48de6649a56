using System.Text.Json;
using Waymark.Core.Analytics;
using Waymark.Core.Events;
using Waymark.Server.Store;

namespace Waymark.Server.Store.ClickHouse;

public sealed partial class ClickHouseStore : ISessionAnalytics
{
    // The figures of a group of sessions; a customer is a user tag, or the visitor while it has none.
    private const string FigureColumns = """
        count() AS n, uniqExact(ifNull(user_tag, visitor)) AS customers, countIf(converted = 1) AS conv,
        sumIf(conversion_value, converted = 1) AS value, countIf(experience = 'satisfied') AS s, countIf(experience = 'tolerating') AS t,
        countIf(experience = 'frustrated') AS f, sum(satisfied) AS sa, sum(tolerating) AS ta, sum(frustrated) AS fa, countIf(errors > 0) AS witherrors
        """;

    public async Task<OverviewData> OverviewAsync(OverviewQuery query, CancellationToken cancellationToken)
    {
        var q = query;
        var scope = (q.App is null ? "" : " AND app = " + Sql.Str(q.App)) + (q.Channel is null ? "" : " AND channel = " + Sql.Str(q.Channel));
        long from = Sql.Us(q.From), to = Sql.Us(q.To);
        var range = $" AND end_us >= {Sql.Num(from)} AND start_us < {Sql.Num(to)}" + scope;

        var active = (await _http.QueryAsync($"SELECT uniqExact(ifNull(user_tag, visitor)) AS c, count() AS n FROM sessions FINAL WHERE ended = 0{scope}", cancellationToken))[0];
        var all = Figures(( await _http.QueryAsync($"SELECT {FigureColumns} FROM sessions FINAL WHERE 1{range}", cancellationToken))[0]);
        var channels = (await _http.QueryAsync($"SELECT channel, {FigureColumns} FROM sessions FINAL WHERE 1{range} GROUP BY channel", cancellationToken))
            .Select(r => new ChannelFigures(ClickHouseRows.S(r, "channel")!, Figures(r)))
            .OrderBy(c => Order(c.Channel)).ToList();
        // An hour or a day in UTC, as DuckDB's date_trunc on the UTC timestamps.
        var unit = q.Daily ? 86_400_000_000L : 3_600_000_000L;
        var buckets = (await _http.QueryAsync(
                $"SELECT intDiv(start_us, {Sql.Num(unit)}) * {Sql.Num(unit)} AS b, {FigureColumns} FROM sessions FINAL WHERE start_us >= {Sql.Num(from)} AND start_us < {Sql.Num(to)}{scope} GROUP BY b ORDER BY b",
                cancellationToken))
            .Select(r => new BucketFigures(ClickHouseRows.T(r, "b"), Figures(r))).ToList();

        var eventScope = $" AND ts_us >= {Sql.Num(from)} AND ts_us < {Sql.Num(to)}" + scope;
        var errors = (await _http.QueryAsync($"""
            SELECT ifNull(fingerprint, ifNull(message, '?')) AS fp, any(message) AS msg, any(source) AS src,
                   uniqExact(ifNull(user_tag, visitor)) AS customers, uniqExact(session) AS sessions, count() AS n, max(ts_us) AS last,
                   argMax(app, ts_us) AS last_app, argMax(session, ts_us) AS last_session
            FROM events WHERE type = {(int)EventType.Error}{eventScope}
            GROUP BY fp ORDER BY customers DESC, n DESC, fp LIMIT 10
            """, cancellationToken))
            .Select(r => new ErrorGroup(ClickHouseRows.S(r, "fp")!, ClickHouseRows.S(r, "msg"), ClickHouseRows.S(r, "src"),
                ClickHouseRows.L(r, "customers"), ClickHouseRows.L(r, "sessions"), ClickHouseRows.L(r, "n"), ClickHouseRows.T(r, "last"),
                ClickHouseRows.S(r, "last_app")!, ClickHouseRows.S(r, "last_session")!)).ToList();

        // Percentiles from the values, as DuckDB's quantile_cont computes them (Core's Percentiles): both stores give the same figures.
        var hosts = (await _http.QueryAsync($"""
            SELECT extract(ifNull(url, ''), '^[a-zA-Z][a-zA-Z0-9+.-]*://([^/:?#]+)') AS host, count() AS n,
                   groupArray(duration) AS durations, countIf(failed = 1 OR status = 0 OR status >= 500) AS failures
            FROM events WHERE type = {(int)EventType.Request} AND third_party = 1{eventScope}
            GROUP BY host HAVING host != ''
            """, cancellationToken))
            .Select(r =>
            {
                var d = Values(r, "durations");
                return new ThirdPartyHost(ClickHouseRows.S(r, "host")!, ClickHouseRows.L(r, "n"), P(d, 0.5), P(d, 0.75), P(d, 0.95), ClickHouseRows.L(r, "failures"));
            })
            .OrderByDescending(h => h.P75 ?? double.MinValue).Take(10).ToList();

        var vitals = (await _http.QueryAsync($"""
            SELECT upper(name) AS vn, if(device_class IN ('mobile', 'tablet'), 'mobile', 'desktop') AS d, groupArray(value) AS v, count() AS c
            FROM events WHERE type = {(int)EventType.Vital} AND value IS NOT NULL AND upper(name) IN ('LCP', 'INP', 'CLS'){eventScope}
            GROUP BY vn, d ORDER BY vn, d
            """, cancellationToken))
            .Select(r => new VitalFigure(ClickHouseRows.S(r, "vn")!, ClickHouseRows.S(r, "d")!, P(Values(r, "v"), 0.75) ?? 0, ClickHouseRows.L(r, "c"))).ToList();

        return new OverviewData(ClickHouseRows.L(active, "c"), ClickHouseRows.L(active, "n"), all, channels, buckets, errors, hosts, vitals);
    }

    private static SessionFigures Figures(JsonElement r) => new(
        ClickHouseRows.L(r, "n"), ClickHouseRows.L(r, "customers"), ClickHouseRows.L(r, "conv"), ClickHouseRows.D(r, "value") ?? 0,
        ClickHouseRows.L(r, "s"), ClickHouseRows.L(r, "t"), ClickHouseRows.L(r, "f"),
        ClickHouseRows.L(r, "sa"), ClickHouseRows.L(r, "ta"), ClickHouseRows.L(r, "fa"), ClickHouseRows.L(r, "witherrors"));

    private static List<double> Values(JsonElement r, string name) =>
        [.. r.GetProperty(name).EnumerateArray().Where(v => v.ValueKind == JsonValueKind.Number).Select(v => v.GetDouble())];

    private static double? P(List<double> values, double q) => values.Count == 0 ? null : Percentiles.Of(values, q);

    private static int Order(string channel)
    {
        var i = Channels.All.ToList().IndexOf(channel);
        return i < 0 ? int.MaxValue : i;
    }
}
