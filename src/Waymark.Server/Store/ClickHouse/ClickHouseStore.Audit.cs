using System.Text.Json;
using Waymark.Server.Store;

namespace Waymark.Server.Store.ClickHouse;

public sealed partial class ClickHouseStore : IAuditLog
{
    public Task AddAuditAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        _http.InsertAsync("audit_log", [JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["at_us"] = Sql.Us(entry.At), ["actor"] = entry.Actor, ["action"] = entry.Action, ["app"] = entry.App,
            ["customer"] = entry.Customer, ["detail"] = entry.Detail,
        })], cancellationToken);

    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string? customer, int limit, CancellationToken cancellationToken)
    {
        var rows = await _http.QueryAsync(
            $"SELECT * FROM audit_log{(customer is null ? "" : " WHERE customer = " + Sql.Str(customer))} ORDER BY at_us DESC LIMIT {Sql.Num(Math.Clamp(limit, 1, 10_000))}",
            cancellationToken);
        return [.. rows.Select(r => new AuditEntry(ClickHouseRows.T(r, "at_us"), ClickHouseRows.S(r, "actor")!, ClickHouseRows.S(r, "action")!,
            ClickHouseRows.S(r, "app")!, ClickHouseRows.S(r, "customer")!, ClickHouseRows.S(r, "detail")))];
    }
}
