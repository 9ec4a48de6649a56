using System.Text.Json;
using Waymark.Core.Events;
using Waymark.Core.Journeys;
using Waymark.Server.Store;

namespace Waymark.Server.Store.ClickHouse;

public sealed partial class ClickHouseStore
{
    private const int Client = (int)EventType.SessionStarted;

    public async Task<IReadOnlyList<StoredEventId>> FindEventIdsAsync(
        string app, string visitor, IReadOnlyCollection<string>? eventIds, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var ids = eventIds is null ? "" : " AND event_id IN " + Sql.List(eventIds);
        var rows = await _http.QueryAsync($"""
            SELECT event_id, any(session) AS s, min(received_us) AS r FROM events
            WHERE app = {Sql.Str(app)} AND visitor = {Sql.Str(visitor)} AND received_us >= {Sql.Num(Sql.Us(from))} AND received_us <= {Sql.Num(Sql.Us(to))}
              AND type < {Client}{ids}
            GROUP BY event_id
            """, cancellationToken);
        return [.. rows.Select(r => new StoredEventId(ClickHouseRows.S(r, "event_id")!, ClickHouseRows.S(r, "s")!, ClickHouseRows.T(r, "r")))];
    }

    public async Task<IReadOnlyList<JourneyFact>> LoadLatestSessionsAsync(string app, string visitor, CancellationToken cancellationToken)
    {
        // The latest session of each channel, then its facts in append order (an event id once).
        var latest = await _http.QueryAsync($"""
            SELECT session_id, first_received_us FROM sessions FINAL
            WHERE app = {Sql.Str(app)} AND visitor = {Sql.Str(visitor)}
            ORDER BY channel, start_us DESC LIMIT 1 BY channel
            """, cancellationToken);
        if (latest.Count == 0)
        {
            return [];
        }
        var sessions = latest.Select(r => ClickHouseRows.S(r, "session_id")!).ToList();
        var from = latest.Min(r => ClickHouseRows.L(r, "first_received_us"));
        var rows = await _http.QueryAsync($"""
            SELECT * FROM events
            WHERE app = {Sql.Str(app)} AND visitor = {Sql.Str(visitor)} AND session IN {Sql.List(sessions)} AND received_us >= {Sql.Num(from)}
            ORDER BY seq LIMIT 1 BY event_id
            """, cancellationToken);
        return [.. rows.OrderBy(r => r.GetProperty("seq").GetUInt64()).Select(r => ClickHouseRows.ReadEvent(r)).Select(e => new JourneyFact(e.Session, e.Context, e.Event))];
    }

    public async Task<IReadOnlyList<DueVisitor>> DueVisitorsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var rows = await _http.QueryAsync($"""
            SELECT app, visitor, argMax(due_us, version) AS due, argMax(cleared, version) AS gone FROM deadlines
            GROUP BY app, visitor HAVING gone = 0 AND due <= {Sql.Num(Sql.Us(now))}
            ORDER BY due LIMIT {Sql.Num(limit)}
            """, cancellationToken);
        return [.. rows.Select(r => new DueVisitor(ClickHouseRows.S(r, "app")!, ClickHouseRows.S(r, "visitor")!, ClickHouseRows.T(r, "due")))];
    }

    /// <summary>A scalar of the first row's first column.</summary>
    private async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        var rows = await _http.QueryAsync(sql, cancellationToken);
        if (rows.Count == 0)
        {
            return 0;
        }
        foreach (var p in rows[0].EnumerateObject())
        {
            return p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetInt64() : 0;
        }
        return 0;
    }
}
