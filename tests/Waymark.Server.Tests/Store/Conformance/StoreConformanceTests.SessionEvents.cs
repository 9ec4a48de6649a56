using Waymark.Core.Events;
using Waymark.Server.Store;
using static Waymark.Server.Tests.Store.Conformance.JourneyWriter;

namespace Waymark.Server.Tests.Store.Conformance;

public abstract partial class StoreConformanceTests
{
    private static async Task<List<SessionWithEvents>> ReadAllAsync(ISessionEvents store, SessionEventsQuery q)
    {
        var list = new List<SessionWithEvents>();
        await foreach (var s in store.ReadSessionEventsAsync(q, CancellationToken.None))
        {
            list.Add(s);
        }
        return list;
    }

    [Fact]
    public async Task SessionEvents_OneAppsSessionsInStartOrder_EachWithItsClientEventsOnce()
    {
        await using var store = await CreateAsync();
        var w = new JourneyWriter(store.Log);
        await SeedAsync(w);
        // A retry of s1's last batch, and a session of the next day.
        await w.ApplyAsync(Context("v1", "s1", received: T0.AddSeconds(20)), Conversion("a3", T0.AddSeconds(9)));
        await w.ApplyAsync(Context("v5", "s5", received: T0.AddDays(1)), View("e1", T0.AddDays(1), "Home"));

        var all = await ReadAllAsync(store.SessionEvents, new SessionEventsQuery("shop", T0.AddHours(-1), T0.AddDays(2)));

        Assert.Equal(["s1", "s2", "s3", "s5"], all.Select(s => s.Session.SessionId));
        Assert.Equal(["a1", "a2", "a3"], all[0].Events.Select(e => e.Event.EventId));
        Assert.Equal([EventType.View, EventType.Error], all[1].Events.Select(e => e.Event.Type));
        Assert.Equal([EventType.View, EventType.SessionEnd], all[2].Events.Select(e => e.Event.Type));
        Assert.All(all, s => Assert.All(s.Events, e => Assert.Equal(s.Session.SessionId, e.Session)));

        var mobile = await ReadAllAsync(store.SessionEvents, new SessionEventsQuery("shop", T0.AddHours(-1), T0.AddDays(2), Channel: "mobile"));
        Assert.Equal(["s3"], mobile.Select(s => s.Session.SessionId));
        var firstDay = await ReadAllAsync(store.SessionEvents, new SessionEventsQuery("shop", T0.AddHours(-1), T0.AddHours(1), MaxSessions: 2));
        Assert.Equal(["s1", "s2"], firstDay.Select(s => s.Session.SessionId));
        Assert.Empty(await ReadAllAsync(store.SessionEvents, new SessionEventsQuery("nothing", T0.AddHours(-1), T0.AddDays(2))));
    }
}
