using System.Text.Json.Nodes;

namespace Waymark.Server.Store;

/// <summary>What an erasure removed: the customer, when, and the rows each table lost.</summary>
public sealed record ErasureReceipt(
    string App, string Customer, DateTimeOffset At, IReadOnlyList<string> Visitors, IReadOnlyList<string> Sessions,
    IReadOnlyDictionary<string, long> RowsRemoved, bool FilesRewritten);

/// <summary>
/// A customer's rights over their data (GDPR art. 15 and 17): everything of
/// one customer (every visitor and session their keys link) exported as one
/// JSON document, or erased from every table and file of the store.
/// </summary>
public interface ICustomerData
{
    /// <summary>The customer's data as one document (links, sessions, events, notes, and every other per-customer table); null when no link names the key.</summary>
    Task<JsonObject?> ExportCustomerAsync(string app, string kind, string key, CancellationToken cancellationToken);

    /// <summary>Removes the customer from every table and file; null when no link names the key.</summary>
    Task<ErasureReceipt?> EraseCustomerAsync(string app, string kind, string key, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Removes an app's sessions that ended before <paramref name="before"/> with their events and notes; the rows removed per table.</summary>
    Task<IReadOnlyDictionary<string, long>> ApplyRetentionAsync(string app, DateTimeOffset before, CancellationToken cancellationToken);
}

/// <summary>Who a customer is in the store: their visitors, sessions (shared devices: sessions only) and keys.</summary>
public sealed record CustomerScope(string Id, HashSet<string> Visitors, HashSet<string> Sessions, HashSet<string> Keys)
{
    /// <summary>The scope of a customer as the identity walk found them.</summary>
    public static CustomerScope Of(CustomerJourney journey)
    {
        var visitors = new HashSet<string>(StringComparer.Ordinal);
        var sessions = new HashSet<string>(StringComparer.Ordinal);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var l in journey.Links)
        {
            keys.Add(l.Key);
            if (l.Session is null)
            {
                visitors.Add(l.Visitor);
            }
            else
            {
                sessions.Add(l.Session);
            }
        }
        foreach (var s in journey.Sessions)
        {
            sessions.Add(s.SessionId);
        }
        return new CustomerScope(journey.Id, visitors, sessions, keys);
    }
}

/// <summary>
/// Every table that holds rows of a customer, and the columns that name them.
/// A store area that adds such a table (rule firings, an outbox, segments,
/// maps) adds one line here, and export and erasure reach it on both stores.
/// </summary>
public sealed record CustomerTable(string Table, string? VisitorColumn, string? SessionColumn, string? KeyColumn = null)
{
    /// <summary>The tables, events first. Every table has an <c>app</c> column.</summary>
    public static readonly List<CustomerTable> All =
    [
        new("events", "visitor", "session"),
        new("sessions", "visitor", "session_id"),
        new("links", "visitor", "session", "key"),
        new("session_notes", null, "session_id"),
        new("deadlines", "visitor", null),
    ];
}
