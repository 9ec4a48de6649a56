using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Waymark.Core.Events;
using Waymark.Core.Sessions;
using Waymark.Server.Store;

namespace Waymark.Server.Tests.Store;

/// <summary>The store's fast path (append straight into events) and its fallback on a retry nobody recognised.</summary>
public sealed class DirectAppendTests
{
    [Fact]
    public async Task Write_RetryTheGrainDidNotRecognise_IsStoredOnceAndTheCommitSucceeds()
    {
        var folder = Directory.CreateTempSubdirectory("waymark-direct-").FullName;
        var store = new DuckDbStore(
            Options.Create(new StoreOptions { Path = Path.Combine(folder, "w.duckdb"), MemoryLimit = "512MB" }),
            new ApdexThresholdsProvider(_ => new ApdexThresholds()),
            NullLogger<DuckDbStore>.Instance);
        try
        {
            store.Open();
            var t0 = DateTimeOffset.UtcNow.AddMinutes(-5);
            var ctx = new BatchContext { App = "shop", Channel = "web", Visitor = "v-d", ClientSession = "s-d", Received = t0 };
            EventRecord[] events = [.. Enumerable.Range(0, 50).Select(i => new EventRecord { EventId = "e" + i, Type = EventType.Custom, Timestamp = t0.AddSeconds(i), Name = "step" })];
            var ids = Enumerable.Repeat("s-d", events.Length).ToArray();
            var summary = SessionAggregator.Begin(ctx, "s-d", t0);
            var fresh = Enumerable.Repeat(false, events.Length).ToArray();

            await store.WriteAsync(new WriteBatch(ctx, events, ids, [summary], fresh), CancellationToken.None);
            // The same events again, flagged as new: the primary key refuses the
            // direct append, and the store falls back to INSERT OR IGNORE.
            await store.WriteAsync(new WriteBatch(ctx, [.. events, events[0] with { EventId = "e-new" }], [.. ids, "s-d"], [summary], [.. fresh, false]), CancellationToken.None);

            Assert.Equal(51, await store.CountEventsAsync("shop", CancellationToken.None));
        }
        finally
        {
            store.Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }
}
