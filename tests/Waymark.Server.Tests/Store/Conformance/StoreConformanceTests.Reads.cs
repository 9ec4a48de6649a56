using Waymark.Core.Events;
using Waymark.Core.Identity;
using Waymark.Core.Journeys;
using Waymark.Core.Sessions;
using Waymark.Server.Store;
using static Waymark.Server.Tests.Store.Conformance.JourneyWriter;

namespace Waymark.Server.Tests.Store.Conformance;

public abstract partial class StoreConformanceTests
{
    /// <summary>Four sessions of two apps: converted, frustrated with an error, ended by the app, on mobile.</summary>
    private static async Task SeedAsync(JourneyWriter w)
    {
        await w.ApplyAsync(Context("v1", "s1"), View("a1", T0, "Home"), Action("a2", T0.AddSeconds(3)), Conversion("a3", T0.AddSeconds(9)));
        await w.ApplyAsync(Context("v2", "s2"), View("b1", T0.AddMinutes(1), "Dates", 20000), Error("b2", T0.AddMinutes(1).AddSeconds(2), "TypeError: locale", "fp-locale"));
        await w.ApplyAsync(Context("v3", "s3", channel: "mobile"), View("c1", T0.AddMinutes(2), "Basket"), End("c2", T0.AddMinutes(3)));
        await w.ApplyAsync(Context("v4", "s4", app: "other"), View("d1", T0.AddMinutes(4)));
    }

    [Fact]
    public async Task Query_EachFilterNarrowsAsTheSessionsSay()
    {
        await using var store = await CreateAsync();
        await SeedAsync(new JourneyWriter(store.Log));
        async Task<string[]> Ids(SessionQuery q) => [.. (await store.Sessions.QueryAsync(q, CancellationToken.None)).Sessions.Select(s => s.SessionId).Order(StringComparer.Ordinal)];

        Assert.Equal(["s1", "s2", "s3"], await Ids(new() { App = "shop" }));
        Assert.Equal(["s3"], await Ids(new() { App = "shop", Channel = "mobile" }));
        Assert.Equal(["s1"], await Ids(new() { App = "shop", Converted = true }));
        Assert.Equal(["s2"], await Ids(new() { App = "shop", HasErrors = true }));
        Assert.Equal(["s2"], await Ids(new() { App = "shop", Experience = Experience.Frustrated }));
        Assert.Equal(["s1", "s2"], await Ids(new() { App = "shop", Active = true }));
        Assert.Equal(["s3"], await Ids(new() { App = "shop", Active = false }));
        Assert.Equal(["s1", "s3"], await Ids(new() { App = "shop", Visitors = ["v1"], SessionIds = ["s3"] }));
        Assert.Equal(["s2"], await Ids(new() { App = "shop", From = T0.AddMinutes(1), To = T0.AddMinutes(2) }));
        Assert.Equal(["s1", "s2"], await Ids(new() { App = "shop", DeviceClass = "desktop", Country = "nl" }));

        var (page, total) = await store.Sessions.QueryAsync(new SessionQuery { App = "shop", Order = SessionOrder.FrustratedFirst, Limit = 2 }, CancellationToken.None);
        Assert.Equal(3, total);
        Assert.Equal("s2", page[0].SessionId);
        Assert.Equal(2, page.Count);
        var (rest, _) = await store.Sessions.QueryAsync(new SessionQuery { App = "shop", Limit = 2, Offset = 2 }, CancellationToken.None);
        Assert.Equal(["s1"], rest.Select(s => s.SessionId));
    }

    [Fact]
    public async Task GetAndTimeline_TheSessionsEventsInTimeOrder_WithoutSystemFacts()
    {
        await using var store = await CreateAsync();
        await SeedAsync(new JourneyWriter(store.Log));

        var s = await store.Sessions.GetAsync(null, "s3", CancellationToken.None);
        Assert.NotNull(s);
        Assert.Equal((true, EndReasons.App, "mobile"), (s.Ended, s.EndReason, s.Channel));
        var timeline = await store.Sessions.GetTimelineAsync(s, CancellationToken.None);
        Assert.Equal([EventType.View, EventType.SessionEnd], timeline.Select(e => e.Event.Type));
        Assert.Null(await store.Sessions.GetAsync("other", "s3", CancellationToken.None));
        // The client's events: 3 + 2 + 2 in the shop, 1 in the other app; session boundaries are not counted.
        Assert.Equal(7, await store.Sessions.CountEventsAsync("shop", CancellationToken.None));
        Assert.Equal(8, await store.Sessions.CountEventsAsync(null, CancellationToken.None));
    }

