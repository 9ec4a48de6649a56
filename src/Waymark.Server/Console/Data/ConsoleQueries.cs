using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using Microsoft.Extensions.Options;
using Waymark.Core.Sessions;
using Waymark.Server.Store;
using Waymark.Server.Store.DuckDb;

namespace Waymark.Server.Console.Data;

/// <summary>
/// The console's own reads of the store: the find page's search (it filters
/// on more than the query API does), filter choices, the overview figures.
/// Every value goes in as a parameter.
/// </summary>
public sealed partial class ConsoleQueries(DuckDbStore store, TimeProvider clock, IOptions<ConsoleOptions> options)
{
    // Per app (or "" for all): the filter choices and when they were read.
    private readonly ConcurrentDictionary<string, (Facets Facets, DateTimeOffset At)> _facets = new(StringComparer.Ordinal);

    /// <summary>One page of sessions that match, and how many match in all.</summary>
    public async Task<(IReadOnlyList<SessionSummary> Sessions, long Total)> SearchAsync(ConsoleSearch search, CancellationToken cancellationToken)
    {
        var where = new Where();
        var s = search;
        where.Add("app = $app", "app", s.App);
        where.Add("channel = $channel", "channel", s.Channel);
        where.Add("country = $country", "country", s.Country?.ToUpperInvariant());
        where.Add("city = $city", "city", s.City);
        where.Add("device_class = $device", "device", s.Device);
        where.Add("browser = $browser", "browser", s.Browser);
        where.Add("app_version = $version", "version", s.AppVersion);
        where.Add("end_ts >= $from", "from", s.From?.UtcDateTime);
        where.Add("start_ts < $to", "to", s.To?.UtcDateTime);
        where.Add("experience = $experience", "experience", s.Experience is { } x ? ExperienceScore.Name(x) : null);
        where.Add("user_tag = $user", "user", s.UserTag);
        where.Add("last_received >= $since AND NOT ended", "since", s.ActiveSince?.UtcDateTime);
        if (s.HasErrors is { } e)
        {
            where.Raw(e ? "errors > 0" : "errors = 0");
        }
        if (s.Converted is { } cv)
        {
            where.Raw(cv ? "converted" : "NOT converted");
        }
        if (s.Visitors is not null || s.SessionIds is not null)
        {
            where.AnyOf(("visitor", s.Visitors ?? []), ("session_id", s.SessionIds ?? []));
        }
        var order = s.Order == SearchOrder.FrustratedFirst
            ? "CASE experience WHEN 'frustrated' THEN 0 WHEN 'tolerating' THEN 1 ELSE 2 END, start_ts DESC, session_id"
            : "start_ts DESC, session_id";

        await store.WaitDerivedAsync(cancellationToken);
        await Task.Yield();
        using var c = store.RentOwnedConnection();
        long total;
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT count(*) FROM sessions " + where.Sql;
            where.Bind(cmd);
            total = Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }
        var list = new List<SessionSummary>();
        if (total > s.Offset)
        {
            using var cmd = c.CreateCommand();
            // A set of visitors or sessions is an OR that the scan cannot take:
            // match on a narrow scan, then fetch the rows by rowid.
            var from = s.Visitors is null && s.SessionIds is null ? $"sessions {where.Sql}" : $"sessions WHERE rowid IN (SELECT rowid FROM sessions {where.Sql})";
            cmd.CommandText = $"SELECT {DuckDbSchema.SessionSelect} FROM {from} ORDER BY {order} LIMIT $limit OFFSET $offset";
            where.Bind(cmd);
            cmd.Parameters.Add(new DuckDBParameter("limit", s.Limit));
            cmd.Parameters.Add(new DuckDBParameter("offset", s.Offset));
            using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                list.Add(DuckDbRows.ReadSession(r));
            }
        }
        return (list, total);
    }

    /// <summary>The countries, devices, browsers and app versions the sessions of an app have (kept for a minute).</summary>
    public async Task<Facets> FacetsAsync(string? app, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var key = app ?? "";
        if (_facets.TryGetValue(key, out var cached) && now - cached.At < TimeSpan.FromSeconds(options.Value.FacetCacheSeconds))
        {
            return cached.Facets;
        }
        await store.WaitDerivedAsync(cancellationToken);
        await Task.Yield();
        using var c = store.RentOwnedConnection();
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
        _facets[key] = (facets, now);
        return facets;
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

    private static string? Str(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static double? Dbl(DbDataReader r, int i) => r.IsDBNull(i) ? null : Convert.ToDouble(r.GetValue(i), CultureInfo.InvariantCulture);

    private static long Lng(DbDataReader r, int i) => r.IsDBNull(i) ? 0 : r.GetValue(i) switch
    {
        System.Numerics.BigInteger b => (long)b,
        var v => Convert.ToInt64(v, CultureInfo.InvariantCulture),
    };

    private static DateTimeOffset Utc(DbDataReader r, int i) => new(DateTime.SpecifyKind(r.GetDateTime(i), DateTimeKind.Utc));

    /// <summary>A WHERE clause and its parameters; a null value adds nothing.</summary>
    private sealed class Where
    {
        private readonly StringBuilder _sql = new("WHERE true");
        private readonly List<(string Name, object Value)> _parameters = [];

        public string Sql => _sql.ToString();

        public void Add(string clause, string name, object? value)
        {
            if (value is null)
            {
                return;
            }
            _sql.Append(" AND ").Append(clause);
            _parameters.Add((name, value));
        }

        public void Raw(string clause) => _sql.Append(" AND ").Append(clause);

        /// <summary>column IN (values) OR column2 IN (values2): a customer's visitors or sessions.</summary>
        public void AnyOf(params (string Column, IReadOnlyCollection<string> Values)[] sets)
        {
            _sql.Append(" AND (false");
            var n = 0;
            foreach (var (column, values) in sets)
            {
                if (values.Count == 0)
                {
                    continue;
                }
                _sql.Append(" OR ").Append(column).Append(" IN (");
                var first = true;
                foreach (var v in values)
                {
                    var name = "p" + n++.ToString(CultureInfo.InvariantCulture);
                    _sql.Append(first ? "$" : ", $").Append(name);
                    _parameters.Add((name, v));
                    first = false;
                }
                _sql.Append(')');
            }
            _sql.Append(')');
        }

        public void Bind(DuckDBCommand cmd)
        {
            foreach (var (name, value) in _parameters)
            {
                cmd.Parameters.Add(new DuckDBParameter(name, value));
            }
        }
    }
}
