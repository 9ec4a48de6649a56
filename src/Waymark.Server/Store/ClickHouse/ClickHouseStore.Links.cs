using System.Text.Json;
using Waymark.Core.Sessions;
using Waymark.Server.Store;

namespace Waymark.Server.Store.ClickHouse;

public sealed partial class ClickHouseStore : IIdentityLinks
{
    // A link's row at version 0 is what the facts made; an undo writes a later
    // version; written again by a later identify it stays version 0, so an undo stays.
    private const string LinkColumns = """
        link_id, any(visitor) AS l_visitor, any(session) AS l_session, any(channel) AS l_channel, any(kind) AS l_kind, any(key) AS l_key,
        argMin(source, linked_us) AS l_source, min(linked_us) AS l_at, argMax(undone_us, version) AS l_undone,
        argMax(undone_reason, version) AS l_reason
        """;

    public Task<CustomerJourney?> GetCustomerAsync(string app, string kind, string key, CancellationToken cancellationToken) =>
        CustomerWalk.RunAsync(kind, key,
            async (keys, visitors, activeOnly) =>
            {
                var byKey = keys.Take(CustomerWalk.MaxLinks).Select(k => k.Key).Distinct(StringComparer.Ordinal).ToList();
                var rows = await _http.QueryAsync($"""
                    SELECT {LinkColumns} FROM links
                    WHERE app = {Sql.Str(app)} AND (key IN {Sql.List(byKey)} OR (visitor IN {Sql.List(visitors.Take(CustomerWalk.MaxLinks))} AND session IS NULL))
                    GROUP BY link_id
                    """, cancellationToken);
                return [.. rows.Select(ReadLink)
                    .Where(l => (keys.Contains((l.Kind, l.Key)) || (l.Session is null && visitors.Contains(l.Visitor))) && (!activeOnly || l.UndoneAt is null))];
            },
            async (visitors, sessions) =>
            {
                var rows = await _http.QueryAsync($"""
                    SELECT * FROM sessions FINAL
                    WHERE app = {Sql.Str(app)} AND (visitor IN {Sql.List(visitors)} OR session_id IN {Sql.List(sessions)})
                    ORDER BY start_us, session_id LIMIT 5000
                    """, cancellationToken);
                return [.. rows.Select(ClickHouseRows.ReadSession)];
            });

    public async Task<LinkInfo?> UndoLinkAsync(string app, string linkId, string? reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var current = await ReadLinkAsync(app, linkId, cancellationToken);
        if (current is null)
        {
            return null;
        }
        if (current.UndoneAt is null)
        {
            var row = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
            {
                ["version"] = NextSeq(), ["link_id"] = linkId, ["app"] = app, ["visitor"] = current.Visitor, ["session"] = current.Session,
                ["channel"] = current.Channel, ["kind"] = current.Kind, ["key"] = current.Key, ["source"] = current.Source,
                ["linked_us"] = Sql.Us(current.At), ["undone_us"] = Sql.Us(at), ["undone_reason"] = reason,
            });
            await _http.InsertAsync("links", [row], cancellationToken);
        }
        return await ReadLinkAsync(app, linkId, cancellationToken);
    }

    private async Task<LinkInfo?> ReadLinkAsync(string app, string linkId, CancellationToken cancellationToken)
    {
        var rows = await _http.QueryAsync($"SELECT {LinkColumns} FROM links WHERE app = {Sql.Str(app)} AND link_id = {Sql.Str(linkId)} GROUP BY link_id", cancellationToken);
        return rows.Count == 0 ? null : ReadLink(rows[0]);
    }

    public async Task<(string Kind, string Key)?> LinkOfAsync(string app, string visitor, string sessionId, CancellationToken cancellationToken)
    {
        var rows = await _http.QueryAsync($"""
            SELECT {LinkColumns} FROM links WHERE app = {Sql.Str(app)} AND visitor = {Sql.Str(visitor)}
            GROUP BY link_id ORDER BY l_at DESC
            """, cancellationToken);
        foreach (var l in rows.Select(ReadLink))
        {
            if (l.UndoneAt is null && (l.Session is null || l.Session == sessionId))
            {
                return (l.Kind, l.Key);
            }
        }
        return null;
    }

    private static LinkInfo ReadLink(JsonElement r) => new(
        ClickHouseRows.S(r, "link_id")!, ClickHouseRows.S(r, "l_visitor")!, ClickHouseRows.S(r, "l_session"), ClickHouseRows.S(r, "l_channel")!,
        ClickHouseRows.S(r, "l_kind")!, ClickHouseRows.S(r, "l_key")!, ClickHouseRows.S(r, "l_source")!, ClickHouseRows.T(r, "l_at"),
        r.GetProperty("l_undone").ValueKind == JsonValueKind.Number ? ClickHouseRows.T(r, "l_undone") : null,
        ClickHouseRows.S(r, "l_reason"));
}
