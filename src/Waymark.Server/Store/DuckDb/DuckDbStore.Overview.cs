using System.Data.Common;
using System.Globalization;
using DuckDB.NET.Data;
using Waymark.Core.Events;
using Waymark.Server.Store;

namespace Waymark.Server.Store.DuckDb;

public sealed partial class DuckDbStore : ISessionAnalytics
{
    // The figures of a group of sessions; a customer is a user tag, or the
    // visitor while it has none.
    private const string Figures = """
        count(*), count(DISTINCT coalesce(user_tag, visitor)), count(*) FILTER (WHERE converted),
        coalesce(sum(conversion_value) FILTER (WHERE converted), 0),
        count(*) FILTER (WHERE experience = 'satisfied'), count(*) FILTER (WHERE experience = 'tolerating'),
        count(*) FILTER (WHERE experience = 'frustrated'),
        coalesce(sum(satisfied), 0)::BIGINT, coalesce(sum(tolerating), 0)::BIGINT, coalesce(sum(frustrated), 0)::BIGINT,
        count(*) FILTER (WHERE errors > 0)
        """;

    public async Task<OverviewData> OverviewAsync(OverviewQuery query, CancellationToken cancellationToken)
    {
        var c = await RentReaderAsync(cancellationToken);
        try
        {
            return await OverviewAsync(c, query, cancellationToken);
        }
        finally
        {
            ReturnReader(c);
        }
    }

    private static async Task<OverviewData> OverviewAsync(DuckDBConnection c, OverviewQuery q, CancellationToken cancellationToken)
    {
        var scope = (q.App is null ? "" : " AND app = $app") + (q.Channel is null ? "" : " AND channel = $channel");
        var range = " AND end_ts >= $from AND start_ts < $to" + scope;

        long activeCustomers = 0, activeSessions = 0;
        await ReadAsync(c, "SELECT count(DISTINCT coalesce(user_tag, visitor)), count(*) FROM sessions WHERE NOT ended" + scope,
            q, r =>
            {
                activeCustomers = Lng(r, 0);
                activeSessions = Lng(r, 1);
            }, cancellationToken);

        var all = new SessionFigures(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        await ReadAsync(c, $"SELECT {Figures} FROM sessions WHERE true{range}", q, r => all = ReadFigures(r, 0), cancellationToken);

        var channels = new List<ChannelFigures>();
        await ReadAsync(c, $"SELECT channel, {Figures} FROM sessions WHERE true{range} GROUP BY channel ORDER BY count(*) DESC", q,
            r => channels.Add(new ChannelFigures(r.GetString(0), ReadFigures(r, 1))), cancellationToken);
        // The console lists channels in their usual order.
        channels.Sort((a, b) => Order(a.Channel).CompareTo(Order(b.Channel)));

        var buckets = new List<BucketFigures>();
        var unit = q.Daily ? "day" : "hour";
        await ReadAsync(c, $"SELECT date_trunc('{unit}', start_ts) AS b, {Figures} FROM sessions WHERE start_ts >= $from AND start_ts < $to{scope} GROUP BY b ORDER BY b", q,
            r => buckets.Add(new BucketFigures(Utc(r, 0), ReadFigures(r, 1))), cancellationToken);

        var eventScope = " AND ts >= $from AND ts < $to" + scope;
        var errors = new List<ErrorGroup>();
        await ReadAsync(c, $"""
            SELECT coalesce(fingerprint, message, '?') AS fp, any_value(message), any_value(source),
                   count(DISTINCT coalesce(user_tag, visitor)) AS customers, count(DISTINCT session), count(*), max(ts),
                   arg_max(app, ts), arg_max(session, ts)
            FROM events WHERE type = {(int)EventType.Error}{eventScope}
            GROUP BY fp ORDER BY customers DESC, count(*) DESC, fp LIMIT 10
            """, q, r => errors.Add(new ErrorGroup(r.GetString(0), Str(r, 1), Str(r, 2), Lng(r, 3), Lng(r, 4), Lng(r, 5), Utc(r, 6), r.GetString(7), r.GetString(8))),
            cancellationToken);

        var hosts = new List<ThirdPartyHost>();
        await ReadAsync(c, $"""
            SELECT regexp_extract(url, '^[a-zA-Z][a-zA-Z0-9+.-]*://([^/:?#]+)', 1) AS host, count(*),
                   quantile_cont(duration, 0.5), quantile_cont(duration, 0.75) AS p75, quantile_cont(duration, 0.95),
                   count(*) FILTER (WHERE failed OR status = 0 OR status >= 500)
            FROM events WHERE type = {(int)EventType.Request} AND third_party{eventScope}
            GROUP BY host HAVING host <> '' ORDER BY p75 DESC NULLS LAST LIMIT 10
            """, q, r => hosts.Add(new ThirdPartyHost(r.GetString(0), Lng(r, 1), Dbl(r, 2), Dbl(r, 3), Dbl(r, 4), Lng(r, 5))), cancellationToken);

        var vitals = new List<VitalFigure>();
        await ReadAsync(c, $"""
            SELECT upper(name) AS n, CASE WHEN device_class IN ('mobile', 'tablet') THEN 'mobile' ELSE 'desktop' END AS d,
                   quantile_cont(value, 0.75), count(*)
            FROM events WHERE type = {(int)EventType.Vital} AND value IS NOT NULL AND upper(name) IN ('LCP', 'INP', 'CLS'){eventScope}
            GROUP BY n, d ORDER BY n, d
            """, q, r => vitals.Add(new VitalFigure(r.GetString(0), r.GetString(1), Dbl(r, 2) ?? 0, Lng(r, 3))), cancellationToken);

        return new OverviewData(activeCustomers, activeSessions, all, channels, buckets, errors, hosts, vitals);
    }

    private static int Order(string channel)
    {
        var i = Channels.All.ToList().IndexOf(channel);
        return i < 0 ? int.MaxValue : i;
    }

    private static SessionFigures ReadFigures(DbDataReader r, int i) => new(
        Lng(r, i), Lng(r, i + 1), Lng(r, i + 2), Dbl(r, i + 3) ?? 0, Lng(r, i + 4), Lng(r, i + 5), Lng(r, i + 6),
        Lng(r, i + 7), Lng(r, i + 8), Lng(r, i + 9), Lng(r, i + 10));

    private static async Task ReadAsync(DuckDBConnection c, string sql, OverviewQuery q, Action<DbDataReader> row, CancellationToken cancellationToken)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        // Only the parameters the statement names: DuckDB refuses extra ones.
        void Bind(string name, object? value)
        {
            if (sql.Contains("$" + name, StringComparison.Ordinal))
            {
                cmd.Parameters.Add(new DuckDBParameter(name, value ?? DBNull.Value));
            }
        }
        Bind("app", q.App);
        Bind("channel", q.Channel);
        Bind("from", q.From.UtcDateTime);
        Bind("to", q.To.UtcDateTime);
        using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            row(r);
        }
    }
}

public sealed partial class DuckDbStore
{
    private static string? Str(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static double? Dbl(DbDataReader r, int i) => r.IsDBNull(i) ? null : Convert.ToDouble(r.GetValue(i), CultureInfo.InvariantCulture);

    private static long Lng(DbDataReader r, int i) => r.IsDBNull(i) ? 0 : r.GetValue(i) switch
    {
        System.Numerics.BigInteger b => (long)b,
        var v => Convert.ToInt64(v, CultureInfo.InvariantCulture),
    };

    private static DateTimeOffset Utc(DbDataReader r, int i) => new(DateTime.SpecifyKind(r.GetDateTime(i), DateTimeKind.Utc));
}
