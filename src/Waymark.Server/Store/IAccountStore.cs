namespace Waymark.Server.Store;

/// <summary>A stored console account: its name, the password's hash (never the password), role and creation time.</summary>
public sealed record StoredAccount(string Username, string PasswordHash, string Role, DateTimeOffset Created);

/// <summary>
/// A stored API token: only the SHA-256 of the token is kept. Scope narrows
/// what the role allows (read, ingest-admin, admin); a token past Expires is refused.
/// </summary>
public sealed record StoredToken(string TokenHash, string Name, string Role, DateTimeOffset Created, bool Revoked,
    string Scope = "admin", DateTimeOffset? Expires = null);

/// <summary>Where accounts and API tokens are kept. Hashing and checks are the accounts area's; this only stores.</summary>
public interface IAccountStore
{
    Task<long> CountAccountsAsync(CancellationToken cancellationToken);

    Task<StoredAccount?> FindAccountAsync(string username, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredAccount>> ListAccountsAsync(CancellationToken cancellationToken);

    /// <summary>Adds an account; false when the name is taken.</summary>
    Task<bool> TryAddAccountAsync(StoredAccount account, CancellationToken cancellationToken);

    Task AddTokenAsync(StoredToken token, CancellationToken cancellationToken);

    /// <summary>The token with this hash, revoked or not; null when there is none.</summary>
    Task<StoredToken?> FindTokenAsync(string tokenHash, CancellationToken cancellationToken);

    /// <summary>Every token, revoked ones too, newest first.</summary>
    Task<IReadOnlyList<StoredToken>> ListTokensAsync(CancellationToken cancellationToken);

    /// <summary>Marks a token revoked; false when there is none with this hash.</summary>
    Task<bool> RevokeTokenAsync(string tokenHash, CancellationToken cancellationToken);
}