    [Fact]
    public async Task Facets_TheValuesTheSessionsHave()
    {
        await using var store = await CreateAsync();
        await SeedAsync(new JourneyWriter(store.Log));
        var f = await store.Sessions.FacetsAsync("shop", CancellationToken.None);
        Assert.Equal(["NL"], f.Countries);
        Assert.Equal(["desktop", "mobile"], f.Devices);
        Assert.Equal(["Chrome"], f.Browsers);
    }

    [Fact]
    public async Task Overview_ActiveNowChannelsErrorsThirdPartiesAndVitals()
    {
        await using var store = await CreateAsync();
        var w = new JourneyWriter(store.Log);
        await SeedAsync(w);
        await w.ApplyAsync(Context("v5", "s5"), View("e1", T0.AddMinutes(5)), Request("e2", T0.AddMinutes(5).AddSeconds(1), "https://partner.example/avail", 503, 900, thirdParty: true),
            Vital("e3", T0.AddMinutes(5).AddSeconds(2), "LCP", 2000), Error("e4", T0.AddMinutes(5).AddSeconds(3), "TypeError: locale", "fp-locale"));

        var o = await store.Analytics.OverviewAsync(new OverviewQuery("shop", null, T0.AddHours(-1), T0.AddHours(1), Daily: false), CancellationToken.None);

        Assert.Equal(3, o.ActiveSessions);
        Assert.Equal(4, o.All.Sessions);
        Assert.Equal(1, o.All.Converted);
        Assert.Equal(["web", "mobile"], o.Channels.Select(c => c.Channel));
        var top = o.TopErrors[0];
        Assert.Equal(("fp-locale", 2L, 2L), (top.Fingerprint, top.Sessions, top.Occurrences));
        var host = Assert.Single(o.ThirdParties);
        Assert.Equal(("partner.example", 1L, 1L), (host.Host, host.Requests, host.Failed));
        Assert.Equal(2000, Assert.Single(o.Vitals, v => v.Name == "LCP").P75);
    }

    [Fact]
    public async Task Links_OneCustomerAcrossVisitors_UndoTakesOneApart()
    {
        await using var store = await CreateAsync();
        var w = new JourneyWriter(store.Log);
        await w.ApplyAsync(Context("phone-app", "m1", channel: "mobile"), View("a", T0), Identify("b", T0.AddSeconds(1), IdentityKeys.User, "cust-1", new IdentityTrait(IdentityKeys.Email, "email-key")));
        await w.ApplyAsync(Context("laptop", "w1"), View("c", T0.AddMinutes(1)), Identify("d", T0.AddMinutes(1).AddSeconds(1), IdentityKeys.Email, "email-key"));
        await w.ApplyAsync(Context("desk-7", "k1", channel: "kiosk"), Identify("e", T0.AddMinutes(2), IdentityKeys.Loyalty, "card-key"), View("f", T0.AddMinutes(2)));
        await w.ApplyAsync(Context("laptop", "w1"), Identify("g", T0.AddMinutes(3), IdentityKeys.Loyalty, "card-key"));
        await w.ApplyAsync(Context("desk-7", "k2", channel: "kiosk"), View("h", T0.AddMinutes(30)));

        var customer = await store.Links.GetCustomerAsync("shop", IdentityKeys.User, "cust-1", CancellationToken.None);
        Assert.NotNull(customer);
        // The kiosk's link is its session's: the next customer at the desk is not this one.
        Assert.Equal(["k1", "m1", "w1"], customer.Sessions.Select(s => s.SessionId).Order(StringComparer.Ordinal));
        Assert.Equal(("loyalty", "card-key"), await store.Links.LinkOfAsync("shop", "desk-7", "k1", CancellationToken.None));
        Assert.Null(await store.Links.LinkOfAsync("shop", "desk-7", "k2", CancellationToken.None));

        var email = customer.Links.First(l => l.Visitor == "laptop" && l.Kind == IdentityKeys.Email);
        var undone = await store.Links.UndoLinkAsync("shop", email.Id, "wrong person", T0.AddHours(1), CancellationToken.None);
        Assert.Equal("wrong person", undone?.UndoneReason);
        var after = await store.Links.GetCustomerAsync("shop", IdentityKeys.User, "cust-1", CancellationToken.None);
        Assert.Equal(["m1"], after!.Sessions.Select(s => s.SessionId));
        Assert.Contains(after.Links, l => l.Id == email.Id && l.UndoneAt is not null);
        Assert.Null(await store.Links.GetCustomerAsync("shop", IdentityKeys.User, "nobody", CancellationToken.None));
    }

