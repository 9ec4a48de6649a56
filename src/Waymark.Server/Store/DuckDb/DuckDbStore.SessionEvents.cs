using System.Runtime.CompilerServices;
using DuckDB.NET.Data;
using Waymark.Core.Events;
using Waymark.Core.Sessions;
using Waymark.Server.Store;

namespace Waymark.Server.Store.DuckDb;

public sealed partial class DuckDbStore : ISessionEvents
{
    public async IAsyncEnumerable<SessionWithEvents> ReadSessionEventsAsync(SessionEventsQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var left = query.MaxSessions;
        // Only the days that have sessions: a range of "all time" is not 36,500 queries.
        if (await StartBoundsAsync(query, cancellationToken) is not var (first, last))
        {
            yield break;
        }
        foreach (var (from, to) in SessionEventDays.Of(first, last))
        {
            if (left <= 0)
            {
                yield break;
            }
            var chunk = await ReadDayAsync(query, from, to, left, cancellationToken);
            left -= chunk.Count;
            foreach (var s in chunk)
            {
                yield return s;
            }
        }
    }

    private async Task<(DateTimeOffset, DateTimeOffset)?> StartBoundsAsync(SessionEventsQuery q, CancellationToken cancellationToken)
    {
        var c = await RentReaderAsync(cancellationToken);
        try
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT min(start_ts), max(start_ts) FROM sessions WHERE app = $app AND start_ts >= $from AND start_ts < $to"
                + (q.Channel is null ? "" : " AND channel = $channel");
            cmd.Parameters.Add(new DuckDBParameter("app", q.App));
            cmd.Parameters.Add(new DuckDBParameter("from", q.From.UtcDateTime));
            cmd.Parameters.Add(new DuckDBParameter("to", q.To.UtcDateTime));
            if (q.Channel is not null)
            {
                cmd.Parameters.Add(new DuckDBParameter("channel", q.Channel));
            }
            using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            return await r.ReadAsync(cancellationToken) && !r.IsDBNull(0)
                ? SessionEventDays.Bounds(q, Utc(r, 0), Utc(r, 1))
                : null;
        }
        finally
        {
            ReturnReader(c);
        }
    }

    private async Task<List<SessionWithEvents>> ReadDayAsync(SessionEventsQuery q, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        var c = await RentReaderAsync(cancellationToken);
        try
        {
            List<SessionSummary> sessions;
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = "SELECT * FROM sessions WHERE app = $app AND start_ts >= $from AND start_ts < $to"
                    + (q.Channel is null ? "" : " AND channel = $channel") + " ORDER BY start_ts, session_id LIMIT $limit";
                cmd.Parameters.Add(new DuckDBParameter("app", q.App));
                cmd.Parameters.Add(new DuckDBParameter("from", from.UtcDateTime));
                cmd.Parameters.Add(new DuckDBParameter("to", to.UtcDateTime));
                if (q.Channel is not null)
                {
                    cmd.Parameters.Add(new DuckDBParameter("channel", q.Channel));
                }
                cmd.Parameters.Add(new DuckDBParameter("limit", limit));
                using var r = await cmd.ExecuteReaderAsync(cancellationToken);
                sessions = await DuckDbRows.ReadSessionsAsync(r, cancellationToken);
            }
            if (sessions.Count == 0)
            {
                return [];
            }
            var byKey = SessionEventDays.Index(sessions);
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = $"""
                    SELECT * FROM events
                    WHERE app = $app AND received >= $from AND received <= $to AND type < {(int)EventType.SessionStarted}
                    ORDER BY ts, seq
                    """;
                cmd.Parameters.Add(new DuckDBParameter("app", q.App));
                cmd.Parameters.Add(new DuckDBParameter("from", sessions.Min(s => s.FirstReceived).UtcDateTime));
                cmd.Parameters.Add(new DuckDBParameter("to", sessions.Max(s => s.LastReceived).UtcDateTime));
                using var r = await cmd.ExecuteReaderAsync(cancellationToken);
                var seen = new HashSet<(string, string)>();
                foreach (var e in await DuckDbRows.ReadEventsAsync(r, cancellationToken))
                {
                    SessionEventDays.Add(byKey, seen, e);
                }
            }
            return SessionEventDays.Collect(sessions, byKey);
        }
        finally
        {
            ReturnReader(c);
        }
    }
}
