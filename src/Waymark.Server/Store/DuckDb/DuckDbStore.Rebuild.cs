using DuckDB.NET.Data;
using Waymark.Core.Events;
using Waymark.Core.Sessions;

using Waymark.Server.Store;

namespace Waymark.Server.Store.DuckDb;

public sealed partial class DuckDbStore
{
    /// <summary>
    /// Sessions and links are derived from events. When they lag the events
    /// (a crash between a commit of events and the deriver's next round) the
    /// sessions those events touched, and their links, are derived again;
    /// when older code derived them, all are. Runs before the store takes writes.
    /// </summary>
    private void RebuildIfLagging()
    {
        var c = _deriver!;
        var derivedSeq = Scalar(c, "SELECT value FROM meta WHERE name = 'derived_seq'");
        var version = Scalar(c, "SELECT value FROM meta WHERE name = 'derived_version'");
        if (derivedSeq >= _seq && version == DuckDbSchema.DerivedVersion)
        {
            return;
        }
        if (_seq == 0)
        {
            // A new file: nothing to derive, only the version to record.
            RebuildSessions();
            return;
        }
        LogRebuilding(_logger, derivedSeq, _seq, version, DuckDbSchema.DerivedVersion);
        var sessions = version == DuckDbSchema.DerivedVersion ? RebuildSessions(derivedSeq) : RebuildSessions();
        LogRebuilt(_logger, sessions);
    }

