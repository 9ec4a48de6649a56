using System.Globalization;
using System.IO.Hashing;
using System.Text;
using DuckDB.NET.Data;
using Waymark.Core.Events;
using Waymark.Core.Identity;
using Waymark.Core.Journeys;
using Waymark.Core.Sessions;

using Waymark.Server.Store;

namespace Waymark.Server.Store.DuckDb;

public sealed partial class DuckDbStore : IIdentityLinks
{
    private const int MaxLinks = CustomerWalk.MaxLinks;

    // Link ids written lately: a visitor's every batch names its user tag,
    // and the deriver need not insert that link again each time. Deriver thread only.
    private readonly HashSet<string> _writtenLinks = new(StringComparer.Ordinal);

    /// <summary>The links the appends make (<see cref="DerivedLinks"/>), written by the deriver with the sessions.</summary>
    private void WriteLinks(DuckDBConnection c, IEnumerable<JourneyAppend> appends)
    {
        if (_writtenLinks.Count > 100_000)
        {
            _writtenLinks.Clear();
        }
        foreach (var a in appends)
        {
            foreach (var link in DerivedLinks.Of(a))
            {
                if (!_writtenLinks.Add(link.Id))
                {
                    continue;
                }
                using var cmd = c.CreateCommand();
                cmd.CommandText = "INSERT OR IGNORE INTO links VALUES ($id, $app, $visitor, $session, $channel, $kind, $key, $source, $at, NULL, NULL)";
                cmd.Parameters.Add(new DuckDBParameter("id", link.Id));
                cmd.Parameters.Add(new DuckDBParameter("app", link.App));
                cmd.Parameters.Add(new DuckDBParameter("visitor", link.Visitor));
                cmd.Parameters.Add(new DuckDBParameter("session", (object?)link.Session ?? DBNull.Value));
                cmd.Parameters.Add(new DuckDBParameter("channel", link.Channel));
                cmd.Parameters.Add(new DuckDBParameter("kind", link.Kind));
                cmd.Parameters.Add(new DuckDBParameter("key", link.Key));
                cmd.Parameters.Add(new DuckDBParameter("source", link.Source));
                cmd.Parameters.Add(new DuckDBParameter("at", link.At.UtcDateTime));
                cmd.ExecuteNonQuery();
            }
        }
    }

    public async Task<CustomerJourney?> GetCustomerAsync(string app, string kind, string key, CancellationToken cancellationToken)
    {
        var c = await RentReaderAsync(cancellationToken);
        try
        {
            return await CustomerWalk.RunAsync(kind, key,
                (keys, visitors, activeOnly) => ReadLinksAsync(c, app, keys, visitors, activeOnly, cancellationToken),
                (visitors, sessions) => ReadCustomerSessionsAsync(c, app, visitors, sessions, cancellationToken));
        }
        finally
        {
            ReturnReader(c);
        }
    }

