using System.Globalization;
using DuckDB.NET.Data;
using Waymark.Server.Store;

namespace Waymark.Server.Store.DuckDb;

public sealed partial class DuckDbStore : IAccountStore
{
    public async Task<long> CountAccountsAsync(CancellationToken cancellationToken)
    {
        var c = RentReader();
        try
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT count(*) FROM accounts";
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }
        finally
        {
            ReturnReader(c);
        }
    }

    public async Task<StoredAccount?> FindAccountAsync(string username, CancellationToken cancellationToken)
    {
        var c = RentReader();
        try
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT username, password_hash, role, created FROM accounts WHERE username = $u";
            cmd.Parameters.Add(new DuckDBParameter("u", username));
            using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            return await r.ReadAsync(cancellationToken) ? new StoredAccount(r.GetString(0), r.GetString(1), r.GetString(2), Utc(r, 3)) : null;
        }
        finally
        {
            ReturnReader(c);
        }
    }

    public async Task<IReadOnlyList<StoredAccount>> ListAccountsAsync(CancellationToken cancellationToken)
    {
        var c = RentReader();
        try
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT username, password_hash, role, created FROM accounts ORDER BY username";
            using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            var list = new List<StoredAccount>();
            while (await r.ReadAsync(cancellationToken))
            {
                list.Add(new StoredAccount(r.GetString(0), r.GetString(1), r.GetString(2), Utc(r, 3)));
            }
            return list;
        }
        finally
        {
            ReturnReader(c);
        }
    }

    public async Task<bool> TryAddAccountAsync(StoredAccount account, CancellationToken cancellationToken)
    {
        var c = RentReader();
        try
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT OR IGNORE INTO accounts VALUES ($u, $h, $r, $t)";
            cmd.Parameters.Add(new DuckDBParameter("u", account.Username));
            cmd.Parameters.Add(new DuckDBParameter("h", account.PasswordHash));
            cmd.Parameters.Add(new DuckDBParameter("r", account.Role));
            cmd.Parameters.Add(new DuckDBParameter("t", account.Created.UtcDateTime));
            return await cmd.ExecuteNonQueryAsync(cancellationToken) > 0;
        }
        finally
        {
            ReturnReader(c);
        }
    }
}
