using DuckDB.NET.Data;
using Waymark.Server.Store;

namespace Waymark.Server.Store.DuckDb;

/// <summary>Rule documents (every revision) and the history of firings: beside the events, written by the rules area.</summary>
public sealed partial class DuckDbStore : IRuleStore, IRuleHistory
{
    internal const string RuleDocumentColumns = "app, revision, text, author, saved_us, deleted";
    internal const string FiringColumns = "firing_id, app, rule, rule_version, visitor, customer, session, channel, outcome, reason, at_us, props";

    public async Task<StoredRuleDocument?> GetRuleDocumentAsync(string app, CancellationToken cancellationToken) =>
        FirstOf(await RuleDocsAsync($"SELECT {RuleDocumentColumns} FROM rule_documents WHERE app = $app ORDER BY revision DESC LIMIT 1", cancellationToken, ("app", app)));

    public Task<IReadOnlyList<StoredRuleDocument>> ListRuleDocumentsAsync(CancellationToken cancellationToken) =>
        RuleDocsAsync($"SELECT {RuleDocumentColumns} FROM rule_documents QUALIFY row_number() OVER (PARTITION BY app ORDER BY revision DESC) = 1 ORDER BY app", cancellationToken);

    public Task<IReadOnlyList<StoredRuleDocument>> ListRuleRevisionsAsync(string app, CancellationToken cancellationToken) =>
        RuleDocsAsync($"SELECT {RuleDocumentColumns} FROM rule_documents WHERE app = $app ORDER BY revision DESC", cancellationToken, ("app", app));

    public Task SaveRuleDocumentAsync(StoredRuleDocument document, CancellationToken cancellationToken) =>
        ExecuteOwnAsync("INSERT OR IGNORE INTO rule_documents VALUES ($app, $revision, $text, $author, $saved, $deleted)", cancellationToken,
            ("app", document.App), ("revision", document.Revision), ("text", document.Text), ("author", document.Author),
            ("saved", Us(document.Saved)), ("deleted", document.Deleted));

    public async Task<IReadOnlyList<RuleFiring>> ListFiringsAsync(RuleFiringQuery query, CancellationToken cancellationToken)
    {
        var where = "app = $app";
        var ps = new List<(string, object?)> { ("app", query.App), ("limit", (long)Math.Clamp(query.Limit, 1, 100_000)) };
        if (query.Rule is not null)
        {
            where += " AND rule = $rule";
            ps.Add(("rule", query.Rule));
        }
        if (query.Customer is not null)
        {
            where += " AND customer = $customer";
            ps.Add(("customer", query.Customer));
        }
        if (query.From is { } from)
        {
            where += " AND at_us >= $from";
            ps.Add(("from", Us(from)));
        }
        if (query.To is { } to)
        {
            where += " AND at_us < $to";
            ps.Add(("to", Us(to)));
        }
        return await FiringsAsync($"SELECT {FiringColumns} FROM rule_firings WHERE {where} ORDER BY at_us DESC, firing_id LIMIT $limit", cancellationToken, [.. ps]);
    }

    public async Task<RuleFiring?> GetFiringAsync(string app, string firingId, CancellationToken cancellationToken) =>
        FirstOf(await FiringsAsync($"SELECT {FiringColumns} FROM rule_firings WHERE app = $app AND firing_id = $id", cancellationToken, ("app", app), ("id", firingId)));

    public Task RecordFiringEventAsync(RuleFiringEvent e, CancellationToken cancellationToken) =>
        ExecuteOwnAsync("INSERT INTO rule_firing_events VALUES ($id, $app, $rule, $kind, $action, $at, $detail)", cancellationToken,
            ("id", e.FiringId), ("app", e.App), ("rule", e.Rule), ("kind", e.Kind), ("action", e.Action), ("at", Us(e.At)), ("detail", e.Detail));

    public async Task<IReadOnlyList<RuleFiringEvent>> ListFiringEventsAsync(string app, IReadOnlyCollection<string> firingIds, CancellationToken cancellationToken)
    {
        if (firingIds.Count == 0)
        {
            return [];
        }
        var ps = new List<(string, object?)> { ("app", app) };
        var names = new List<string>();
        foreach (var id in firingIds.Take(5000))
        {
            var n = "f" + names.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            names.Add("$" + n);
            ps.Add((n, id));
        }
        var c = RentReader();
        try
        {
            using var cmd = Command(c, $"SELECT firing_id, app, rule, kind, action, at_us, detail FROM rule_firing_events WHERE app = $app AND firing_id IN ({string.Join(", ", names)}) ORDER BY at_us, kind", [.. ps]);
            using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            var list = new List<RuleFiringEvent>();
            while (await r.ReadAsync(cancellationToken))
            {
                list.Add(new RuleFiringEvent(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4), FromUs(r.GetInt64(5)), r.IsDBNull(6) ? null : r.GetString(6)));
            }
            return list;
        }
        finally
        {
            ReturnReader(c);
        }
    }

    private async Task<IReadOnlyList<StoredRuleDocument>> RuleDocsAsync(string sql, CancellationToken cancellationToken, params (string, object?)[] ps)
    {
        var c = RentReader();
        try
        {
            using var cmd = Command(c, sql, ps);
            using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            var list = new List<StoredRuleDocument>();
            while (await r.ReadAsync(cancellationToken))
            {
                list.Add(new StoredRuleDocument(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetString(3), FromUs(r.GetInt64(4)), r.GetBoolean(5)));
            }
            return list;
        }
        finally
        {
            ReturnReader(c);
        }
    }

    private async Task<IReadOnlyList<RuleFiring>> FiringsAsync(string sql, CancellationToken cancellationToken, params (string, object?)[] ps)
    {
        var c = RentReader();
        try
        {
            using var cmd = Command(c, sql, ps);
            using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            var list = new List<RuleFiring>();
            while (await r.ReadAsync(cancellationToken))
            {
                list.Add(new RuleFiring(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetString(4), r.GetString(5), r.GetString(6),
                    r.GetString(7), r.GetString(8), r.GetString(9), FromUs(r.GetInt64(10)), r.GetString(11)));
            }
            return list;
        }
        finally
        {
            ReturnReader(c);
        }
    }

    private async Task ExecuteOwnAsync(string sql, CancellationToken cancellationToken, params (string, object?)[] ps)
    {
        var c = RentReader();
        try
        {
            using var cmd = Command(c, sql, ps);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            ReturnReader(c);
        }
    }

    private static DuckDBCommand Command(DuckDBConnection c, string sql, (string Name, object? Value)[] ps)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in ps)
        {
            cmd.Parameters.Add(new DuckDBParameter(name, value ?? DBNull.Value));
        }
        return cmd;
    }

    private static T? FirstOf<T>(IReadOnlyList<T> list) where T : class => list.Count > 0 ? list[0] : null;

    private static long Us(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private static DateTimeOffset FromUs(long us) => new(DateTimeOffset.UnixEpoch.UtcTicks + (us * 10), TimeSpan.Zero);
}