    /// <summary>
    /// The links that name one of the keys, or (visitor-wide links only) one of
    /// the visitors. Each branch filters on one indexed column alone
    /// (links_key, links_visitor), which is what lets DuckDB answer it from its
    /// index instead of scanning every link; the rest is checked here.
    /// </summary>
    private static async Task<List<LinkInfo>> ReadLinksAsync(
        DuckDBConnection c, string app, HashSet<(string Kind, string Key)> keys, HashSet<string> visitors, bool activeOnly, CancellationToken cancellationToken)
    {
        const string Columns = "link_id, visitor, session, channel, kind, key, source, linked_at, undone_at, undone_reason, app";
        using var cmd = c.CreateCommand();
        var branches = new List<string>();
        var n = 0;
        string InList(IEnumerable<string> values)
        {
            var names = new List<string>();
            foreach (var v in values)
            {
                var name = "p" + n++.ToString(CultureInfo.InvariantCulture);
                names.Add("$" + name);
                cmd.Parameters.Add(new DuckDBParameter(name, v));
            }
            return string.Join(", ", names);
        }
        var keyValues = keys.Take(MaxLinks).Select(k => k.Key).Distinct(StringComparer.Ordinal).ToList();
        if (keyValues.Count > 0)
        {
            branches.Add($"SELECT {Columns} FROM links WHERE key IN ({InList(keyValues)})");
        }
        if (visitors.Count > 0)
        {
            branches.Add($"SELECT {Columns} FROM links WHERE visitor IN ({InList(visitors.Take(MaxLinks))})");
        }
        var list = new List<LinkInfo>();
        if (branches.Count == 0)
        {
            return list;
        }
        cmd.CommandText = string.Join(" UNION ALL ", branches);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            var l = ReadLink(r);
            var matches = r.GetString(10) == app
                && (keys.Contains((l.Kind, l.Key)) || (l.Session is null && visitors.Contains(l.Visitor)))
                && (!activeOnly || l.UndoneAt is null);
            if (matches && seen.Add(l.Id))
            {
                list.Add(l);
            }
        }
        return list;
    }

    private static LinkInfo ReadLink(System.Data.Common.DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
        new DateTimeOffset(DateTime.SpecifyKind(r.GetDateTime(7), DateTimeKind.Utc)),
        r.IsDBNull(8) ? null : new DateTimeOffset(DateTime.SpecifyKind(r.GetDateTime(8), DateTimeKind.Utc)),
        r.IsDBNull(9) ? null : r.GetString(9));

    private static async Task<List<SessionSummary>> ReadCustomerSessionsAsync(
        DuckDBConnection c, string app, HashSet<string> visitors, HashSet<string> sessions, CancellationToken cancellationToken)
    {
        using var cmd = c.CreateCommand();
        // The ORs cannot be pushed into the scan, so they are evaluated on a
        // narrow scan (app, visitor, session_id) and the matching rows fetched
        // by rowid: a full-width scan of every session costs several times more.
        var sb = new StringBuilder($"SELECT * FROM sessions WHERE rowid IN (SELECT rowid FROM sessions WHERE app = $app AND (false");
        cmd.Parameters.Add(new DuckDBParameter("app", app));
        var n = 0;
        foreach (var v in visitors)
        {
            sb.Append(CultureInfo.InvariantCulture, $" OR visitor = $p{n}");
            cmd.Parameters.Add(new DuckDBParameter("p" + n++, v));
        }
        foreach (var s in sessions)
        {
            sb.Append(CultureInfo.InvariantCulture, $" OR session_id = $p{n}");
            cmd.Parameters.Add(new DuckDBParameter("p" + n++, s));
        }
        sb.Append(")) ORDER BY start_ts, session_id LIMIT 5000");
        cmd.CommandText = sb.ToString();
        using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        return await DuckDbRows.ReadSessionsAsync(r, cancellationToken);
    }

    public async Task<LinkInfo?> UndoLinkAsync(string app, string linkId, string? reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var c = await RentReaderAsync(cancellationToken);
        try
        {
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = "UPDATE links SET undone_at = coalesce(undone_at, $at), undone_reason = coalesce(undone_reason, $reason) WHERE app = $app AND link_id = $id";
                cmd.Parameters.Add(new DuckDBParameter("at", at.UtcDateTime));
                cmd.Parameters.Add(new DuckDBParameter("reason", (object?)reason ?? DBNull.Value));
                cmd.Parameters.Add(new DuckDBParameter("app", app));
                cmd.Parameters.Add(new DuckDBParameter("id", linkId));
                await cmd.ExecuteNonQueryAsync(cancellationToken);
            }
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = "SELECT link_id, visitor, session, channel, kind, key, source, linked_at, undone_at, undone_reason FROM links WHERE app = $app AND link_id = $id";
                cmd.Parameters.Add(new DuckDBParameter("app", app));
                cmd.Parameters.Add(new DuckDBParameter("id", linkId));
                using var r = await cmd.ExecuteReaderAsync(cancellationToken);
                return await r.ReadAsync(cancellationToken) ? ReadLink(r) : null;
            }
        }
        finally
        {
            ReturnReader(c);
        }
    }

    public async Task<(string Kind, string Key)?> LinkOfAsync(string app, string visitor, string sessionId, CancellationToken cancellationToken)
    {
        var c = await RentReaderAsync(cancellationToken);
        try
        {
            // One indexed column (links_visitor); the rest is checked here.
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT app, session, kind, key, undone_at FROM links WHERE visitor = $visitor ORDER BY linked_at DESC";
            cmd.Parameters.Add(new DuckDBParameter("visitor", visitor));
            using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                var session = r.IsDBNull(1) ? null : r.GetString(1);
                if (r.GetString(0) == app && r.IsDBNull(4) && (session is null || session == sessionId))
                {
                    return (r.GetString(2), r.GetString(3));
                }
            }
            return null;
        }
        finally
        {
            ReturnReader(c);
        }
    }
}
