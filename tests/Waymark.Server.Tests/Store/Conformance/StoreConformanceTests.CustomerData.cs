using Waymark.Core.Identity;
using Waymark.Server.Store;
using static Waymark.Server.Tests.Store.Conformance.JourneyWriter;

namespace Waymark.Server.Tests.Store.Conformance;

public abstract partial class StoreConformanceTests
{
    /// <summary>Two customers in one app (cust-a on web and mobile, cust-b on web) and one unlinked visitor.</summary>
    private static async Task SeedCustomersAsync(JourneyWriter w)
    {
        await w.ApplyAsync(Context("va-web", "sa1", user: "cust-a"), View("a1", T0, "Home"), View("a2", T0.AddSeconds(5), "Basket"));
        await w.ApplyAsync(Context("va-app", "sa2", channel: "mobile", user: "cust-a", received: T0.AddMinutes(1)), View("a3", T0.AddMinutes(1), "Trips"));
        await w.ApplyAsync(Context("vb-web", "sb1", user: "cust-b"), View("b1", T0, "Home"));
        await w.ApplyAsync(Context("vc-web", "sc1"), View("c1", T0, "Home"));
    }

    [Fact]
    public async Task CustomerData_Export_HoldsTheCustomersRowsOnly()
    {
        await using var store = await CreateAsync();
        await SeedCustomersAsync(new JourneyWriter(store.Log));
        var doc = await store.As<ICustomerData>().ExportCustomerAsync("shop", IdentityKeys.User, "cust-a", CancellationToken.None);

        Assert.NotNull(doc);
        var text = doc.ToJsonString();
        Assert.Contains("va-web", text, StringComparison.Ordinal);
        Assert.Contains("va-app", text, StringComparison.Ordinal);
        Assert.DoesNotContain("vb-web", text, StringComparison.Ordinal);
        Assert.DoesNotContain("vc-web", text, StringComparison.Ordinal);
        Assert.Equal(2, doc["sessions"]!.AsArray().Count);
        Assert.Contains(doc["events"]!.AsArray(), e => e!["event_id"]!.GetValue<string>() == "a3");
        Assert.Null(await store.As<ICustomerData>().ExportCustomerAsync("shop", IdentityKeys.User, "nobody", CancellationToken.None));
    }

    [Fact]
    public async Task CustomerData_Erase_RemovesEveryRowOfTheCustomer_AndKeepsTheOthers()
    {
        await using var store = await CreateAsync();
        await SeedCustomersAsync(new JourneyWriter(store.Log));
        var sa1 = (await store.Links.GetCustomerAsync("shop", IdentityKeys.User, "cust-a", CancellationToken.None))!.Sessions.First(s => s.ClientSession == "sa1").SessionId;
        await store.Notes.AddNoteAsync(new SessionNote("n1", "shop", sa1, "admin", null, "called back", T0), CancellationToken.None);

        var receipt = await store.As<ICustomerData>().EraseCustomerAsync("shop", IdentityKeys.User, "cust-a", T0, CancellationToken.None);

        Assert.NotNull(receipt);
        Assert.Equal(["va-app", "va-web"], receipt.Visitors);
        // The three client events and the journey's own facts of the two sessions.
        Assert.True(receipt.RowsRemoved["events"] >= 3, $"{receipt.RowsRemoved["events"]} events removed");
        Assert.Equal(2, receipt.RowsRemoved["sessions"]);
        Assert.Equal(1, receipt.RowsRemoved["session_notes"]);
        Assert.Null(await store.Links.GetCustomerAsync("shop", IdentityKeys.User, "cust-a", CancellationToken.None));
        Assert.Null(await store.As<ICustomerData>().ExportCustomerAsync("shop", IdentityKeys.User, "cust-a", CancellationToken.None));
        Assert.Empty(await store.Notes.ListNotesAsync("shop", sa1, CancellationToken.None));
        var b = await store.Links.GetCustomerAsync("shop", IdentityKeys.User, "cust-b", CancellationToken.None);
        Assert.NotNull(b);
        Assert.Single(b.Sessions);
        var all = await ReadAllAsync(store.SessionEvents, new Waymark.Server.Store.SessionEventsQuery("shop", T0.AddHours(-1), T0.AddDays(1)));
        Assert.Equal(["sb1", "sc1"], all.Select(s => s.Session.ClientSession).Order(StringComparer.Ordinal));
        // Erased once: a second erasure finds nobody.
        Assert.Null(await store.As<ICustomerData>().EraseCustomerAsync("shop", IdentityKeys.User, "cust-a", T0, CancellationToken.None));
    }

    [Fact]
    public async Task Audit_Entries_NewestFirst_ByCustomer()
    {
        await using var store = await CreateAsync();
        var audit = store.As<IAuditLog>();
        await audit.AddAuditAsync(new AuditEntry(T0, "admin", "viewed", "shop", "user:cust-a", null), CancellationToken.None);
        await audit.AddAuditAsync(new AuditEntry(T0.AddSeconds(1), "admin", "erased", "shop", "user:cust-a", "events 3"), CancellationToken.None);
        await audit.AddAuditAsync(new AuditEntry(T0.AddSeconds(2), "olga", "viewed", "shop", "user:cust-b", null), CancellationToken.None);

        var a = await audit.ListAuditAsync("user:cust-a", 10, CancellationToken.None);
        Assert.Equal(["erased", "viewed"], a.Select(e => e.Action));
        Assert.Equal("events 3", a[0].Detail);
        Assert.Equal(3, (await audit.ListAuditAsync(null, 10, CancellationToken.None)).Count);
    }
}
