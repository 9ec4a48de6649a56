using DuckDB.NET.Data;
using Waymark.Core.Events;
using Waymark.Core.Journeys;
using Waymark.Core.Sessions;
using Waymark.Server.Store;

namespace Waymark.Server.Store.DuckDb;

public sealed partial class DuckDbStore
{
    /// <summary>
    /// Sessions, links and deadlines are derived from the facts. When they lag
    /// the facts (a crash between a commit of facts and the deriver's next
    /// round) the sessions those facts touched, and their links, are derived
    /// again; when older code derived them, all are. Runs before the store takes writes.
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
    /// Derives sessions again by folding the stored facts of each session in
    /// the order they were appended, as the live journey folded them: every
    /// session, or only those with a fact after <paramref name="afterSeq"/>
    /// (whose links are derived again too). The visitors concerned get a
    /// deadline due at once, so their journeys are woken, rebuilt and set the
    /// real one. Returns how many sessions.
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
                ? "SELECT * FROM events ORDER BY app, session, seq"
                : """
                  SELECT * FROM events
                  SEMI JOIN (SELECT DISTINCT app AS a, session AS s FROM events WHERE seq > $after) t ON events.app = t.a AND events.session = t.s
                  ORDER BY app, session, seq
                  """;
            if (afterSeq is { } after)
            {
                cmd.Parameters.Add(new DuckDBParameter("after", after));
            }
            using var r = cmd.ExecuteReader();
            var o = new DuckDbRows.Ordinals(r);
            SessionAggregator? current = null;
            while (r.Read())
            {
                var stored = DuckDbRows.ReadEvent(r, o);
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
        if (afterSeq is { } since)
        {
            RederiveLinks(c, since);
            using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT OR REPLACE INTO deadlines SELECT DISTINCT app, visitor, TIMESTAMP '1970-01-01' FROM events WHERE seq > $after";
            cmd.Parameters.Add(new DuckDBParameter("after", since));
            cmd.ExecuteNonQuery();
        }
        else
        {
            Execute(c, "INSERT OR REPLACE INTO deadlines SELECT DISTINCT app, visitor, TIMESTAMP '1970-01-01' FROM sessions WHERE NOT ended");
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

    /// <summary>The links of the facts after <paramref name="afterSeq"/>, each fact as an append of its own (link ids do not depend on the append).</summary>
    private void RederiveLinks(DuckDBConnection c, long afterSeq)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT * FROM events WHERE seq > $after AND (user_tag IS NOT NULL OR type = $identify) ORDER BY seq";
        cmd.Parameters.Add(new DuckDBParameter("after", afterSeq));
        cmd.Parameters.Add(new DuckDBParameter("identify", (byte)EventType.Identify));
        using var r = cmd.ExecuteReader();
        var o = new DuckDbRows.Ordinals(r);
        var appends = new List<JourneyAppend>();
        while (r.Read())
        {
            var e = DuckDbRows.ReadEvent(r, o);
            appends.Add(new JourneyAppend(e.Context.App, e.Context.Visitor, [new JourneyFact(e.Session, e.Context, e.Event)], [], null));
        }
        WriteLinks(c, appends);
    }

    public async Task<IReadOnlyList<JourneyFact>> LoadLatestSessionsAsync(string app, string visitor, CancellationToken cancellationToken)
    {
        if (!MayKnowVisitor(app, visitor))
        {
            return [];
        }
        var c = await RentReaderAsync(cancellationToken);
        try
        {
            List<SessionSummary> latest;
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = """
                    SELECT * FROM sessions WHERE app = $app AND visitor = $visitor
                    QUALIFY row_number() OVER (PARTITION BY channel ORDER BY start_ts DESC) = 1
                    """;
                cmd.Parameters.Add(new DuckDBParameter("app", app));
                cmd.Parameters.Add(new DuckDBParameter("visitor", visitor));
                using var r = await cmd.ExecuteReaderAsync(cancellationToken);
                latest = await DuckDbRows.ReadSessionsAsync(r, cancellationToken);
            }
            var facts = new List<(long Seq, JourneyFact Fact)>();
            foreach (var s in latest)
            {
                using var cmd = c.CreateCommand();
                // Facts the journey wrote later (a session.end at the deadline) were
                // received after the session's last event: no upper bound.
                cmd.CommandText = "SELECT * FROM events WHERE app = $app AND session = $session AND received >= $from ORDER BY seq";
                cmd.Parameters.Add(new DuckDBParameter("app", s.App));
                cmd.Parameters.Add(new DuckDBParameter("session", s.SessionId));
                cmd.Parameters.Add(new DuckDBParameter("from", s.FirstReceived.UtcDateTime));
                using var r = await cmd.ExecuteReaderAsync(cancellationToken);
                var o = new DuckDbRows.Ordinals(r);
                var seq = o["seq"];
                while (await r.ReadAsync(cancellationToken))
                {
                    var e = DuckDbRows.ReadEvent(r, o);
                    facts.Add((r.GetInt64(seq), new JourneyFact(e.Session, e.Context, e.Event)));
                }
            }
            facts.Sort((a, b) => a.Seq.CompareTo(b.Seq));
            return [.. facts.Select(f => f.Fact)];
        }
        finally
        {
            ReturnReader(c);
        }
    }

    public async Task<IReadOnlyList<DueVisitor>> DueVisitorsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var c = await RentReaderAsync(cancellationToken);
        try
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT app, visitor, due FROM deadlines WHERE due <= $now ORDER BY due LIMIT $limit";
            cmd.Parameters.Add(new DuckDBParameter("now", now.UtcDateTime));
            cmd.Parameters.Add(new DuckDBParameter("limit", limit));
            using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            var list = new List<DueVisitor>();
            while (await r.ReadAsync(cancellationToken))
            {
                list.Add(new DueVisitor(r.GetString(0), r.GetString(1), new DateTimeOffset(DateTime.SpecifyKind(r.GetDateTime(2), DateTimeKind.Utc))));
            }
            return list;
        }
        finally
        {
            ReturnReader(c);
        }
    }

    /// <summary>
    /// A session's events (not the journey's system facts). The received-time
    /// bounds let DuckDB skip every row group written outside the session's
    /// life (received grows with the append order, so its zone maps are tight).
    /// </summary>
    internal static async Task<List<StoredEvent>> ReadSessionEventsAsync(DuckDBConnection c, SessionSummary s, CancellationToken cancellationToken)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"""
            SELECT * FROM events
            WHERE app = $app AND session = $session AND received BETWEEN $from AND $to AND type < {(int)EventType.SessionStarted}
            ORDER BY ts, seq
            """;
        cmd.Parameters.Add(new DuckDBParameter("app", s.App));
        cmd.Parameters.Add(new DuckDBParameter("session", s.SessionId));
        cmd.Parameters.Add(new DuckDBParameter("from", s.FirstReceived.UtcDateTime));
        cmd.Parameters.Add(new DuckDBParameter("to", s.LastReceived.UtcDateTime));
        using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        return await DuckDbRows.ReadEventsAsync(r, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Derived tables lag the facts (derived up to {DerivedSeq}, facts up to {Seq}, version {Version} of {Current}); rebuilding")]
    private static partial void LogRebuilding(ILogger logger, long derivedSeq, long seq, long version, long current);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rebuilt {Sessions} sessions from the facts")]
    private static partial void LogRebuilt(ILogger logger, int sessions);
}
