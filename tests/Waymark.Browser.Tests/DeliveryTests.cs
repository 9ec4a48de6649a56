using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Waymark.Browser.Tests.Infrastructure;
using Waymark.Server.Store;
using Waymark.Server.Tests.Infrastructure;
using Waymark.Server.Store.DuckDb;
using static Waymark.Browser.Tests.Infrastructure.Timeline;

namespace Waymark.Browser.Tests;

/// <summary>Delivery when the page goes away and when the server cannot take beacons for a while.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DeliveryTests(ShopSite site) : IClassFixture<ShopSite>
{
    [Fact]
    public async Task ClosePage_EventsRightBeforeClosing_LastBatchArrivesBySendBeacon()
    {
        await using var shop = await ShopPage.OpenAsync(site);
        // A flush interval of 10 minutes: only leaving the page sends anything.
        await shop.GotoAsync("/site/home?flush=600000");
        var session = await shop.SessionAsync();
        var visitor = await shop.VisitorAsync();
        await shop.Page.WaitForFunctionAsync("() => waymark._debug().queue.some(b => b.events.some(e => e.type == 'view'))");
        await shop.Page.ClickAsync("#deals");
        var queued = await shop.Page.EvaluateAsync<string[]>("() => waymark._debug().queue.flatMap(b => b.events.map(e => e.type))");
        Assert.Contains("custom", queued);
        Assert.Equal(0, await shop.Page.EvaluateAsync<int>("() => waymark._debug().sent.length"));

        // Closing runs the page's unload handlers (pagehide), as a person closing the tab would.
        await shop.Page.CloseAsync(new() { RunBeforeUnload = true });

        var t = await Stored.TimelineAsync(site.Server, session,
            t => t.OfType("view").Count == 1 && t.OfType("action").Count == 1 && t.OfType("custom").Count == 1,
            "the page view, the click and its custom event");
        Assert.Equal("deals-shown", Text(Assert.Single(t.OfType("custom")), "name"));
        var click = Assert.Single(t.OfType("action"));
        Assert.Equal("click on button#deals[type=button]", Text(click, "name"));
        Assert.Empty(List(click, "frustration"));
        // The final vitals of the page go out in the same beacon.
        Assert.Contains(t.OfType("vital"), v => Text(v, "name") == "LCP");

        var beacons = site.Beacons.For(visitor);
        Assert.NotEmpty(beacons);
        Assert.All(beacons, b => Assert.True(b.ViaSendBeacon, $"beacon {b.Seq} came with Sec-Fetch-Mode {b.FetchMode}, not from sendBeacon"));
        Assert.All(beacons, b => Assert.Equal(200, b.Status));
        Assert.Equal(t.Events.Select(e => Text(e, "id")).Order(), beacons.SelectMany(b => b.EventIds).Order());
    }

    [Fact]
    public async Task ServerAnswers503_EventsKeptAcrossPagesAndSentOnRecovery_StoredOnceEach()
    {
        var store = site.Server.Application.Services.GetRequiredService<DuckDbStore>();
        await using var shop = await ShopPage.OpenAsync(site);
        Task<HttpResponseMessage>? filler = null;
        var pause = store.PauseWrites();
        string session;
        string visitor;
        try
        {
            // A paused store with a full backlog: the collector answers 503 with Retry-After.
            filler = site.Server.PostAsync(Backlog(1000));
            await Stored.UntilAsync(() => Task.FromResult(store.PendingEvents >= 1000), "the backlog to fill the store's pending bound");

            await shop.GotoAsync("/site/search");
            session = await shop.SessionAsync();
            visitor = await shop.VisitorAsync();
            await shop.Page.EvaluateAsync("() => { for (let i = 1; i <= 3; i++) waymark.track('step', { n: i }); }");
            // At least one retry after the server's Retry-After (1 s).
            await Stored.UntilAsync(() => Task.FromResult(site.Beacons.For(visitor).Count(b => b.Status == 503) >= 2), "two beacons answered 503");

            // The next page takes over what the last one could not send (localStorage retry queue).
            await shop.FollowAsync("#to-dates", "/site/dates");
            Assert.Equal(session, await shop.SessionAsync());
            await shop.Page.EvaluateAsync("() => waymark.track('dates-opened')");
            var refused = site.Beacons.For(visitor).Count(b => b.Status == 503);
            await Stored.UntilAsync(() => Task.FromResult(site.Beacons.For(visitor).Count(b => b.Status == 503) > refused), "a 503 for the second page");
            Assert.DoesNotContain(site.Beacons.For(visitor), b => b.Status == 200);
            Assert.Null(await Stored.TryTimelineAsync(site.Server, session));
        }
        finally
        {
            pause.Dispose();
        }
        using (var backlog = await filler!)
        {
            Assert.True(backlog.IsSuccessStatusCode);
        }

        var t = await Stored.TimelineAsync(site.Server, session,
            t => t.OfType("view").Count == 2 && t.OfType("custom").Count == 4, "both page views and the four custom events");
        // Let the agent finish anything left, then compare with everything it ever tried to send.
        await Stored.UntilAsync(async () => await shop.Page.EvaluateAsync<int>("() => waymark._debug().queue.length") == 0, "the agent's queue to empty");
        await shop.FlushAsync();
        t = (await Stored.TryTimelineAsync(site.Server, session))!;

        var ids = t.Events.Select(e => Text(e, "id")!).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(t.Events.Count, t.Session.GetProperty("events").GetInt32());
        var beacons = site.Beacons.For(visitor);
        // Retries are the agent's fetch (Sec-Fetch-Mode "cors"), told apart from sendBeacon ("no-cors").
        Assert.Contains(beacons, b => b.Status == 503 && b.FetchMode == "cors");
        var attempted = beacons.SelectMany(b => b.EventIds).Distinct().Order().ToList();
        Assert.Equal(attempted, ids.Order().ToList());
        Assert.Equal(["search", "dates"], t.OfType("view").Select(v => Text(v, "name")!.Split('/')[^1]));
        Assert.Equal([1, 2, 3], t.OfType("custom").Where(e => Text(e, "name") == "step").Select(e => Prop(e, "n")!.Value.GetInt32()).Order());
        Assert.Single(t.OfType("custom"), e => Text(e, "name") == "dates-opened");
        // Nothing was taken while the store was paused (checked above); everything after it.
        Assert.All(ids, id => Assert.Contains(beacons, b => b.Status == 200 && b.EventIds.Contains(id)));
        Assert.Equal("[]", await shop.Page.EvaluateAsync<string>("() => JSON.stringify(JSON.parse(localStorage.getItem('wm_q') || '[]'))"));
    }

    /// <summary>A batch of another app's events that fills the store's pending bound while it is paused.</summary>
    private static Dictionary<string, object?> Backlog(int events)
    {
        var now = TimeProvider.System.GetUtcNow();
        var list = Enumerable.Range(0, events).Select(i => (object)Beacons.Custom($"backlog-{i}", now.AddMilliseconds(-i)));
        return Beacons.Batch("backlog-visitor", "backlog-session", list, app: "other", key: "other-key");
    }
}
