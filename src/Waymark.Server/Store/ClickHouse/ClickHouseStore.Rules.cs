using System.Text.Json;
using Waymark.Server.Store;

namespace Waymark.Server.Store.ClickHouse;

/// <summary>
/// Rule documents, firings and the outbox on ClickHouse. The outbox is a
/// ReplacingMergeTree versioned by this node's sequence: enqueued rows have
/// version 1, so enqueueing again never undoes a later state. ClickHouse has
/// no transactions: a claim writes the lease and reads back which claims won,
/// and two nodes claiming in the same instant may both deliver (the receiver
/// sees the same idempotency key twice, as at-least-once allows).
/// </summary>
public sealed partial class ClickHouseStore : IRuleStore, IRuleHistory, IOutbox
{
    public async Task<StoredRuleDocument?> GetRuleDocumentAsync(string app, CancellationToken cancellationToken) =>
        (await _http.QueryAsync($"SELECT * FROM rule_documents FINAL WHERE app = {Sql.Str(app)} ORDER BY revision DESC LIMIT 1", cancellationToken)).Select(ReadDocument).FirstOrDefault();

    public async Task<IReadOnlyList<StoredRuleDocument>> ListRuleDocumentsAsync(CancellationToken cancellationToken) =>
        [.. (await _http.QueryAsync("SELECT * FROM rule_documents FINAL ORDER BY app, revision DESC LIMIT 1 BY app", cancellationToken)).Select(ReadDocument)];

    public async Task<IReadOnlyList<StoredRuleDocument>> ListRuleRevisionsAsync(string app, CancellationToken cancellationToken) =>
        [.. (await _http.QueryAsync($"SELECT * FROM rule_documents FINAL WHERE app = {Sql.Str(app)} ORDER BY revision DESC", cancellationToken)).Select(ReadDocument)];

