using System.Text.Json;
using System.Text.Json.Nodes;
using Waymark.Server.Store;

namespace Waymark.Server.Store.ClickHouse;

/// <summary>
/// Export and erasure of one customer, and retention, on ClickHouse: reads
/// with FINAL, removal with <c>ALTER TABLE … DELETE</c> mutations (18.16 has
/// no DELETE statement) on every server's local table, waited for until
/// ClickHouse reports them done, so the parts are rewritten without the rows.
/// </summary>
public sealed partial class ClickHouseStore : ICustomerData
{
    public async Task<JsonObject?> ExportCustomerAsync(string app, string kind, string key, CancellationToken cancellationToken)
    {
        if (await GetCustomerAsync(app, kind, key, cancellationToken) is not { } journey)
        {
            return null;
        }
        var scope = CustomerScope.Of(journey);
        var doc = new JsonObject { ["app"] = app, ["customer"] = scope.Id };
        foreach (var t in CustomerTable.All)
        {
            var final = t.Table == "events" ? "" : " FINAL";
            var rows = await _http.QueryAsync($"SELECT * FROM {t.Table}{final} WHERE {Where(app, t, scope)}", cancellationToken);
            doc[t.Table] = new JsonArray([.. rows.Select(r => JsonNode.Parse(r.GetRawText()))]);
        }
        return doc;
    }

    public async Task<ErasureReceipt?> EraseCustomerAsync(string app, string kind, string key, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (await GetCustomerAsync(app, kind, key, cancellationToken) is not { } journey)
        {
            return null;
        }
        var scope = CustomerScope.Of(journey);
        var removed = await RemoveAsync(CustomerTable.All.Select(t => (t.Table, (string?)Where(app, t, scope))), cancellationToken);
        return new ErasureReceipt(app, scope.Id, at, [.. scope.Visitors.Order(StringComparer.Ordinal)], [.. scope.Sessions.Order(StringComparer.Ordinal)], removed, FilesRewritten: true);
    }

    public async Task<IReadOnlyDictionary<string, long>> ApplyRetentionAsync(string app, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var ended = (await _http.QueryAsync(
            $"SELECT session_id FROM sessions FINAL WHERE app = {Sql.Str(app)} AND ended = 1 AND end_us < {Sql.Num(Sql.Us(before))}", cancellationToken))
            .Select(r => r.GetProperty("session_id").GetString()!).ToHashSet(StringComparer.Ordinal);
        if (ended.Count == 0)
        {
            return CustomerTable.All.Where(t => t.SessionColumn is not null).ToDictionary(t => t.Table, _ => 0L, StringComparer.Ordinal);
        }
        var scope = new CustomerScope("", [], ended, []);
        return await RemoveAsync(CustomerTable.All.Where(t => t.SessionColumn is not null)
            .Select(t => (t.Table, (string?)Where(app, t with { VisitorColumn = null, KeyColumn = null }, scope))), cancellationToken);
    }

    private async Task<IReadOnlyDictionary<string, long>> RemoveAsync(IEnumerable<(string Table, string? Where)> targets, CancellationToken cancellationToken)
    {
        var removed = new Dictionary<string, long>(StringComparer.Ordinal);
        var sharded = _options.Cluster is { Length: > 0 };
        var servers = sharded && _options.ShardUrls.Count > 0 ? _options.ShardUrls : [_options.Url];
        foreach (var (table, where) in targets)
        {
            if (where is null)
            {
                continue;
            }
            removed[table] = await ScalarAsync($"SELECT count() FROM {table} WHERE {where}", cancellationToken);
            if (removed[table] == 0)
            {
                continue;
            }
            foreach (var url in servers)
            {
                using var server = new ClickHouseHttp(_options, url);
                await server.ExecuteAsync($"ALTER TABLE {table}{(sharded ? "_local" : "")} DELETE WHERE {where}", cancellationToken);
            }
        }
        foreach (var url in servers)
        {
            using var server = new ClickHouseHttp(_options, url);
            await WaitForMutationsAsync(server, cancellationToken);
        }
        return removed;
    }

    /// <summary>Polls system.mutations until the database has none left to do (18.16 has no mutations_sync).</summary>
    private async Task WaitForMutationsAsync(ClickHouseHttp server, CancellationToken cancellationToken)
    {
        var deadline = _clock.GetUtcNow().AddMinutes(5);
        while (true)
        {
            var rows = await server.QueryAsync($"SELECT count() AS n FROM system.mutations WHERE database = {Sql.Str(_options.Database)} AND is_done = 0", cancellationToken);
            if (rows.Count == 0 || rows[0].GetProperty("n").GetInt64() == 0)
            {
                return;
            }
            if (_clock.GetUtcNow() > deadline)
            {
                throw new ClickHouseException("Mutations did not finish within 5 minutes; the erasure goes on in ClickHouse.");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), _clock, cancellationToken);
        }
    }

    private static string Where(string app, CustomerTable t, CustomerScope scope)
    {
        var ors = new List<string>();
        if (t.VisitorColumn is { } v && scope.Visitors.Count > 0)
        {
            ors.Add($"{v} IN {Sql.List(scope.Visitors)}");
        }
        if (t.SessionColumn is { } s && scope.Sessions.Count > 0)
        {
            // Nullable columns: ifNull, so that NULL IN (…) is false rather than NULL.
            ors.Add($"ifNull({s}, '') IN {Sql.List(scope.Sessions)}");
        }
        if (t.KeyColumn is { } k && scope.Keys.Count > 0)
        {
            ors.Add($"{k} IN {Sql.List(scope.Keys)}");
        }
        return ors.Count == 0 ? "0" : $"app = {Sql.Str(app)} AND ({string.Join(" OR ", ors)})";
    }
}
