using Waymark.Core.Events;
using Waymark.Core.Identity;
using Waymark.Core.Journeys;
using Waymark.Core.Sessions;
using Waymark.Server.Store;
using static Waymark.Server.Tests.Store.Conformance.JourneyWriter;

namespace Waymark.Server.Tests.Store.Conformance;

/// <summary>
/// What every store must do, through its contracts only: the event log
/// (durable appends, retry lookups, replay, deadlines), the session read
/// model, the analytics, identity links, notes and accounts. Each store
/// implementation runs the same tests by deriving from this class.
/// </summary>
public abstract partial class StoreConformanceTests
{
    /// <summary>A new, empty store.</summary>
    protected abstract Task<StoreUnderTest> CreateAsync();

    /// <summary>The same store closed and opened again (what a restart does).</summary>
    protected abstract Task<StoreUnderTest> ReopenAsync(StoreUnderTest store);

    [Fact]
    public async Task Append_Completed_IsSeenByEveryQueryAtOnce()
    {
        await using var store = await CreateAsync();
        var w = new JourneyWriter(store.Log);
        await w.ApplyAsync(Context("v1", "s1"), View("e1", T0), Action("e2", T0.AddSeconds(5)), Conversion("e3", T0.AddSeconds(9)));

        var (sessions, total) = await store.Sessions.QueryAsync(new SessionQuery { App = "shop" }, CancellationToken.None);
        Assert.Equal(1, total);
        var s = Assert.Single(sessions);
        Assert.Equal(("s1", 3, 1, 1, true), (s.SessionId, s.Events, s.Pages, s.Actions, s.Converted));
        Assert.Equal(3, await store.Sessions.CountEventsAsync("shop", CancellationToken.None));
    }

    [Fact]
    public async Task Append_SurvivesAReopen_FactsAndSummaries()
    {
        var store = await CreateAsync();
        var w = new JourneyWriter(store.Log);
        await w.ApplyAsync(Context("v1", "s1"), View("e1", T0), Error("e2", T0.AddSeconds(2), "TypeError: x", "fp-x"));
        await using var reopened = await ReopenAsync(store);

        var s = await reopened.Sessions.GetAsync("shop", "s1", CancellationToken.None);
        Assert.NotNull(s);
        Assert.Equal((2, 1), (s.Events, s.Errors));
        var timeline = await reopened.Sessions.GetTimelineAsync(s, CancellationToken.None);
        Assert.Equal(["e1", "e2"], timeline.Select(e => e.Event.EventId));
    }

    [Fact]
    public async Task FindEventIds_OnlyTheVisitorsIdsInTheReceivedRange()
    {
        await using var store = await CreateAsync();
        var w = new JourneyWriter(store.Log);
        await w.ApplyAsync(Context("v1", "s1", received: T0), View("a", T0), View("b", T0.AddSeconds(1)));
        await w.ApplyAsync(Context("v1", "s1", received: T0.AddMinutes(10)), View("c", T0.AddMinutes(10)));
        await w.ApplyAsync(Context("v2", "s2", received: T0), View("d", T0));

        var some = await store.Log.FindEventIdsAsync("shop", "v1", ["a", "c", "d", "zz"], T0.AddMinutes(-1), T0.AddMinutes(20), CancellationToken.None);
        Assert.Equal(["a", "c"], some.Select(e => e.EventId).Order());
        Assert.All(some, e => Assert.Equal("s1", e.Session));
        var early = await store.Log.FindEventIdsAsync("shop", "v1", null, T0.AddMinutes(-1), T0.AddMinutes(1), CancellationToken.None);
        Assert.Equal(["a", "b"], early.Select(e => e.EventId).Order());
        Assert.Empty(await store.Log.FindEventIdsAsync("shop", "nobody", null, T0.AddDays(-1), T0.AddDays(1), CancellationToken.None));
    }

    [Fact]
    public async Task LoadLatestSessions_TheLatestOfEachChannel_InAppendOrder_WithFactsWrittenLater()
    {
        await using var store = await CreateAsync();
        var w = new JourneyWriter(store.Log);
        await w.ApplyAsync(Context("v1", "s1"), View("a", T0));
        await w.ApplyAsync(Context("v1", "s2"), View("b", T0.AddMinutes(5)));
        await w.ApplyAsync(Context("v1", "m1", channel: "mobile"), View("c", T0.AddMinutes(6)));
        // The web session ends at its deadline: a fact received long after its last event.
        var end = await w.AdvanceAsync("shop", "v1", T0.AddHours(1));
        Assert.Contains(end.Facts, f => f.Event.Type == EventType.SessionEnded && f.Session == "s2");

        var facts = await store.Log.LoadLatestSessionsAsync("shop", "v1", CancellationToken.None);

        Assert.Equal(["m1", "s2"], facts.Select(f => f.Session).Distinct().Order(StringComparer.Ordinal));
        var web = facts.Where(f => f.Session == "s2").Select(f => f.Event.Type).ToList();
        Assert.Equal([EventType.SessionStarted, EventType.View, EventType.SessionEnded], web);
        // A journey replayed from them is where the live one was.
        var replayed = new VisitorJourney("shop", "v1", new SessionRules(), new ApdexThresholds());
        replayed.Replay(facts);
        Assert.True(replayed.Knows("b"));
        Assert.Equal(("s2", true, EndReasons.Inactivity), replayed.Sessions.Where(s => s.Channel == "web").Select(s => (s.SessionId, s.Ended, s.EndReason)).Single());
    }

    [Fact]
    public async Task DueVisitors_EarliestFirst_NotBeforeDue_ClearedWhenNone()
    {
        await using var store = await CreateAsync();
        var w = new JourneyWriter(store.Log);
        var late = await w.ApplyAsync(Context("v-late", "s1"), View("a", T0.AddMinutes(20)));
        var early = await w.ApplyAsync(Context("v-early", "s2"), View("b", T0));
        Assert.NotNull(late.Deadline);
        Assert.True(early.Deadline < late.Deadline);

        Assert.Empty(await store.Log.DueVisitorsAsync(early.Deadline!.Value.AddSeconds(-1), 10, CancellationToken.None));
        var due = await store.Log.DueVisitorsAsync(late.Deadline!.Value, 10, CancellationToken.None);
        Assert.Equal(["v-early", "v-late"], due.Select(d => d.Visitor));
        Assert.Equal(early.Deadline, due[0].Due);
        Assert.Single(await store.Log.DueVisitorsAsync(late.Deadline.Value, 1, CancellationToken.None));

        // Ending the session leaves the visitor nothing to wait for.
        var ended = await w.AdvanceAsync("shop", "v-early", early.Deadline.Value);
        Assert.Null(ended.Deadline);
        Assert.Equal(["v-late"], (await store.Log.DueVisitorsAsync(late.Deadline.Value, 10, CancellationToken.None)).Select(d => d.Visitor));
    }

    [Fact]
    public async Task HasRoomFor_AnIdleStoreTakesABatch()
    {
        await using var store = await CreateAsync();
        Assert.True(store.Log.HasRoomFor(1000));
        Assert.Equal(0, store.Log.PendingEvents);
        Assert.True(store.Log.RetryAfter > TimeSpan.Zero);
    }
}
