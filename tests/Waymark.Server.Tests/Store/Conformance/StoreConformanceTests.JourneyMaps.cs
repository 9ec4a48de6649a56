using Waymark.Server.Store;
using static Waymark.Server.Tests.Store.Conformance.JourneyWriter;

namespace Waymark.Server.Tests.Store.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task JourneyMaps_SaveMakesVersions_ListGivesTheLatest()
    {
        await using var store = await CreateAsync();
        var maps = store.As<IJourneyMaps>();
        var ct = CancellationToken.None;

        var v1 = await maps.SaveJourneyMapAsync("shop", "buy", "Buy", "{\"v\":1}", "olga", T0, ct);
        var v2 = await maps.SaveJourneyMapAsync("shop", "buy", "Buy it", "{\"v\":2}", "piet", T0.AddMinutes(1), ct);
        await maps.SaveJourneyMapAsync("shop", "call", "Call", "{\"c\":1}", "olga", T0, ct);
        await maps.SaveJourneyMapAsync("other", "buy", "Other", "{\"o\":1}", "olga", T0, ct);

        Assert.Equal((1, 2), (v1.Version, v2.Version));
        var list = await maps.ListJourneyMapsAsync("shop", ct);
        Assert.Equal([("buy", 2, "Buy it"), ("call", 1, "Call")], list.Select(m => (m.Id, m.Version, m.Goal)));
        var latest = await maps.GetJourneyMapAsync("shop", "buy", null, ct);
        Assert.Equal(("{\"v\":2}", "piet", T0.AddMinutes(1)), (latest!.Document, latest.Author, latest.Saved));
        Assert.Equal("{\"v\":1}", (await maps.GetJourneyMapAsync("shop", "buy", 1, ct))!.Document);
        Assert.Null(await maps.GetJourneyMapAsync("shop", "buy", 3, ct));
        Assert.Null(await maps.GetJourneyMapAsync("shop", "nothing", null, ct));
        Assert.Equal([1, 2], (await maps.ListJourneyMapVersionsAsync("shop", "buy", ct)).Select(m => m.Version));
    }

    [Fact]
    public async Task JourneyMaps_Delete_HidesTheMap_KeepsItsVersions_NumberingGoesOn()
    {
        await using var store = await CreateAsync();
        var maps = store.As<IJourneyMaps>();
        var ct = CancellationToken.None;
        await maps.SaveJourneyMapAsync("shop", "buy", "Buy", "{\"v\":1}", "olga", T0, ct);

        Assert.True(await maps.DeleteJourneyMapAsync("shop", "buy", T0.AddMinutes(1), ct));
        Assert.False(await maps.DeleteJourneyMapAsync("shop", "buy", T0.AddMinutes(2), ct));

        Assert.Empty(await maps.ListJourneyMapsAsync("shop", ct));
        Assert.Null(await maps.GetJourneyMapAsync("shop", "buy", null, ct));
        Assert.Equal("{\"v\":1}", (await maps.GetJourneyMapAsync("shop", "buy", 1, ct))!.Document);
        var again = await maps.SaveJourneyMapAsync("shop", "buy", "Buy", "{\"v\":3}", "olga", T0.AddMinutes(3), ct);
        Assert.Equal(3, again.Version);
        Assert.Equal(3, (await maps.GetJourneyMapAsync("shop", "buy", null, ct))!.Version);
    }
}
