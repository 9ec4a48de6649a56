using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Waymark.Server.Store;

namespace Waymark.Server.Accounts;

/// <summary>A console account.</summary>
public sealed record Account(string Username, string Role, DateTimeOffset Created);

/// <summary>An API token as admins see it: never its value.</summary>
public sealed record TokenInfo(string Id, string Name, string Role, string Scope, DateTimeOffset Created, DateTimeOffset? Expires, bool Revoked);

/// <summary>A token looked up: the stored token when it may be used, else why not (null Refusal and Token: unknown).</summary>
public sealed record TokenCheck(StoredToken? Token, string? Refusal)
{
    public static readonly TokenCheck Unknown = new(null, null);
}

/// <summary>
/// Accounts and API tokens: passwords are hashed with ASP.NET Core's
/// password hasher, tokens kept as SHA-256; the store only keeps the hashes.
/// </summary>
public sealed partial class AccountService(IAccountStore store, TimeProvider clock, ILogger<AccountService> logger)
{
    private static readonly PasswordHasher<string> s_hasher = new();
    private static readonly string s_dummyHash = s_hasher.HashPassword("", "not a password");

    /// <summary>Basic credentials checked in the last minutes (a password hash is deliberately slow), by the header's hash; this server's own.</summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<string, (System.Security.Claims.ClaimsPrincipal Principal, DateTimeOffset Until)> BasicCache { get; } = new(StringComparer.Ordinal);

    /// <summary>Creates the first admin when there is no account; returns the password when it was made up here.</summary>
    public async Task<string?> EnsureAdminAsync(string? configuredPassword, CancellationToken cancellationToken)
    {
        if (await store.CountAccountsAsync(cancellationToken) > 0)
        {
            return null;
        }
        var password = configuredPassword is { Length: > 0 } p ? p : RandomPassword();
        await CreateAsync("admin", password, Roles.Admin, cancellationToken);
        return configuredPassword is { Length: > 0 } ? null : password;
    }

    public async Task<Account?> VerifyAsync(string username, string password, CancellationToken cancellationToken)
    {
        var stored = await store.FindAccountAsync(username, cancellationToken);
        if (stored is null)
        {
            // Same work as a real check, so timing does not tell which names exist.
            s_hasher.VerifyHashedPassword(username, s_dummyHash, password);
            return null;
        }
        var ok = s_hasher.VerifyHashedPassword(username, stored.PasswordHash, password) != PasswordVerificationResult.Failed;
        return ok ? new Account(stored.Username, stored.Role, stored.Created) : null;
    }

    /// <summary>The account of this name, without checking a password; null when there is none.</summary>
    public async Task<Account?> FindAsync(string username, CancellationToken cancellationToken) =>
        await store.FindAccountAsync(username, cancellationToken) is { } a ? new Account(a.Username, a.Role, a.Created) : null;

    public async Task<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await store.ListAccountsAsync(cancellationToken)).Select(a => new Account(a.Username, a.Role, a.Created))];

    /// <summary>Creates an account; false when the name is taken.</summary>
    public async Task<bool> CreateAsync(string username, string password, string role, CancellationToken cancellationToken)
    {
        var created = await store.TryAddAccountAsync(
            new StoredAccount(username, s_hasher.HashPassword(username, password), role, clock.GetUtcNow()), cancellationToken);
        if (created)
        {
            LogCreated(logger, username, role);
        }
        return created;
    }

    /// <summary>Makes an API token; only its hash is kept, the token is shown once.</summary>
    public async Task<string> CreateTokenAsync(string name, string role, string scope, DateTimeOffset? expires, CancellationToken cancellationToken)
    {
        var token = "wm_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        await store.AddTokenAsync(new StoredToken(TokenHash(token), name, role, clock.GetUtcNow(), Revoked: false, scope, expires), cancellationToken);
        LogToken(logger, name, role, scope);
        return token;
    }

    /// <summary>A stored token by its value: found with its role and scope, or why it is refused.</summary>
    public async Task<TokenCheck> CheckTokenAsync(string token, CancellationToken cancellationToken) =>
        await store.FindTokenAsync(TokenHash(token), cancellationToken) switch
        {
            null => TokenCheck.Unknown,
            { Revoked: true } => new TokenCheck(null, "This token was revoked."),
            { Expires: { } e } when e <= clock.GetUtcNow() => new TokenCheck(null, $"This token expired at {e.UtcDateTime:yyyy-MM-dd HH:mm} UTC."),
            var t => new TokenCheck(t, null),
        };

    /// <summary>The tokens (never their values), newest first; Id is the start of the hash, enough to revoke by.</summary>
    public async Task<IReadOnlyList<TokenInfo>> ListTokensAsync(CancellationToken cancellationToken) =>
        [.. (await store.ListTokensAsync(cancellationToken)).Select(t => new TokenInfo(t.TokenHash[..12], t.Name, t.Role, t.Scope, t.Created, t.Expires, t.Revoked))];

    /// <summary>Revokes the token whose hash starts with this id (12 hex characters); false when there is none.</summary>
    public async Task<bool> RevokeTokenAsync(string id, CancellationToken cancellationToken)
    {
        if (id.Length != 12)
        {
            return false;
        }
        var match = (await store.ListTokensAsync(cancellationToken)).FirstOrDefault(t => t.TokenHash.StartsWith(id, StringComparison.Ordinal));
        return match is not null && await store.RevokeTokenAsync(match.TokenHash, cancellationToken);
    }

    public static string TokenHash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string RandomPassword()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return string.Create(16, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "API token {Name} created with role {Role} and scope {Scope}")]
    private static partial void LogToken(ILogger logger, string name, string role, string scope);

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {Username} created with role {Role}")]
    private static partial void LogCreated(ILogger logger, string username, string role);
}