    public Task SaveRuleDocumentAsync(StoredRuleDocument document, CancellationToken cancellationToken)
    {
        var d = document;
        return _http.InsertAsync("rule_documents", [JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["app"] = d.App, ["revision"] = d.Revision, ["text"] = d.Text, ["author"] = d.Author, ["saved_us"] = Sql.Us(d.Saved), ["deleted"] = d.Deleted ? 1 : 0,
        })], cancellationToken);
    }

    public async Task<IReadOnlyList<RuleFiring>> ListFiringsAsync(RuleFiringQuery query, CancellationToken cancellationToken)
    {
        var q = query;
        var where = "app = " + Sql.Str(q.App);
        where += q.Rule is null ? "" : " AND rule = " + Sql.Str(q.Rule);
        where += q.Customer is null ? "" : " AND customer = " + Sql.Str(q.Customer);
        where += q.From is { } from ? " AND at_us >= " + Sql.Num(Sql.Us(from)) : "";
        where += q.To is { } to ? " AND at_us < " + Sql.Num(Sql.Us(to)) : "";
        return [.. (await _http.QueryAsync($"SELECT * FROM rule_firings FINAL WHERE {where} ORDER BY at_us DESC, firing_id LIMIT {Sql.Num(Math.Clamp(q.Limit, 1, 100_000))}", cancellationToken)).Select(ReadFiring)];
    }

    public async Task<RuleFiring?> GetFiringAsync(string app, string firingId, CancellationToken cancellationToken) =>
        (await _http.QueryAsync($"SELECT * FROM rule_firings FINAL WHERE app = {Sql.Str(app)} AND firing_id = {Sql.Str(firingId)}", cancellationToken)).Select(ReadFiring).FirstOrDefault();

    public Task RecordFiringEventAsync(RuleFiringEvent e, CancellationToken cancellationToken) =>
        _http.InsertAsync("rule_firing_events", [JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["firing_id"] = e.FiringId, ["app"] = e.App, ["rule"] = e.Rule, ["kind"] = e.Kind, ["action"] = e.Action, ["at_us"] = Sql.Us(e.At), ["detail"] = e.Detail,
        })], cancellationToken);

    public async Task<IReadOnlyList<RuleFiringEvent>> ListFiringEventsAsync(string app, IReadOnlyCollection<string> firingIds, CancellationToken cancellationToken)
    {
        if (firingIds.Count == 0)
        {
            return [];
        }
        var rows = await _http.QueryAsync($"SELECT * FROM rule_firing_events WHERE app = {Sql.Str(app)} AND firing_id IN {Sql.List(firingIds.Take(5000))} ORDER BY at_us, kind", cancellationToken);
        return [.. rows.Select(r => new RuleFiringEvent(ClickHouseRows.S(r, "firing_id")!, ClickHouseRows.S(r, "app")!, ClickHouseRows.S(r, "rule")!,
            ClickHouseRows.S(r, "kind")!, (int)ClickHouseRows.L(r, "action"), ClickHouseRows.T(r, "at_us"), ClickHouseRows.S(r, "detail")))];
    }

    public async Task EnqueueAsync(IReadOnlyList<RuleFiring> firings, IReadOnlyList<OutboxItem> items, CancellationToken cancellationToken)
    {
        // The actions first: a failure after them fails the journey's step, which is made again with the same ids.
        await _http.InsertAsync("outbox", [.. items.Select(i => OutboxRow(1, i with { State = OutboxStates.Pending, Attempts = 0, LastError = null }, null, 0))], cancellationToken);
        await _http.InsertAsync("rule_firings", [.. firings.Select(f => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["firing_id"] = f.FiringId, ["app"] = f.App, ["rule"] = f.Rule, ["rule_version"] = f.RuleVersion, ["visitor"] = f.Visitor, ["customer"] = f.Customer,
            ["session"] = f.Session, ["channel"] = f.Channel, ["outcome"] = f.Outcome, ["reason"] = f.Reason, ["at_us"] = Sql.Us(f.At), ["props"] = f.Props,
        }))], cancellationToken);
    }

    public async Task<IReadOnlyList<OutboxItem>> ClaimAsync(string owner, DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken)
    {
        var nowUs = Sql.Num(Sql.Us(now));
        var candidates = (await _http.QueryAsync($"""
            SELECT * FROM outbox FINAL WHERE state = 'pending' AND due_us <= {nowUs} AND lease_us <= {nowUs} ORDER BY due_us LIMIT {Sql.Num(limit)}
            """, cancellationToken)).Select(ReadOutbox).ToList();
        if (candidates.Count == 0)
        {
            return [];
        }
        var until = Sql.Us(now + lease);
        await _http.InsertAsync("outbox", [.. candidates.Select(i => OutboxRow(NextSeq(), i, owner, until))], cancellationToken);
        var won = await _http.QueryAsync($"""
            SELECT * FROM outbox FINAL WHERE app IN {Sql.List(candidates.Select(i => i.App).Distinct())} AND id IN {Sql.List(candidates.Select(i => i.Id))}
              AND owner = {Sql.Str(owner)} AND lease_us = {Sql.Num(until)} AND state = 'pending'
            """, cancellationToken);
        return [.. won.Select(ReadOutbox)];
    }

    public Task CompleteAsync(OutboxItem item, DateTimeOffset at, CancellationToken cancellationToken) =>
        _http.InsertAsync("outbox", [OutboxRow(NextSeq(), item with { State = OutboxStates.Done, Attempts = item.Attempts + 1 }, null, 0)], cancellationToken);

    public Task RetryAsync(OutboxItem item, DateTimeOffset due, string error, CancellationToken cancellationToken) =>
        _http.InsertAsync("outbox", [OutboxRow(NextSeq(), item with { Due = due, Attempts = item.Attempts + 1, LastError = error }, null, 0)], cancellationToken);

    public Task AbandonAsync(OutboxItem item, DateTimeOffset at, string error, CancellationToken cancellationToken) =>
        _http.InsertAsync("outbox", [OutboxRow(NextSeq(), item with { State = OutboxStates.Abandoned, Attempts = item.Attempts + 1, LastError = error }, null, 0)], cancellationToken);

    public async Task<OutboxItem?> GetOutboxItemAsync(string app, string id, CancellationToken cancellationToken) =>
        (await _http.QueryAsync($"SELECT * FROM outbox FINAL WHERE app = {Sql.Str(app)} AND id = {Sql.Str(id)}", cancellationToken)).Select(ReadOutbox).FirstOrDefault();

    public async Task<IReadOnlyList<OutboxItem>> ListOutboxAsync(string app, int limit, CancellationToken cancellationToken) =>
        [.. (await _http.QueryAsync($"SELECT * FROM outbox FINAL WHERE app = {Sql.Str(app)} AND state != 'done' ORDER BY due_us, id LIMIT {Sql.Num(limit)}", cancellationToken)).Select(ReadOutbox)];

    private static byte[] OutboxRow(ulong version, OutboxItem i, string? owner, long leaseUs) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
    {
        ["version"] = version, ["id"] = i.Id, ["app"] = i.App, ["rule"] = i.Rule, ["firing_id"] = i.FiringId, ["action"] = i.Action, ["type"] = i.Type,
        ["payload"] = i.Payload, ["due_us"] = Sql.Us(i.Due), ["attempts"] = i.Attempts, ["last_error"] = i.LastError, ["state"] = i.State,
        ["owner"] = owner, ["lease_us"] = leaseUs,
    });

    private static OutboxItem ReadOutbox(JsonElement r) => new(
        ClickHouseRows.S(r, "id")!, ClickHouseRows.S(r, "app")!, ClickHouseRows.S(r, "rule")!, ClickHouseRows.S(r, "firing_id")!, (int)ClickHouseRows.L(r, "action"),
        ClickHouseRows.S(r, "type")!, ClickHouseRows.S(r, "payload")!, ClickHouseRows.T(r, "due_us"), (int)ClickHouseRows.L(r, "attempts"),
        ClickHouseRows.S(r, "last_error"), ClickHouseRows.S(r, "state")!);

    private static StoredRuleDocument ReadDocument(JsonElement r) => new(
        ClickHouseRows.S(r, "app")!, ClickHouseRows.L(r, "revision"), ClickHouseRows.S(r, "text")!, ClickHouseRows.S(r, "author")!,
        ClickHouseRows.T(r, "saved_us"), ClickHouseRows.B(r, "deleted"));

    private static RuleFiring ReadFiring(JsonElement r) => new(
        ClickHouseRows.S(r, "firing_id")!, ClickHouseRows.S(r, "app")!, ClickHouseRows.S(r, "rule")!, (int)ClickHouseRows.L(r, "rule_version"),
        ClickHouseRows.S(r, "visitor")!, ClickHouseRows.S(r, "customer")!, ClickHouseRows.S(r, "session")!, ClickHouseRows.S(r, "channel")!,
        ClickHouseRows.S(r, "outcome")!, ClickHouseRows.S(r, "reason")!, ClickHouseRows.T(r, "at_us"), ClickHouseRows.S(r, "props")!);
}