    /// <summary>
    /// Derives sessions again from the stored events: every session, or only
    /// those with an event after <paramref name="afterSeq"/> (whose links are
    /// derived again too). Returns how many.
    /// </summary>
    internal int RebuildSessions(long? afterSeq = null)
    {
        var c = _deriver!;
        using var tx = c.BeginTransaction();
        if (afterSeq is null)
        {
            Execute(c, "DELETE FROM sessions");
        }
        var count = 0;
        using (var appender = c.CreateAppender("temp", "main", "staging_sessions"))
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = afterSeq is null
                ? $"SELECT {DuckDbSchema.EventSelect} FROM events ORDER BY app, session, ts, seq"
                : $"""
                   SELECT {DuckDbSchema.EventSelect} FROM events
                   SEMI JOIN (SELECT DISTINCT app AS a, session AS s FROM events WHERE seq > $after) t ON events.app = t.a AND events.session = t.s
                   ORDER BY app, session, ts, seq
                   """;
            if (afterSeq is { } after)
            {
                cmd.Parameters.Add(new DuckDBParameter("after", after));
            }
            using var r = cmd.ExecuteReader();
            SessionAggregator? current = null;
            while (r.Read())
            {
                var stored = DuckDbRows.ReadEvent(r);
                if (current is null || current.Summary.App != stored.Context.App || current.Summary.SessionId != stored.Session)
                {
                    if (current is not null)
                    {
                        DuckDbRows.AppendSession(appender, current.Summary);
                        count++;
                    }
                    var summary = SessionAggregator.Begin(stored.Context, stored.Session, stored.Event.Timestamp);
                    current = new SessionAggregator(summary, _apdex.For(stored.Context.App));
                }
                current.Add(stored.Context, stored.Event);
            }
            if (current is not null)
            {
                DuckDbRows.AppendSession(appender, current.Summary);
                count++;
            }
        }
        Execute(c, "INSERT OR REPLACE INTO sessions SELECT * FROM temp.staging_sessions");
        Execute(c, "DELETE FROM temp.staging_sessions");
        // A session followed by a later one of the same visitor and channel has
        // ended, though the events do not say by which rule.
        Execute(c, """
            UPDATE sessions SET ended = true, end_reason = coalesce(end_reason, 'superseded')
            FROM (SELECT app AS a, session_id AS sid,
                         row_number() OVER (PARTITION BY app, visitor, channel ORDER BY start_ts DESC) AS rn
                  FROM sessions) latest
            WHERE sessions.app = latest.a AND sessions.session_id = latest.sid AND latest.rn > 1 AND NOT sessions.ended
            """);
        if (afterSeq is { } since)
        {
            RederiveLinks(c, since);
        }
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "UPDATE meta SET value = CASE name WHEN 'derived_seq' THEN $seq ELSE $version END";
            cmd.Parameters.Add(new DuckDBParameter("seq", _seq));
            cmd.Parameters.Add(new DuckDBParameter("version", DuckDbSchema.DerivedVersion));
            cmd.ExecuteNonQuery();
        }
        tx.Commit();
        return count;
    }

    /// <summary>The links of the events after <paramref name="afterSeq"/>, each event as a batch of its own (link ids do not depend on the batch).</summary>
    private void RederiveLinks(DuckDBConnection c, long afterSeq)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT {DuckDbSchema.EventSelect} FROM events WHERE seq > $after AND (user_tag IS NOT NULL OR type = $identify) ORDER BY seq";
        cmd.Parameters.Add(new DuckDBParameter("after", afterSeq));
        cmd.Parameters.Add(new DuckDBParameter("identify", (byte)EventType.Identify));
        using var r = cmd.ExecuteReader();
        var batches = new List<WriteBatch>();
        while (r.Read())
        {
            var e = DuckDbRows.ReadEvent(r);
            batches.Add(new WriteBatch(e.Context, [e.Event], [e.Session], []));
        }
        WriteLinks(c, batches);
    }

    public async Task<IReadOnlyList<StoredSession>> LoadLatestSessionsAsync(string app, string visitor, CancellationToken cancellationToken)
    {
        var c = await RentReaderAsync(cancellationToken);
        try
        {
            var latest = new List<SessionSummary>();
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = $"""
                    SELECT {DuckDbSchema.SessionSelect} FROM sessions WHERE app = $app AND visitor = $visitor
                    QUALIFY row_number() OVER (PARTITION BY channel ORDER BY end_ts DESC) = 1
                    """;
                cmd.Parameters.Add(new DuckDBParameter("app", app));
                cmd.Parameters.Add(new DuckDBParameter("visitor", visitor));
                using var r = await cmd.ExecuteReaderAsync(cancellationToken);
                while (await r.ReadAsync(cancellationToken))
                {
                    latest.Add(DuckDbRows.ReadSession(r));
                }
            }
            var result = new List<StoredSession>(latest.Count);
            foreach (var s in latest)
            {
                var events = await ReadSessionEventsAsync(c, s, cancellationToken);
                result.Add(new StoredSession(s, events.Select(e => (e.Context, e.Event)).ToList()));
            }
            return result;
        }
        finally
        {
            ReturnReader(c);
        }
    }

    /// <summary>
    /// A session's events. The received-time bounds let DuckDB skip every row
    /// group written outside the session's life (received grows with the
    /// append order, so its zone maps are tight).
    /// </summary>
    internal static async Task<List<StoredEvent>> ReadSessionEventsAsync(DuckDBConnection c, SessionSummary s, CancellationToken cancellationToken)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"""
            SELECT {DuckDbSchema.EventSelect} FROM events
            WHERE app = $app AND session = $session AND received BETWEEN $from AND $to
            ORDER BY ts, seq
            """;
        cmd.Parameters.Add(new DuckDBParameter("app", s.App));
        cmd.Parameters.Add(new DuckDBParameter("session", s.SessionId));
        cmd.Parameters.Add(new DuckDBParameter("from", s.FirstReceived.UtcDateTime));
        cmd.Parameters.Add(new DuckDBParameter("to", s.LastReceived.UtcDateTime));
        using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = new List<StoredEvent>();
        while (await r.ReadAsync(cancellationToken))
        {
            list.Add(DuckDbRows.ReadEvent(r));
        }
        return list;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Derived tables lag the events (derived up to {DerivedSeq}, events up to {Seq}, version {Version} of {Current}); rebuilding")]
    private static partial void LogRebuilding(ILogger logger, long derivedSeq, long seq, long version, long current);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rebuilt {Sessions} sessions from the events")]
    private static partial void LogRebuilt(ILogger logger, int sessions);
}
