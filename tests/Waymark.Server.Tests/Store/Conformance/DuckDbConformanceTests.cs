using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Waymark.Core.Sessions;
using Waymark.Server.Apps;
using Waymark.Server.Store.DuckDb;

namespace Waymark.Server.Tests.Store.Conformance;

/// <summary>The store conformance suite on the embedded DuckDB store.</summary>
public sealed class DuckDbConformanceTests : StoreConformanceTests
{
    protected override Task<StoreUnderTest> CreateAsync() =>
        Task.FromResult(Open(Path.Combine(Directory.CreateTempSubdirectory("waymark-conformance-").FullName, "waymark.duckdb")));

    protected override async Task<StoreUnderTest> ReopenAsync(StoreUnderTest store)
    {
        var path = ((DuckDbStore)store.Log).Path;
        await store.DisposeAsync();
        return Open(path);
    }

    private static StoreUnderTest Open(string path)
    {
        var db = new DuckDbStore(
            Options.Create(new StoreOptions { Path = path, MemoryLimit = "512MB" }),
            new ApdexThresholdsProvider(_ => new ApdexThresholds()),
            NullLogger<DuckDbStore>.Instance);
        db.Open();
        return new StoreUnderTest(db, () =>
        {
            db.Dispose();
            return ValueTask.CompletedTask;
        });
    }
}