    [Fact]
    public async Task Notes_AddedListedAndCounted()
    {
        await using var store = await CreateAsync();
        await store.Notes.AddNoteAsync(new SessionNote("n1", "shop", "s1", "olga", "CASE-1", "called", T0), CancellationToken.None);
        await store.Notes.AddNoteAsync(new SessionNote("n2", "shop", "s1", "piet", null, "again", T0.AddMinutes(1)), CancellationToken.None);
        await store.Notes.AddNoteAsync(new SessionNote("n3", "shop", "s2", "olga", null, "other", T0), CancellationToken.None);

        var notes = await store.Notes.ListNotesAsync("shop", "s1", CancellationToken.None);
        Assert.Equal(["n1", "n2"], notes.Select(n => n.Id));
        Assert.Equal(("olga", "CASE-1", "called"), (notes[0].Author, notes[0].Reference, notes[0].Text));
        var counts = await store.Notes.CountNotesAsync("shop", ["s1", "s2", "s3"], CancellationToken.None);
        Assert.Equal(2, counts["s1"]);
        Assert.Equal(1, counts["s2"]);
        Assert.False(counts.ContainsKey("s3"));
    }

    [Fact]
    public async Task Accounts_AndTokens_StoredByHash()
    {
        await using var store = await CreateAsync();
        Assert.Equal(0, await store.Accounts.CountAccountsAsync(CancellationToken.None));
        Assert.True(await store.Accounts.TryAddAccountAsync(new StoredAccount("anna", "hash-1", "analyst", T0), CancellationToken.None));
        Assert.False(await store.Accounts.TryAddAccountAsync(new StoredAccount("anna", "hash-2", "admin", T0), CancellationToken.None));
        Assert.Equal("hash-1", (await store.Accounts.FindAccountAsync("anna", CancellationToken.None))?.PasswordHash);
        Assert.Null(await store.Accounts.FindAccountAsync("bob", CancellationToken.None));
        Assert.Equal(["anna"], (await store.Accounts.ListAccountsAsync(CancellationToken.None)).Select(a => a.Username));

        await store.Accounts.AddTokenAsync(new StoredToken("token-hash", "ci", "operator", T0, Revoked: false), CancellationToken.None);
        Assert.Equal(("ci", "operator", false), (await store.Accounts.FindTokenAsync("token-hash", CancellationToken.None)) is { } t ? (t.Name, t.Role, t.Revoked) : default);
        Assert.Null(await store.Accounts.FindTokenAsync("other", CancellationToken.None));

        await store.Accounts.AddTokenAsync(new StoredToken("token-2", "nightly", "analyst", T0.AddMinutes(1), false, "read", T0.AddDays(90)), CancellationToken.None);
        var scoped = await store.Accounts.FindTokenAsync("token-2", CancellationToken.None);
        Assert.Equal(("read", T0.AddDays(90)), (scoped?.Scope, scoped?.Expires));
        Assert.Equal("admin", (await store.Accounts.FindTokenAsync("token-hash", CancellationToken.None))?.Scope);
        Assert.Equal(["nightly", "ci"], (await store.Accounts.ListTokensAsync(CancellationToken.None)).Select(t => t.Name));
        Assert.True(await store.Accounts.RevokeTokenAsync("token-2", CancellationToken.None));
        Assert.False(await store.Accounts.RevokeTokenAsync("none", CancellationToken.None));
        Assert.True((await store.Accounts.FindTokenAsync("token-2", CancellationToken.None))?.Revoked);
        Assert.Equal(2, (await store.Accounts.ListTokensAsync(CancellationToken.None)).Count);
    }
}
