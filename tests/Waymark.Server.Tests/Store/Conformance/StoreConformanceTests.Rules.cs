using Waymark.Server.Store;
using static Waymark.Server.Tests.Store.Conformance.JourneyWriter;

namespace Waymark.Server.Tests.Store.Conformance;

/// <summary>Rule documents, the firing history and the actions' outbox (IRuleStore, IRuleHistory, IOutbox).</summary>
public abstract partial class StoreConformanceTests
{
    private static RuleFiring Firing(string id, string rule = "cart-idle", string customer = "c1", DateTimeOffset? at = null, string outcome = "fired") =>
        new(id, "shop", rule, 1, "v-" + customer, customer, "s-" + customer, "web", outcome, outcome == "fired" ? "matched" : "bucket 3 is below 1000 (holdout)",
            at ?? T0, "{\"rule\":\"" + rule + "\"}");

    private static OutboxItem Item(string firing, int action = 0, DateTimeOffset? due = null) =>
        new("msg_" + firing + "_" + action, "shop", "cart-idle", firing, action, "webhook", "{\"target\":\"crm\"}", due ?? T0);

    [Fact]
    public async Task RuleDocuments_TheLatestRevisionIsTheAppsRules_EveryRevisionKept()
    {
        await using var store = await CreateAsync();
        var rules = store.As<IRuleStore>();
        Assert.Null(await rules.GetRuleDocumentAsync("shop", CancellationToken.None));
        await rules.SaveRuleDocumentAsync(new StoredRuleDocument("shop", 1, "rules: []", "ann", T0), CancellationToken.None);
        await rules.SaveRuleDocumentAsync(new StoredRuleDocument("shop", 2, "rules: [x]", "bob", T0.AddMinutes(1)), CancellationToken.None);
        await rules.SaveRuleDocumentAsync(new StoredRuleDocument("travel", 1, "{}", "ann", T0), CancellationToken.None);
        await rules.SaveRuleDocumentAsync(new StoredRuleDocument("travel", 2, "", "ann", T0.AddMinutes(2), Deleted: true), CancellationToken.None);

        var shop = await rules.GetRuleDocumentAsync("shop", CancellationToken.None);
        Assert.Equal((2L, "rules: [x]", "bob", T0.AddMinutes(1), false), (shop!.Revision, shop.Text, shop.Author, shop.Saved, shop.Deleted));
        var all = await rules.ListRuleDocumentsAsync(CancellationToken.None);
        Assert.Equal([("shop", 2L, false), ("travel", 2L, true)], all.Select(d => (d.App, d.Revision, d.Deleted)));
        Assert.Equal([2L, 1L], (await rules.ListRuleRevisionsAsync("shop", CancellationToken.None)).Select(d => d.Revision));
    }

    [Fact]
    public async Task Enqueue_FiringsAndActionsInOneWrite_AgainChangesNothing()
    {
        await using var store = await CreateAsync();
        var outbox = store.As<IOutbox>();
        var history = store.As<IRuleHistory>();
        await outbox.EnqueueAsync([Firing("f1"), Firing("f2", customer: "c2", at: T0.AddSeconds(5), outcome: "held-out")], [Item("f1")], CancellationToken.None);
        var claimed = await outbox.ClaimAsync("node-a", T0.AddSeconds(1), TimeSpan.FromMinutes(1), 10, CancellationToken.None);
        await outbox.CompleteAsync(Assert.Single(claimed), T0.AddSeconds(2), CancellationToken.None);
        // The same step made again (a replay, a retried beacon): the done item stays done.
        await outbox.EnqueueAsync([Firing("f1")], [Item("f1")], CancellationToken.None);

        var firings = await history.ListFiringsAsync(new RuleFiringQuery("shop"), CancellationToken.None);
        Assert.Equal([("f2", "held-out"), ("f1", "fired")], firings.Select(f => (f.FiringId, f.Outcome)));
        Assert.Equal(("c1", "v-c1", "s-c1", "web", T0), (firings[1].Customer, firings[1].Visitor, firings[1].Session, firings[1].Channel, firings[1].At));
        Assert.Equal(["f1"], (await history.ListFiringsAsync(new RuleFiringQuery("shop", Customer: "c1"), CancellationToken.None)).Select(f => f.FiringId));
        Assert.Empty(await history.ListFiringsAsync(new RuleFiringQuery("shop", Rule: "other"), CancellationToken.None));
        Assert.Equal(["f2"], (await history.ListFiringsAsync(new RuleFiringQuery("shop", From: T0.AddSeconds(1)), CancellationToken.None)).Select(f => f.FiringId));
        var item = await outbox.GetOutboxItemAsync("shop", "msg_f1_0", CancellationToken.None);
        Assert.Equal((OutboxStates.Done, 1), (item!.State, item.Attempts));
        Assert.Empty(await outbox.ClaimAsync("node-a", T0.AddMinutes(5), TimeSpan.FromMinutes(1), 10, CancellationToken.None));
        Assert.Equal("{\"rule\":\"cart-idle\"}", (await history.GetFiringAsync("shop", "f1", CancellationToken.None))!.Props);
    }

