using DuckDB.NET.Data;
using Waymark.Server.Store;

namespace Waymark.Server.Store.DuckDb;

/// <summary>Journey maps: one row per saved version; a delete is a row with <c>deleted</c> set and no document.</summary>
public sealed partial class DuckDbStore : IJourneyMaps
{
    private const string MapColumns = "app, map_id, version, goal, document, author, saved, deleted";

    // Saves number versions max + 1: one at a time in this process (the only writer of the file).
    private readonly SemaphoreSlim _mapGate = new(1, 1);

    public async Task<StoredJourneyMap> SaveJourneyMapAsync(string app, string id, string goal, string document, string author, DateTimeOffset saved, CancellationToken cancellationToken)
    {
        var version = await AddMapRowAsync(app, id, goal, document, author, saved, deleted: false, cancellationToken);
        return new StoredJourneyMap(app, id, version, goal, document, author, saved);
    }

    public async Task<IReadOnlyList<StoredJourneyMap>> ListJourneyMapsAsync(string app, CancellationToken cancellationToken) =>
        await MapRowsAsync($"""
            SELECT {MapColumns} FROM journey_maps m WHERE app = $app
            AND version = (SELECT max(version) FROM journey_maps x WHERE x.app = m.app AND x.map_id = m.map_id)
            AND NOT deleted ORDER BY map_id
            """, app, null, null, cancellationToken);

    public async Task<IReadOnlyList<StoredJourneyMap>> ListJourneyMapVersionsAsync(string app, string id, CancellationToken cancellationToken) =>
        await MapRowsAsync($"SELECT {MapColumns} FROM journey_maps WHERE app = $app AND map_id = $id AND NOT deleted ORDER BY version", app, id, null, cancellationToken);

    public async Task<StoredJourneyMap?> GetJourneyMapAsync(string app, string id, int? version, CancellationToken cancellationToken)
    {
        var rows = version is { } v
            ? await MapRowsAsync($"SELECT {MapColumns} FROM journey_maps WHERE app = $app AND map_id = $id AND version = $v AND NOT deleted", app, id, v, cancellationToken)
            : await MapRowsAsync($"SELECT {MapColumns} FROM journey_maps WHERE app = $app AND map_id = $id ORDER BY version DESC LIMIT 1", app, id, null, cancellationToken);
        // The latest row of a deleted map is its tombstone, with no document.
        return rows.Count == 1 && rows[0].Document.Length > 0 ? rows[0] : null;
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
            await AddMapRowLockedAsync(app, id, "", "", "", deleted, deleted: true, cancellationToken);
            return true;
        }
        finally
        {
            _mapGate.Release();
        }
    }

    private async Task<int> AddMapRowAsync(string app, string id, string goal, string document, string author, DateTimeOffset at, bool deleted, CancellationToken cancellationToken)
    {
        await _mapGate.WaitAsync(cancellationToken);
        try
        {
            return await AddMapRowLockedAsync(app, id, goal, document, author, at, deleted, cancellationToken);
        }
        finally
        {
            _mapGate.Release();
        }
    }

    private async Task<int> AddMapRowLockedAsync(string app, string id, string goal, string document, string author, DateTimeOffset at, bool deleted, CancellationToken cancellationToken)
    {
        var c = RentReader();
        try
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = """
                INSERT INTO journey_maps
                SELECT $app, $id, coalesce((SELECT max(version) FROM journey_maps WHERE app = $app AND map_id = $id), 0) + 1,
                       $goal, $document, $author, $saved, $deleted
                RETURNING version
                """;
            cmd.Parameters.Add(new DuckDBParameter("app", app));
            cmd.Parameters.Add(new DuckDBParameter("id", id));
            cmd.Parameters.Add(new DuckDBParameter("goal", goal));
            cmd.Parameters.Add(new DuckDBParameter("document", document));
            cmd.Parameters.Add(new DuckDBParameter("author", author));
            cmd.Parameters.Add(new DuckDBParameter("saved", at.UtcDateTime));
            cmd.Parameters.Add(new DuckDBParameter("deleted", deleted));
            return Convert.ToInt32(await cmd.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            ReturnReader(c);
        }
    }

    private async Task<List<StoredJourneyMap>> MapRowsAsync(string sql, string app, string? id, int? version, CancellationToken cancellationToken)
    {
        var c = RentReader();
        try
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            cmd.Parameters.Add(new DuckDBParameter("app", app));
            if (id is not null)
            {
                cmd.Parameters.Add(new DuckDBParameter("id", id));
            }
            if (version is { } v)
            {
                cmd.Parameters.Add(new DuckDBParameter("v", v));
            }
            var list = new List<StoredJourneyMap>();
            using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                var deleted = r.GetBoolean(7);
                list.Add(new StoredJourneyMap(r.GetString(0), r.GetString(1), Convert.ToInt32(r.GetValue(2), System.Globalization.CultureInfo.InvariantCulture),
                    r.GetString(3), deleted ? "" : r.GetString(4), r.GetString(5), Utc(r, 6)));
            }
            return list;
        }
        finally
        {
            ReturnReader(c);
        }
    }
}
