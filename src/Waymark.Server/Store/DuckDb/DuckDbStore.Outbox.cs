using DuckDB.NET.Data;
using Waymark.Server.Store;

namespace Waymark.Server.Store.DuckDb;

/// <summary>The outbox of rule actions; a match's firings and its actions go in one transaction.</summary>
public sealed partial class DuckDbStore : IOutbox
{
    private const string OutboxColumns = "id, app, rule, firing_id, action, type, payload, due_us, attempts, last_error, state";

    public async Task EnqueueAsync(IReadOnlyList<RuleFiring> firings, IReadOnlyList<OutboxItem> items, CancellationToken cancellationToken)
    {
        if (firings.Count == 0 && items.Count == 0)
        {
            return;
        }
        var c = RentReader();
        try
        {
            using var tx = c.BeginTransaction();
            try
            {
                foreach (var f in firings)
                {
                    using var cmd = Command(c, "INSERT OR IGNORE INTO rule_firings VALUES ($id, $app, $rule, $version, $visitor, $customer, $session, $channel, $outcome, $reason, $at, $props)",
                        [("id", f.FiringId), ("app", f.App), ("rule", f.Rule), ("version", f.RuleVersion), ("visitor", f.Visitor), ("customer", f.Customer),
                         ("session", f.Session), ("channel", f.Channel), ("outcome", f.Outcome), ("reason", f.Reason), ("at", Us(f.At)), ("props", f.Props)]);
                    await cmd.ExecuteNonQueryAsync(cancellationToken);
                }
                foreach (var i in items)
                {
                    using var cmd = Command(c, "INSERT OR IGNORE INTO outbox VALUES ($id, $app, $rule, $firing, $action, $type, $payload, $due, 0, NULL, 'pending', NULL, 0)",
                        [("id", i.Id), ("app", i.App), ("rule", i.Rule), ("firing", i.FiringId), ("action", i.Action), ("type", i.Type), ("payload", i.Payload), ("due", Us(i.Due))]);
                    await cmd.ExecuteNonQueryAsync(cancellationToken);
                }
                tx.Commit();
            }
            catch
            {
                tx.Rollback();
                throw;
            }
        }
        finally
        {
            ReturnReader(c);
        }
    }

    public Task<IReadOnlyList<OutboxItem>> ClaimAsync(string owner, DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken) =>
        OutboxAsync($"""
            UPDATE outbox SET owner = $owner, lease_us = $lease
            WHERE id IN (SELECT id FROM outbox WHERE state = 'pending' AND due_us <= $now AND lease_us <= $now ORDER BY due_us LIMIT $limit)
            RETURNING {OutboxColumns}
            """, cancellationToken, ("owner", owner), ("lease", Us(now + lease)), ("now", Us(now)), ("limit", (long)limit));

    public Task CompleteAsync(OutboxItem item, DateTimeOffset at, CancellationToken cancellationToken) =>
        ExecuteOwnAsync("UPDATE outbox SET state = 'done', attempts = attempts + 1, lease_us = 0 WHERE id = $id", cancellationToken, ("id", item.Id));

    public Task RetryAsync(OutboxItem item, DateTimeOffset due, string error, CancellationToken cancellationToken) =>
        ExecuteOwnAsync("UPDATE outbox SET attempts = attempts + 1, due_us = $due, last_error = $error, lease_us = 0 WHERE id = $id AND state = 'pending'", cancellationToken,
            ("id", item.Id), ("due", Us(due)), ("error", error));

    public Task AbandonAsync(OutboxItem item, DateTimeOffset at, string error, CancellationToken cancellationToken) =>
        ExecuteOwnAsync("UPDATE outbox SET state = 'abandoned', attempts = attempts + 1, last_error = $error, lease_us = 0 WHERE id = $id", cancellationToken,
            ("id", item.Id), ("error", error));

    public async Task<OutboxItem?> GetOutboxItemAsync(string app, string id, CancellationToken cancellationToken) =>
        FirstOf(await OutboxAsync($"SELECT {OutboxColumns} FROM outbox WHERE app = $app AND id = $id", cancellationToken, ("app", app), ("id", id)));

    public Task<IReadOnlyList<OutboxItem>> ListOutboxAsync(string app, int limit, CancellationToken cancellationToken) =>
        OutboxAsync($"SELECT {OutboxColumns} FROM outbox WHERE app = $app AND state <> 'done' ORDER BY due_us, id LIMIT $limit", cancellationToken,
            ("app", app), ("limit", (long)limit));

    private async Task<IReadOnlyList<OutboxItem>> OutboxAsync(string sql, CancellationToken cancellationToken, params (string, object?)[] ps)
    {
        var c = RentReader();
        try
        {
            using var cmd = Command(c, sql, ps);
            using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            var list = new List<OutboxItem>();
            while (await r.ReadAsync(cancellationToken))
            {
                list.Add(new OutboxItem(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4), r.GetString(5), r.GetString(6),
                    FromUs(r.GetInt64(7)), r.GetInt32(8), r.IsDBNull(9) ? null : r.GetString(9), r.GetString(10)));
            }
            return list;
        }
        finally
        {
            ReturnReader(c);
        }
    }
}
