namespace Waymark.Server.Store;

/// <summary>One audited act: who did what to which customer of which app, and when.</summary>
public sealed record AuditEntry(DateTimeOffset At, string Actor, string Action, string App, string Customer, string? Detail);

/// <summary>The audit trail of customer data: who viewed, exported or erased which customer. Append-only.</summary>
public interface IAuditLog
{
    Task AddAuditAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>The latest entries, newest first; of one customer when given.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string? customer, int limit, CancellationToken cancellationToken);
}
