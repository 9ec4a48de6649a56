using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Waymark.Server.Store;

namespace Waymark.Server.Privacy;

/// <summary>
/// A customer's data looked at, exported or erased, each act written to the audit log with who did it. The API and
/// the console both go through here, so no path around the audit exists.
/// </summary>
public sealed class CustomerRights(ICustomerData data, IAuditLog audit, TimeProvider clock)
{
    /// <summary>A view by the same person of the same customer within this span is one entry (a page that refreshes live stays one view).</summary>
    public static readonly TimeSpan ViewWindow = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<(string Actor, string App, string Customer), DateTimeOffset> _recentViews = new();

    /// <summary>Records that <paramref name="actor"/> looked at the customer through <paramref name="where"/> (api or console).</summary>
    public async Task ViewedAsync(string actor, string app, string customer, string where, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var key = (actor, app, customer);
        if (_recentViews.TryGetValue(key, out var last) && now - last < ViewWindow)
        {
            return;
        }
        _recentViews[key] = now;
        if (_recentViews.Count > 10_000)
        {
            foreach (var old in _recentViews.Where(kv => now - kv.Value >= ViewWindow).Select(kv => kv.Key).ToList())
            {
                _recentViews.TryRemove(old, out _);
            }
        }
        await audit.AddAuditAsync(new AuditEntry(now, actor, "viewed", app, customer, where), cancellationToken);
    }

    /// <summary>The customer's data as one document (GDPR art. 15), audited; null when no link names the customer.</summary>
    public async Task<JsonObject?> ExportAsync(string actor, string app, string customer, CancellationToken cancellationToken)
    {
        var (kind, key) = Split(customer);
        var doc = await data.ExportCustomerAsync(app, kind, key, cancellationToken);
        if (doc is null)
        {
            return null;
        }
        var now = clock.GetUtcNow();
        doc["exported"] = now.ToString("O", CultureInfo.InvariantCulture);
        await audit.AddAuditAsync(new AuditEntry(now, actor, "exported", app, customer, null), cancellationToken);
        return doc;
    }

    /// <summary>Erases the customer everywhere (GDPR art. 17), audited with the rows removed; null when no link names the customer.</summary>
    public async Task<ErasureReceipt?> EraseAsync(string actor, string app, string customer, CancellationToken cancellationToken)
    {
        var (kind, key) = Split(customer);
        var receipt = await data.EraseCustomerAsync(app, kind, key, clock.GetUtcNow(), cancellationToken);
        if (receipt is null)
        {
            return null;
        }
        var rows = string.Join(", ", receipt.RowsRemoved.Select(kv => $"{kv.Key} {kv.Value}"));
        await audit.AddAuditAsync(new AuditEntry(receipt.At, actor, "erased", app, customer, rows), cancellationToken);
        return receipt;
    }

    /// <summary>Whether <paramref name="customer"/> has the shape kind:key.</summary>
    public static bool IsCustomerId(string customer)
    {
        var colon = customer.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon < customer.Length - 1;
    }

    private static (string Kind, string Key) Split(string customer)
    {
        var colon = customer.IndexOf(':', StringComparison.Ordinal);
        return (customer[..colon], customer[(colon + 1)..]);
    }
}
