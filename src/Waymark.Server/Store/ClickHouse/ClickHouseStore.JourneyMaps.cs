using System.Text.Json;
using Waymark.Server.Store;

namespace Waymark.Server.Store.ClickHouse;

/// <summary>
/// Journey maps: one row per saved version, a delete a row with <c>deleted</c>
/// set. The next version is the largest plus one, read then written: saves of
/// the same map from two nodes in the same instant could take the same number
/// (the later row then replaces the other). One node saves one at a time.
/// </summary>
public sealed partial class ClickHouseStore : IJourneyMaps
{
    private readonly SemaphoreSlim _mapGate = new(1, 1);

    public async Task<StoredJourneyMap> SaveJourneyMapAsync(string app, string id, string goal, string document, string author, DateTimeOffset saved, CancellationToken cancellationToken)
    {
        await _mapGate.WaitAsync(cancellationToken);
        try
        {
            var version = await AddMapRowAsync(app, id, goal, document, author, saved, deleted: false, cancellationToken);
            return new StoredJourneyMap(app, id, version, goal, document, author, saved);
        }
        finally
        {
            _mapGate.Release();
        }
    }

    public async Task<IReadOnlyList<StoredJourneyMap>> ListJourneyMapsAsync(string app, CancellationToken cancellationToken)
    {
        // A few maps per app: the latest row of each is picked here (an IN over a
        // Distributed table would need GLOBAL on a cluster).
        var rows = (await _http.QueryAsync($"""
            SELECT * FROM journey_maps FINAL WHERE app = {Sql.Str(app)} ORDER BY map_id, version
            """, cancellationToken))
            .GroupBy(r => ClickHouseRows.S(r, "map_id"), StringComparer.Ordinal).Select(g => g.Last())
            .Where(r => !ClickHouseRows.B(r, "deleted"));
        return [.. rows.Select(ReadMap)];
    }

    public async Task<IReadOnlyList<StoredJourneyMap>> ListJourneyMapVersionsAsync(string app, string id, CancellationToken cancellationToken)
    {
        var rows = await _http.QueryAsync($"""
            SELECT * FROM journey_maps FINAL WHERE app = {Sql.Str(app)} AND map_id = {Sql.Str(id)} AND deleted = 0 ORDER BY version
            """, cancellationToken);
        return [.. rows.Select(ReadMap)];
    }

    public async Task<StoredJourneyMap?> GetJourneyMapAsync(string app, string id, int? version, CancellationToken cancellationToken)
    {
        var which = version is { } v ? "AND version = " + v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
        var rows = await _http.QueryAsync($"""
            SELECT * FROM journey_maps FINAL WHERE app = {Sql.Str(app)} AND map_id = {Sql.Str(id)} {which} ORDER BY version DESC LIMIT 1
            """, cancellationToken);
        // The latest row of a deleted map is its tombstone.
        return rows.Count == 1 && !ClickHouseRows.B(rows[0], "deleted") ? ReadMap(rows[0]) : null;
    }

    public async Task<bool> DeleteJourneyMapAsync(string app, string id, DateTimeOffset deleted, CancellationToken cancellationToken)
    {
        await _mapGate.WaitAsync(cancellationToken);
        try
        {
            if (await GetJourneyMapAsync(app, id, null, cancellationToken) is null)
            {
                return false;
            }
            await AddMapRowAsync(app, id, "", "", "", deleted, deleted: true, cancellationToken);
            return true;
        }
        finally
        {
            _mapGate.Release();
        }
    }

    private async Task<int> AddMapRowAsync(string app, string id, string goal, string document, string author, DateTimeOffset at, bool deleted, CancellationToken cancellationToken)
    {
        var last = await _http.QueryAsync($"SELECT max(version) AS v FROM journey_maps WHERE app = {Sql.Str(app)} AND map_id = {Sql.Str(id)}", cancellationToken);
        var version = (int)(last.Count == 0 ? 0 : ClickHouseRows.L(last[0], "v")) + 1;
        await _http.InsertAsync("journey_maps", [JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["app"] = app, ["map_id"] = id, ["version"] = version, ["goal"] = goal, ["document"] = document, ["author"] = author,
            ["saved_us"] = Sql.Us(at), ["deleted"] = deleted ? 1 : 0,
        })], cancellationToken);
        return version;
    }

    private static StoredJourneyMap ReadMap(JsonElement r) =>
        new(ClickHouseRows.S(r, "app")!, ClickHouseRows.S(r, "map_id")!, (int)ClickHouseRows.L(r, "version"), ClickHouseRows.S(r, "goal")!,
            ClickHouseRows.S(r, "document")!, ClickHouseRows.S(r, "author")!, ClickHouseRows.T(r, "saved_us"));
}
