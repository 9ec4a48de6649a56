using System.Security.Cryptography;
using System.Text;
using DuckDB.NET.Data;
using Microsoft.AspNetCore.Identity;
using Waymark.Server.Store;
using Waymark.Server.Store.DuckDb;

namespace Waymark.Server.Accounts;

/// <summary>A console account.</summary>
public sealed record Account(string Username, string Role, DateTimeOffset Created);

/// <summary>
/// Accounts and API tokens, in the store's database file. Passwords are
/// hashed with ASP.NET Core's password hasher; tokens are kept as SHA-256.
/// </summary>
public sealed partial class AccountStore(DuckDbStore store, TimeProvider clock, ILogger<AccountStore> logger)
{
    private static readonly PasswordHasher<string> s_hasher = new();

    public static readonly string[] Schema =
    [
        "CREATE TABLE IF NOT EXISTS accounts (username VARCHAR PRIMARY KEY, password_hash VARCHAR NOT NULL, role VARCHAR NOT NULL, created TIMESTAMP NOT NULL)",
        "CREATE TABLE IF NOT EXISTS api_tokens (token_hash VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, role VARCHAR NOT NULL, created TIMESTAMP NOT NULL, revoked BOOLEAN NOT NULL)",
    ];

    /// <summary>Creates the first admin when there is no account; returns the password when it was made up here.</summary>
    public string? EnsureAdmin(string? configuredPassword)
    {
        using var c = Open();
        foreach (var sql in Schema)
        {
            Execute(c, sql);
        }
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT count(*) FROM accounts";
            if (Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                return null;
            }
        }
        var password = configuredPassword is { Length: > 0 } p ? p : RandomPassword();
        Create(c, "admin", password, Roles.Admin);
        return configuredPassword is { Length: > 0 } ? null : password;
    }

    public Account? Verify(string username, string password)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT password_hash, role, created FROM accounts WHERE username = $u";
        cmd.Parameters.Add(new DuckDBParameter("u", username));
        using var r = cmd.ExecuteReader();
        if (!r.Read())
        {
            // Same work as a real check, so timing does not tell which names exist.
            s_hasher.VerifyHashedPassword(username, s_dummyHash, password);
            return null;
        }
        var ok = s_hasher.VerifyHashedPassword(username, r.GetString(0), password) != PasswordVerificationResult.Failed;
        return ok ? new Account(username, r.GetString(1), Utc(r.GetDateTime(2))) : null;
    }

    private static readonly string s_dummyHash = s_hasher.HashPassword("", "not a password");

    public IReadOnlyList<Account> List()
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT username, role, created FROM accounts ORDER BY username";
        using var r = cmd.ExecuteReader();
        var list = new List<Account>();
        while (r.Read())
        {
            list.Add(new Account(r.GetString(0), r.GetString(1), Utc(r.GetDateTime(2))));
        }
        return list;
    }

    /// <summary>Creates an account; false when the name is taken.</summary>
    public bool Create(string username, string password, string role)
    {
        using var c = Open();
        return Create(c, username, password, role);
    }

    private bool Create(DuckDBConnection c, string username, string password, string role)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "INSERT OR IGNORE INTO accounts VALUES ($u, $h, $r, $t)";
        cmd.Parameters.Add(new DuckDBParameter("u", username));
        cmd.Parameters.Add(new DuckDBParameter("h", s_hasher.HashPassword(username, password)));
        cmd.Parameters.Add(new DuckDBParameter("r", role));
        cmd.Parameters.Add(new DuckDBParameter("t", clock.GetUtcNow().UtcDateTime));
        var created = cmd.ExecuteNonQuery() > 0;
        if (created)
        {
            LogCreated(logger, username, role);
        }
        return created;
    }

    /// <summary>Makes an API token; only its hash is kept, the token is shown once.</summary>
    public string CreateToken(string name, string role)
    {
        var token = "wm_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "INSERT INTO api_tokens VALUES ($h, $n, $r, $t, false)";
        cmd.Parameters.Add(new DuckDBParameter("h", TokenHash(token)));
        cmd.Parameters.Add(new DuckDBParameter("n", name));
        cmd.Parameters.Add(new DuckDBParameter("r", role));
        cmd.Parameters.Add(new DuckDBParameter("t", clock.GetUtcNow().UtcDateTime));
        cmd.ExecuteNonQuery();
        return token;
    }

    /// <summary>The name and role of a stored token, or null.</summary>
    public (string Name, string Role)? FindToken(string token)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT name, role FROM api_tokens WHERE token_hash = $h AND NOT revoked";
        cmd.Parameters.Add(new DuckDBParameter("h", TokenHash(token)));
        using var r = cmd.ExecuteReader();
        return r.Read() ? (r.GetString(0), r.GetString(1)) : null;
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

    private DuckDBConnection Open() => store.RentOwnedConnection();

    private static void Execute(DuckDBConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {Username} created with role {Role}")]
    private static partial void LogCreated(ILogger logger, string username, string role);
}
