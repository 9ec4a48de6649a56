using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Waymark.Core.Sessions;
using Waymark.Server.Apps;
using Waymark.Server.Store.ClickHouse;
using Waymark.Server.Tests.Infrastructure;

namespace Waymark.Server.Tests.Store.Conformance;

/// <summary>The store conformance suite on a real ClickHouse server (Debian's 18.16), a database per test.</summary>
public sealed class ClickHouseConformanceTests(ClickHouseServer clickHouse) : StoreConformanceTests, IClassFixture<ClickHouseServer>
{
    private readonly Dictionary<object, string> _databases = [];

    protected override Task<StoreUnderTest> CreateAsync() => OpenAsync(ClickHouseServer.NewDatabase());

    protected override async Task<StoreUnderTest> ReopenAsync(StoreUnderTest store)
    {
        var database = _databases[store.Log];
        await store.DisposeAsync();
        return await OpenAsync(database);
    }

    private async Task<StoreUnderTest> OpenAsync(string database)
    {
        var store = new ClickHouseStore(
            Options.Create(new ClickHouseOptions { Url = clickHouse.Url.ToString(), Database = database }),
            new ApdexThresholdsProvider(_ => new ApdexThresholds()), TimeProvider.System, NullLogger<ClickHouseStore>.Instance);
        await store.OpenAsync(CancellationToken.None);
        _databases[store] = database;
        return new StoreUnderTest(store, () =>
        {
            store.Dispose();
            return ValueTask.CompletedTask;
        });
    }
}