    [Fact]
    public async Task Claim_DueItemsOnce_UntilTheLeaseEnds_RetryCountsAndDelays()
    {
        await using var store = await CreateAsync();
        var outbox = store.As<IOutbox>();
        await outbox.EnqueueAsync([Firing("f1"), Firing("f2")], [Item("f1"), Item("f2", due: T0.AddMinutes(10))], CancellationToken.None);

        var first = await outbox.ClaimAsync("node-a", T0.AddSeconds(1), TimeSpan.FromSeconds(30), 10, CancellationToken.None);
        Assert.Equal(["msg_f1_0"], first.Select(i => i.Id));
        // Under node-a's lease: nobody else gets it.
        Assert.Empty(await outbox.ClaimAsync("node-b", T0.AddSeconds(2), TimeSpan.FromSeconds(30), 10, CancellationToken.None));
        // node-a died: the lease ran out, node-b takes it over.
        var taken = await outbox.ClaimAsync("node-b", T0.AddSeconds(40), TimeSpan.FromSeconds(30), 10, CancellationToken.None);
        var item = Assert.Single(taken);
        Assert.Equal(("msg_f1_0", "f1", 0, "webhook", "{\"target\":\"crm\"}"), (item.Id, item.FiringId, item.Action, item.Type, item.Payload));

        await outbox.RetryAsync(item, T0.AddMinutes(1), "HTTP 500", CancellationToken.None);
        Assert.Empty(await outbox.ClaimAsync("node-b", T0.AddSeconds(50), TimeSpan.FromSeconds(30), 10, CancellationToken.None));
        var again = Assert.Single(await outbox.ClaimAsync("node-b", T0.AddMinutes(1), TimeSpan.FromSeconds(30), 10, CancellationToken.None));
        Assert.Equal((1, "HTTP 500"), (again.Attempts, again.LastError));
        await outbox.AbandonAsync(again, T0.AddMinutes(2), "HTTP 410", CancellationToken.None);

        var open = await outbox.ListOutboxAsync("shop", 10, CancellationToken.None);
        Assert.Equal([("msg_f1_0", OutboxStates.Abandoned, 2), ("msg_f2_0", OutboxStates.Pending, 0)], open.Select(i => (i.Id, i.State, i.Attempts)));
        Assert.Equal(["msg_f2_0"], (await outbox.ClaimAsync("node-a", T0.AddMinutes(10), TimeSpan.FromSeconds(30), 10, CancellationToken.None)).Select(i => i.Id));
    }

    [Fact]
    public async Task FiringEvents_WhatHappenedLater_InTimeOrder_PerFiring()
    {
        await using var store = await CreateAsync();
        var history = store.As<IRuleHistory>();
        await store.As<IOutbox>().EnqueueAsync([Firing("f1"), Firing("f2")], [], CancellationToken.None);
        await history.RecordFiringEventAsync(new RuleFiringEvent("f1", "shop", "cart-idle", "accepted", 0, T0.AddSeconds(9), null), CancellationToken.None);
        await history.RecordFiringEventAsync(new RuleFiringEvent("f1", "shop", "cart-idle", "shown", 0, T0.AddSeconds(3), "widget chat-offer"), CancellationToken.None);
        await history.RecordFiringEventAsync(new RuleFiringEvent("f2", "shop", "cart-idle", "failed", 1, T0.AddSeconds(4), "HTTP 500"), CancellationToken.None);

        var f1 = await history.ListFiringEventsAsync("shop", ["f1"], CancellationToken.None);
        Assert.Equal([("shown", 0, "widget chat-offer"), ("accepted", 0, (string?)null)], f1.Select(e => (e.Kind, e.Action, e.Detail)));
        Assert.Equal(3, (await history.ListFiringEventsAsync("shop", ["f1", "f2"], CancellationToken.None)).Count);
        Assert.Empty(await history.ListFiringEventsAsync("travel", ["f1"], CancellationToken.None));
    }
}
