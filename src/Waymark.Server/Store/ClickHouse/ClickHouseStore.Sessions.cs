using System.Text;
using Waymark.Core.Sessions;
using Waymark.Server.Store;

namespace Waymark.Server.Store.ClickHouse;

public sealed partial class ClickHouseStore : ISessionReadModel
{
    /// <summary>The WHERE of a session query, every value a literal written by <see cref="Sql"/>.</summary>
    private static string Where(SessionQuery q)
    {
        var w = new StringBuilder("1");
        void Eq(string column, string? value)
        {
            if (value is not null)
            {
                w.Append(" AND ").Append(column).Append(" = ").Append(Sql.Str(value));
            }
        }
        Eq("app", q.App);
        Eq("channel", q.Channel);
        Eq("country", q.Country?.ToUpperInvariant());
        Eq("city", q.City);
        Eq("device_class", q.DeviceClass);
        Eq("browser", q.Browser);
        Eq("app_version", q.AppVersion);
        Eq("user_tag", q.UserTag);
        Eq("visitor", q.Visitor);
        Eq("experience", q.Experience is { } x ? ExperienceScore.Name(x) : null);
        if (q.From is { } from)
        {
            w.Append(" AND end_us >= ").Append(Sql.Num(Sql.Us(from)));
        }
        if (q.To is { } to)
        {
            w.Append(" AND start_us < ").Append(Sql.Num(Sql.Us(to)));
        }
        if (q.HasErrors is { } e)
        {
            w.Append(e ? " AND errors > 0" : " AND errors = 0");
        }
        if (q.Converted is { } c)
        {
            w.Append(c ? " AND converted = 1" : " AND converted = 0");
        }
        if (q.Active is { } a)
        {
            w.Append(a ? " AND ended = 0" : " AND ended = 1");
        }
        if (q.Visitors is not null || q.SessionIds is not null)
        {
            w.Append(" AND (visitor IN ").Append(Sql.List(q.Visitors ?? [])).Append(" OR session_id IN ").Append(Sql.List(q.SessionIds ?? [])).Append(')');
        }
        return w.ToString();
    }

    public async Task<(IReadOnlyList<SessionSummary> Sessions, long Total)> QueryAsync(SessionQuery query, CancellationToken cancellationToken)
    {
        var where = Where(query);
        var total = await ScalarAsync($"SELECT count() FROM sessions FINAL WHERE {where}", cancellationToken);
        if (total <= query.Offset)
        {
            return ([], total);
        }
        var order = query.Order == SessionOrder.FrustratedFirst
            ? "multiIf(experience = 'frustrated', 0, experience = 'tolerating', 1, 2), start_us DESC, session_id"
            : "start_us DESC, session_id";
        var rows = await _http.QueryAsync(
            $"SELECT * FROM sessions FINAL WHERE {where} ORDER BY {order} LIMIT {Sql.Num(query.Offset)}, {Sql.Num(query.Limit)}", cancellationToken);
        return ([.. rows.Select(ClickHouseRows.ReadSession)], total);
    }

    public async Task<SessionSummary?> GetAsync(string? app, string sessionId, CancellationToken cancellationToken)
    {
        var rows = await _http.QueryAsync(
            $"SELECT * FROM sessions FINAL WHERE session_id = {Sql.Str(sessionId)}{(app is null ? "" : " AND app = " + Sql.Str(app))} LIMIT 1", cancellationToken);
        return rows.Count == 0 ? null : ClickHouseRows.ReadSession(rows[0]);
    }

    public async Task<IReadOnlyList<StoredEvent>> GetTimelineAsync(SessionSummary session, CancellationToken cancellationToken)
    {
        var rows = await _http.QueryAsync($"""
            SELECT * FROM events
            WHERE app = {Sql.Str(session.App)} AND visitor = {Sql.Str(session.Visitor)} AND session = {Sql.Str(session.SessionId)}
              AND received_us >= {Sql.Num(Sql.Us(session.FirstReceived))} AND received_us <= {Sql.Num(Sql.Us(session.LastReceived))} AND type < {Client}
            ORDER BY ts_us, seq LIMIT 1 BY event_id
            """, cancellationToken);
        return [.. rows.Select(ClickHouseRows.ReadEvent).OrderBy(e => e.Event.Timestamp)];
    }

    public async Task<Facets> FacetsAsync(string? app, CancellationToken cancellationToken)
    {
        async Task<IReadOnlyList<string>> DistinctAsync(string column)
        {
            // column is one of the names below, never input.
            var rows = await _http.QueryAsync(
                $"SELECT DISTINCT {column} AS v FROM sessions FINAL WHERE {column} IS NOT NULL{(app is null ? "" : " AND app = " + Sql.Str(app))} ORDER BY v LIMIT 200",
                cancellationToken);
            return [.. rows.Select(r => ClickHouseRows.S(r, "v")!).Where(v => v is not null)];
        }
        return new Facets(await DistinctAsync("country"), await DistinctAsync("city"), await DistinctAsync("device_class"),
            await DistinctAsync("browser"), await DistinctAsync("app_version"));
    }

    public Task<long> CountEventsAsync(string? app, CancellationToken cancellationToken) =>
        // An event id counts once per visitor, whatever a retry did.
        ScalarAsync($"SELECT uniqExact(visitor, event_id) FROM events WHERE type < {Client}{(app is null ? "" : " AND app = " + Sql.Str(app))}", cancellationToken);
}
