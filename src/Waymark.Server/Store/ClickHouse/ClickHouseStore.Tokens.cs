using System.Text.Json;

namespace Waymark.Server.Store.ClickHouse;

/// <summary>API tokens: a ReplacingMergeTree by hash; revoking writes a newer version.</summary>
public sealed partial class ClickHouseStore
{
    public Task AddTokenAsync(StoredToken token, CancellationToken cancellationToken) =>
        _http.InsertAsync("api_tokens", [JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["version"] = NextSeq(), ["token_hash"] = token.TokenHash, ["name"] = token.Name, ["role"] = token.Role,
            ["created_us"] = Sql.Us(token.Created), ["revoked"] = token.Revoked ? 1 : 0, ["scope"] = token.Scope,
            ["expires_us"] = token.Expires is { } e ? Sql.Us(e) : null,
        })], cancellationToken);

    public async Task<StoredToken?> FindTokenAsync(string tokenHash, CancellationToken cancellationToken) =>
        (await _http.QueryAsync($"SELECT * FROM api_tokens FINAL WHERE token_hash = {Sql.Str(tokenHash)}", cancellationToken))
            .Select(ReadToken).FirstOrDefault();

    public async Task<IReadOnlyList<StoredToken>> ListTokensAsync(CancellationToken cancellationToken) =>
        [.. (await _http.QueryAsync("SELECT * FROM api_tokens FINAL ORDER BY created_us DESC, name", cancellationToken)).Select(ReadToken)];

    public async Task<bool> RevokeTokenAsync(string tokenHash, CancellationToken cancellationToken)
    {
        if (await FindTokenAsync(tokenHash, cancellationToken) is not { } token)
        {
            return false;
        }
        await AddTokenAsync(token with { Revoked = true }, cancellationToken);
        return true;
    }

    private static StoredToken ReadToken(JsonElement r) =>
        new(ClickHouseRows.S(r, "token_hash")!, ClickHouseRows.S(r, "name")!, ClickHouseRows.S(r, "role")!,
            ClickHouseRows.T(r, "created_us"), ClickHouseRows.B(r, "revoked"),
            ClickHouseRows.S(r, "scope") is { Length: > 0 } scope ? scope : "admin",
            r.TryGetProperty("expires_us", out var e) && e.ValueKind == JsonValueKind.Number ? Sql.FromUs(e.GetInt64()) : null);
}
