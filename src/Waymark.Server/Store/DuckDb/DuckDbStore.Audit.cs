using DuckDB.NET.Data;
using Waymark.Server.Store;

namespace Waymark.Server.Store.DuckDb;

public sealed partial class DuckDbStore : IAuditLog
{
    internal const string CreateAudit =
        "CREATE TABLE IF NOT EXISTS audit_log (ts TIMESTAMP NOT NULL, actor VARCHAR NOT NULL, action VARCHAR NOT NULL, app VARCHAR NOT NULL, customer VARCHAR NOT NULL, detail VARCHAR)";

    public async Task AddAuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        using var c = RentOwnedConnection();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "INSERT INTO audit_log VALUES ($at, $actor, $action, $app, $customer, $detail)";
        cmd.Parameters.Add(new DuckDBParameter("at", entry.At.UtcDateTime));
        cmd.Parameters.Add(new DuckDBParameter("actor", entry.Actor));
        cmd.Parameters.Add(new DuckDBParameter("action", entry.Action));
        cmd.Parameters.Add(new DuckDBParameter("app", entry.App));
        cmd.Parameters.Add(new DuckDBParameter("customer", entry.Customer));
        cmd.Parameters.Add(new DuckDBParameter("detail", (object?)entry.Detail ?? DBNull.Value));
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string? customer, int limit, CancellationToken cancellationToken)
    {
        using var c = RentOwnedConnection();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT ts, actor, action, app, customer, detail FROM audit_log" + (customer is null ? "" : " WHERE customer = $customer") + " ORDER BY ts DESC LIMIT $limit";
        if (customer is not null)
        {
            cmd.Parameters.Add(new DuckDBParameter("customer", customer));
        }
        cmd.Parameters.Add(new DuckDBParameter("limit", Math.Clamp(limit, 1, 10_000)));
        using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = new List<AuditEntry>();
        while (await r.ReadAsync(cancellationToken))
        {
            list.Add(new AuditEntry(new DateTimeOffset(DateTime.SpecifyKind(r.GetDateTime(0), DateTimeKind.Utc)), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5)));
        }
        return list;
    }
}
