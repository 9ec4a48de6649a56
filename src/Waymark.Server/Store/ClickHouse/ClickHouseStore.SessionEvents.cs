using System.Runtime.CompilerServices;
using Waymark.Server.Store;

namespace Waymark.Server.Store.ClickHouse;

public sealed partial class ClickHouseStore : ISessionEvents
{
    public async IAsyncEnumerable<SessionWithEvents> ReadSessionEventsAsync(SessionEventsQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var left = query.MaxSessions;
        // Only the days that have sessions: a range of "all time" is not 36,500 queries.
        var bounds = (await _http.QueryAsync($"""
            SELECT count() AS n, min(start_us) AS first, max(start_us) AS last FROM sessions
            WHERE app = {Sql.Str(query.App)} AND start_us >= {Sql.Num(Sql.Us(query.From))} AND start_us < {Sql.Num(Sql.Us(query.To))}
            {(query.Channel is null ? "" : "AND channel = " + Sql.Str(query.Channel))}
            """, cancellationToken)).FirstOrDefault();
        if (bounds.ValueKind != System.Text.Json.JsonValueKind.Object || ClickHouseRows.L(bounds, "n") == 0)
        {
            yield break;
        }
        var (first, last) = SessionEventDays.Bounds(query, ClickHouseRows.T(bounds, "first"), ClickHouseRows.T(bounds, "last"));
        foreach (var (from, to) in SessionEventDays.Of(first, last))
        {
            if (left <= 0)
            {
                yield break;
            }
            var rows = await _http.QueryAsync($"""
                SELECT * FROM sessions FINAL
                WHERE app = {Sql.Str(query.App)} AND start_us >= {Sql.Num(Sql.Us(from))} AND start_us < {Sql.Num(Sql.Us(to))}
                {(query.Channel is null ? "" : "AND channel = " + Sql.Str(query.Channel))}
                ORDER BY start_us, session_id LIMIT {Sql.Num(left)}
                """, cancellationToken);
            var sessions = rows.Select(ClickHouseRows.ReadSession).ToList();
            if (sessions.Count == 0)
            {
                continue;
            }
            left -= sessions.Count;
            var index = SessionEventDays.Index(sessions);
            var events = await _http.QueryAsync($"""
                SELECT * FROM events
                WHERE app = {Sql.Str(query.App)} AND type < {Client}
                  AND received_us >= {Sql.Num(Sql.Us(sessions.Min(s => s.FirstReceived)))} AND received_us <= {Sql.Num(Sql.Us(sessions.Max(s => s.LastReceived)))}
                ORDER BY ts_us, seq
                """, cancellationToken);
            var seen = new HashSet<(string, string)>();
            foreach (var e in events.Select(ClickHouseRows.ReadEvent))
            {
                SessionEventDays.Add(index, seen, e);
            }
            foreach (var s in SessionEventDays.Collect(sessions, index))
            {
                yield return s;
            }
        }
    }
}
