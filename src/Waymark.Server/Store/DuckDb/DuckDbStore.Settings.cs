using DuckDB.NET.Data;
using Waymark.Server.Store;

namespace Waymark.Server.Store.DuckDb;

/// <summary>Experience settings: one row per save or removal; the row with the highest seq of a kind and key wins.</summary>
public sealed partial class DuckDbStore : IExperienceSettings
{
    public const string CreateSettings =
        "CREATE TABLE IF NOT EXISTS experience_settings (seq BIGINT NOT NULL, app VARCHAR NOT NULL, kind VARCHAR NOT NULL, key VARCHAR NOT NULL, value VARCHAR NOT NULL, author VARCHAR NOT NULL, saved TIMESTAMP NOT NULL, removed BOOLEAN NOT NULL)";

    private readonly SemaphoreSlim _settingsGate = new(1, 1);

    public Task SaveSettingAsync(StoredSetting setting, CancellationToken cancellationToken, bool removed = false) =>
        AddSettingRowAsync(setting, removed, cancellationToken);

    public async Task<IReadOnlyList<StoredSetting>> ListSettingsAsync(string app, string kind, CancellationToken cancellationToken)
    {
        var c = RentReader();
        try
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = """
                SELECT app, kind, key, value, author, saved, removed FROM experience_settings WHERE app = $app AND kind = $kind
                QUALIFY row_number() OVER (PARTITION BY key ORDER BY seq DESC) = 1 ORDER BY key
                """;
            cmd.Parameters.Add(new DuckDBParameter("app", app));
            cmd.Parameters.Add(new DuckDBParameter("kind", kind));
            var list = new List<StoredSetting>();
            using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                if (!r.GetBoolean(6))
                {
                    list.Add(new StoredSetting(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Utc(r, 5)));
                }
            }
            return list;
        }
        finally
        {
            ReturnReader(c);
        }
    }

    private async Task AddSettingRowAsync(StoredSetting s, bool removed, CancellationToken cancellationToken)
    {
        // seq is max + 1: one save at a time in this process (the only writer of the file).
        await _settingsGate.WaitAsync(cancellationToken);
        var c = RentReader();
        try
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = """
                INSERT INTO experience_settings
                SELECT coalesce((SELECT max(seq) FROM experience_settings), 0) + 1, $app, $kind, $key, $value, $author, $saved, $removed
                """;
            cmd.Parameters.Add(new DuckDBParameter("app", s.App));
            cmd.Parameters.Add(new DuckDBParameter("kind", s.Kind));
            cmd.Parameters.Add(new DuckDBParameter("key", s.Key));
            cmd.Parameters.Add(new DuckDBParameter("value", s.Value));
            cmd.Parameters.Add(new DuckDBParameter("author", s.Author));
            cmd.Parameters.Add(new DuckDBParameter("saved", s.Saved.UtcDateTime));
            cmd.Parameters.Add(new DuckDBParameter("removed", removed));
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            ReturnReader(c);
            _settingsGate.Release();
        }
    }
}
