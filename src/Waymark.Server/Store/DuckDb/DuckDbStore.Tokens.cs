using DuckDB.NET.Data;

namespace Waymark.Server.Store.DuckDb;

/// <summary>API tokens: hash, name, role, scope, expiry, revocation.</summary>
public sealed partial class DuckDbStore
{
    private const string TokenColumns = "token_hash, name, role, created, revoked, scope, expires";

    public async Task AddTokenAsync(StoredToken token, CancellationToken cancellationToken)
    {
        var c = RentReader();
        try
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"INSERT INTO api_tokens ({TokenColumns}) VALUES ($h, $n, $r, $t, $revoked, $scope, $expires)";
            cmd.Parameters.Add(new DuckDBParameter("h", token.TokenHash));
            cmd.Parameters.Add(new DuckDBParameter("n", token.Name));
            cmd.Parameters.Add(new DuckDBParameter("r", token.Role));
            cmd.Parameters.Add(new DuckDBParameter("t", token.Created.UtcDateTime));
            cmd.Parameters.Add(new DuckDBParameter("revoked", token.Revoked));
            cmd.Parameters.Add(new DuckDBParameter("scope", token.Scope));
            cmd.Parameters.Add(new DuckDBParameter("expires", token.Expires is { } e ? e.UtcDateTime : DBNull.Value));
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            ReturnReader(c);
        }
    }

    public async Task<StoredToken?> FindTokenAsync(string tokenHash, CancellationToken cancellationToken) =>
        await ReadTokensAsync("WHERE token_hash = $h", tokenHash, cancellationToken) is [var t, ..] ? t : null;

    public Task<IReadOnlyList<StoredToken>> ListTokensAsync(CancellationToken cancellationToken) =>
        ReadTokensAsync("ORDER BY created DESC, name", null, cancellationToken);

    public async Task<bool> RevokeTokenAsync(string tokenHash, CancellationToken cancellationToken)
    {
        var c = RentReader();
        try
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE api_tokens SET revoked = true WHERE token_hash = $h";
            cmd.Parameters.Add(new DuckDBParameter("h", tokenHash));
            return await cmd.ExecuteNonQueryAsync(cancellationToken) > 0;
        }
        finally
        {
            ReturnReader(c);
        }
    }

    private async Task<IReadOnlyList<StoredToken>> ReadTokensAsync(string tail, string? hash, CancellationToken cancellationToken)
    {
        var c = RentReader();
        try
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT {TokenColumns} FROM api_tokens {tail}";
            if (hash is not null)
            {
                cmd.Parameters.Add(new DuckDBParameter("h", hash));
            }
            using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            var list = new List<StoredToken>();
            while (await r.ReadAsync(cancellationToken))
            {
                list.Add(new StoredToken(r.GetString(0), r.GetString(1), r.GetString(2), Utc(r, 3), r.GetBoolean(4),
                    r.IsDBNull(5) ? "admin" : r.GetString(5), r.IsDBNull(6) ? null : Utc(r, 6)));
            }
            return list;
        }
        finally
        {
            ReturnReader(c);
        }
    }
}
