using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Waymark.Core.Sessions;
using Waymark.Server.Apps;
using Waymark.Server.Store.ClickHouse;
using Waymark.Server.Tests.Infrastructure;

namespace Waymark.Server.Tests.Store.Conformance;

/// <summary>Two ClickHouse servers that form one cluster of two shards (remote_servers), each knowing the other.</summary>
public sealed class TwoShards : IAsyncLifetime
{
    public const string Cluster = "waymark_shards";

    public ClickHouseServer First { get; private set; } = null!;
    public ClickHouseServer Second { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        int http1 = ClickHouseServer.FreePort(), tcp1 = ClickHouseServer.FreePort(), http2 = ClickHouseServer.FreePort(), tcp2 = ClickHouseServer.FreePort();
        var remote = $"""
            <remote_servers><{Cluster}>
              <shard><replica><host>127.0.0.1</host><port>{tcp1}</port></replica></shard>
              <shard><replica><host>127.0.0.1</host><port>{tcp2}</port></replica></shard>
            </{Cluster}></remote_servers>
            """;
        First = new ClickHouseServer { PresetHttpPort = http1, PresetTcpPort = tcp1, ExtraConfig = remote };
        Second = new ClickHouseServer { PresetHttpPort = http2, PresetTcpPort = tcp2, ExtraConfig = remote };
        await Task.WhenAll(First.InitializeAsync().AsTask(), Second.InitializeAsync().AsTask());
    }

    public async ValueTask DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
    }
}

/// <summary>
/// The store conformance suite on a sharded schema: the tables local on two
/// ClickHouse servers, Distributed tables in front sharded by app and visitor.
/// </summary>
public sealed class ShardedClickHouseTests(TwoShards shards) : StoreConformanceTests, IClassFixture<TwoShards>
{
    private readonly Dictionary<object, string> _databases = [];

    protected override Task<StoreUnderTest> CreateAsync() => OpenAsync(ClickHouseServer.NewDatabase());

    protected override async Task<StoreUnderTest> ReopenAsync(StoreUnderTest store)
    {
        var database = _databases[store.Log];
        await store.DisposeAsync();
        return await OpenAsync(database);
    }

    [Fact]
    public async Task Append_ManyVisitors_EachShardHoldsSomeOfThem_AndQueriesSeeAll()
    {
        var database = ClickHouseServer.NewDatabase();
        await using var store = await OpenAsync(database);
        var w = new JourneyWriter(store.Log);
        for (var i = 0; i < 20; i++)
        {
            await w.ApplyAsync(JourneyWriter.Context("v" + i, "s" + i), JourneyWriter.View("e" + i, JourneyWriter.T0));
        }
        using var http = new HttpClient();
        async Task<long> LocalEvents(Uri server)
        {
            using var response = await http.PostAsync(server, new StringContent($"SELECT count() FROM {database}.events_local WHERE type < 10"));
            return long.Parse((await response.Content.ReadAsStringAsync()).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        var first = await LocalEvents(shards.First.Url);
        var second = await LocalEvents(shards.Second.Url);
        Assert.True(first > 0 && second > 0, $"rows per shard: {first}, {second}");
        Assert.Equal(20, first + second);
        Assert.Equal(20, await store.Sessions.CountEventsAsync("shop", CancellationToken.None));
        Assert.Equal(20, (await store.Sessions.QueryAsync(new Waymark.Server.Store.SessionQuery { App = "shop" }, CancellationToken.None)).Total);
    }

    private async Task<StoreUnderTest> OpenAsync(string database)
    {
        var store = new ClickHouseStore(
            Options.Create(new ClickHouseOptions
            {
                Url = shards.First.Url.ToString(), Database = database, Cluster = TwoShards.Cluster,
                ShardUrls = [shards.First.Url.ToString(), shards.Second.Url.ToString()],
            }),
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
