using System.Globalization;
using DuckDB.NET.Data;
using Waymark.Core.Sessions;
using Waymark.Server.Store;

namespace Waymark.Server.Store.DuckDb;

public sealed partial class DuckDbStore : ISessionReadModel
{
    // Per app (or "" for all): the filter choices and when they were read.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (Facets Facets, long At)> _facets = new(StringComparer.Ordinal);

    public async Task<(IReadOnlyList<SessionSummary> Sessions, long Total)> QueryAsync(SessionQuery query, CancellationToken cancellationToken)
    {
        var q = query;
        var where = new SqlWhere();
        where.Add("app = $app", "app", q.App);
        where.Add("channel = $channel", "channel", q.Channel);
        where.Add("country = $country", "country", q.Country?.ToUpperInvariant());
        where.Add("city = $city", "city", q.City);
        where.Add("device_class = $device", "device", q.DeviceClass);
        where.Add("browser = $browser", "browser", q.Browser);
        where.Add("app_version = $version", "version", q.AppVersion);
        where.Add("end_ts >= $from", "from", q.From?.UtcDateTime);
        where.Add("start_ts < $to", "to", q.To?.UtcDateTime);
        where.Add("experience = $experience", "experience", q.Experience is { } x ? ExperienceScore.Name(x) : null);
        where.Add("user_tag = $user", "user", q.UserTag);
        where.Add("visitor = $visitor", "visitor", q.Visitor);
        if (q.HasErrors is { } e)
        {
            where.Raw(e ? "errors > 0" : "errors = 0");
        }
        if (q.Converted is { } cv)
        {
            where.Raw(cv ? "converted" : "NOT converted");
        }
        if (q.Active is { } active)
        {
            where.Raw(active ? "NOT ended" : "ended");
        }
        if (q.Visitors is not null || q.SessionIds is not null)
        {
            where.AnyOf(("visitor", q.Visitors ?? []), ("session_id", q.SessionIds ?? []));
        }
        var order = q.Order == SessionOrder.FrustratedFirst
            ? "CASE experience WHEN 'frustrated' THEN 0 WHEN 'tolerating' THEN 1 ELSE 2 END, start_ts DESC, session_id"
            : "start_ts DESC, session_id";

        var c = await RentReaderAsync(cancellationToken);
        try
        {
            long total;
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = "SELECT count(*) FROM sessions " + where.Sql;
                where.Bind(cmd);
                total = Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            }
            if (total <= q.Offset)
            {
                return ([], total);
            }
            using (var cmd = c.CreateCommand())
            {
                // A set of visitors or sessions is an OR that the scan cannot take:
                // match on a narrow scan, then fetch the rows by rowid.
                var from = q.Visitors is null && q.SessionIds is null ? $"sessions {where.Sql}" : $"sessions WHERE rowid IN (SELECT rowid FROM sessions {where.Sql})";
                cmd.CommandText = $"SELECT * FROM {from} ORDER BY {order} LIMIT $limit OFFSET $offset";
                where.Bind(cmd);
                cmd.Parameters.Add(new DuckDBParameter("limit", q.Limit));
                cmd.Parameters.Add(new DuckDBParameter("offset", q.Offset));
                using var r = await cmd.ExecuteReaderAsync(cancellationToken);
                return (await DuckDbRows.ReadSessionsAsync(r, cancellationToken), total);
            }
        }
        finally
        {
            ReturnReader(c);
        }
    }

    public async Task<SessionSummary?> GetAsync(string? app, string sessionId, CancellationToken cancellationToken)
    {
        var c = await RentReaderAsync(cancellationToken);
        try
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT * FROM sessions WHERE session_id = $id" + (app is null ? "" : " AND app = $app") + " LIMIT 1";
            cmd.Parameters.Add(new DuckDBParameter("id", sessionId));
            if (app is not null)
            {
                cmd.Parameters.Add(new DuckDBParameter("app", app));
            }
            using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            return (await DuckDbRows.ReadSessionsAsync(r, cancellationToken)).FirstOrDefault();
        }
        finally
        {
            ReturnReader(c);
        }
    }

    public async Task<IReadOnlyList<StoredEvent>> GetTimelineAsync(SessionSummary session, CancellationToken cancellationToken)
    {
        var c = await RentReaderAsync(cancellationToken);
        try
        {
            return await ReadSessionEventsAsync(c, session, cancellationToken);
        }
        finally
        {
            ReturnReader(c);
        }
    }

    public async Task<Facets> FacetsAsync(string? app, CancellationToken cancellationToken)
    {
        var key = app ?? "";
        // The choices change slowly: read at most once a minute per app.
        if (_facets.TryGetValue(key, out var cached) && System.Diagnostics.Stopwatch.GetElapsedTime(cached.At) < TimeSpan.FromMinutes(1))
        {
            return cached.Facets;
        }
        var c = await RentReaderAsync(cancellationToken);
        try
        {
            var facets = new Facets(
                await DistinctAsync(c, "country", app, cancellationToken),
                await DistinctAsync(c, "city", app, cancellationToken),
                await DistinctAsync(c, "device_class", app, cancellationToken),
                await DistinctAsync(c, "browser", app, cancellationToken),
                await DistinctAsync(c, "app_version", app, cancellationToken));
            if (_facets.Count > 1000)
            {
                _facets.Clear();
            }
            _facets[key] = (facets, System.Diagnostics.Stopwatch.GetTimestamp());
            return facets;
        }
        finally
        {
            ReturnReader(c);
        }
    }

    private static async Task<IReadOnlyList<string>> DistinctAsync(DuckDBConnection c, string column, string? app, CancellationToken cancellationToken)
    {
        using var cmd = c.CreateCommand();
        // column is one of the names above, never input.
        cmd.CommandText = $"SELECT DISTINCT {column} FROM sessions WHERE {column} IS NOT NULL" + (app is null ? "" : " AND app = $app") + $" ORDER BY {column} LIMIT 200";
        if (app is not null)
        {
            cmd.Parameters.Add(new DuckDBParameter("app", app));
        }
        var list = new List<string>();
        using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            list.Add(r.GetString(0));
        }
        return list;
    }

    public async Task<long> CountEventsAsync(string? app, CancellationToken cancellationToken)
    {
        var c = await RentReaderAsync(cancellationToken);
        try
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT count(*) FROM events WHERE type < {(int)Waymark.Core.Events.EventType.SessionStarted}" + (app is null ? "" : " AND app = $app");
            if (app is not null)
            {
                cmd.Parameters.Add(new DuckDBParameter("app", app));
            }
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }
        finally
        {
            ReturnReader(c);
        }
    }
}
