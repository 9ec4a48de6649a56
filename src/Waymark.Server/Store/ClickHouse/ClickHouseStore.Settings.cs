using System.Text.Json;
using Waymark.Server.Store;

namespace Waymark.Server.Store.ClickHouse;

/// <summary>Experience settings: rows appended with a version; argMax picks the latest of each key.</summary>
public sealed partial class ClickHouseStore : IExperienceSettings
{
    public Task SaveSettingAsync(StoredSetting setting, CancellationToken cancellationToken, bool removed = false) =>
        AddSettingRowAsync(setting, removed, cancellationToken);

    public async Task<IReadOnlyList<StoredSetting>> ListSettingsAsync(string app, string kind, CancellationToken cancellationToken)
    {
        var rows = await _http.QueryAsync($"""
            SELECT key, argMax(value, version) AS v, argMax(author, version) AS a, argMax(saved_us, version) AS s, argMax(removed, version) AS r
            FROM experience_settings WHERE app = {Sql.Str(app)} AND kind = {Sql.Str(kind)} GROUP BY key ORDER BY key
            """, cancellationToken);
        return [.. rows.Where(r => ClickHouseRows.L(r, "r") == 0)
            .Select(r => new StoredSetting(app, kind, ClickHouseRows.S(r, "key")!, ClickHouseRows.S(r, "v") ?? "", ClickHouseRows.S(r, "a") ?? "", ClickHouseRows.T(r, "s")))];
    }

    private Task AddSettingRowAsync(StoredSetting s, bool removed, CancellationToken cancellationToken) =>
        _http.InsertAsync("experience_settings", [JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["version"] = NextSeq(), ["app"] = s.App, ["kind"] = s.Kind, ["key"] = s.Key, ["value"] = s.Value, ["author"] = s.Author,
            ["saved_us"] = Sql.Us(s.Saved), ["removed"] = removed ? 1 : 0,
        })], cancellationToken);
}
