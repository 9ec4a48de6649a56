using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Waymark.Server.Store;
using Waymark.Server.Tests.Infrastructure;
using Waymark.Server.Store.DuckDb;
using static Waymark.Client.Tests.ClientKit;

namespace Waymark.Client.Tests;

/// <summary>The queue and the sender: retries, refusals, bounds, restarts and many threads, against the real server.</summary>
public sealed class DeliveryTests
{
    [Fact]
    public async Task Send_ServerAnswers503ThreeTimes_RetriesTheSameEventsAndTheyAreStoredOnce()
    {
        await using var server = await WaymarkServer.StartAsync();
        var folder = TempFolder();
        try
        {
            var flaky = new FlakyHandler(failures: 3);
            await using var client = new WaymarkClient(Options(server.BaseAddress, folder, o => o.HttpMessageHandler = flaky));
            client.StartSession();
            var session = client.SessionId!;
            for (var i = 0; i < 30; i++)
            {
                client.Track("step-" + i);
            }
            await client.FlushAsync();

            Assert.Equal(4, flaky.Attempts);
            var ids = flaky.Bodies.Select(b => string.Join(",", b.GetProperty("events").EnumerateArray().Select(e => e.Str("id")))).Distinct().ToList();
            Assert.Single(ids);
            Assert.True(flaky.Bodies.Select(b => b.GetProperty("sentAt").GetInt64()).Distinct().Count() > 1, "sentAt is set again on every attempt");
            var events = await server.EventsAsync(session);
            Assert.Equal(30, events.Count);
            Assert.Equal(30, events.Select(e => e.Str("id")).Distinct().Count());
            Assert.Equal(0, client.RefusedEvents);
        }
        finally
        {
            DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task Send_StoreBehindItsBound_HonoursRetryAfterAndEachEventIsStoredOnce()
    {
        await using var server = await WaymarkServer.StartAsync(new() { ["Waymark:Store:MaxPendingEvents"] = "1000" });
        var store = (DuckDbStore)server.Application.Services.GetService(typeof(DuckDbStore))!;
        var folder = TempFolder();
        try
        {
            var watch = new FlakyHandler(failures: 0);
            await using var client = new WaymarkClient(Options(server.BaseAddress, folder, o => o.HttpMessageHandler = watch));
            client.StartSession();
            var session = client.SessionId!;
            var t0 = DateTimeOffset.UtcNow;
            // Warm both paths up first: the pause must stay short, for the server's
            // grain calls time out after 30 s on a busy machine.
            Assert.Equal(HttpStatusCode.OK, (await server.PostBeaconAsync(Beacons.Batch("v-blocker", "s-warm", [Beacons.Custom("warm", t0)]))).StatusCode);
            client.Track("warm");
            await client.FlushAsync();
            Task<HttpResponseMessage> blocker;
            using (store.PauseWrites())
            {
                blocker = server.PostBeaconAsync(Beacons.Batch("v-blocker", "s-blocker",
                    Enumerable.Range(0, 950).Select(i => (object)Beacons.Custom($"b{i}", t0.AddMilliseconds(i)))));
                await WaitUntilAsync(() => store.PendingEvents >= 950);
                for (var i = 0; i < 100; i++)
                {
                    client.Track("step-" + i);
                }
                await WaitUntilAsync(() => watch.Saw(HttpStatusCode.ServiceUnavailable));
            }
            Assert.Equal(HttpStatusCode.OK, (await blocker).StatusCode);
            await client.FlushAsync();

            var refusedAt = watch.Times[watch.Statuses.IndexOf(HttpStatusCode.ServiceUnavailable)];
            var nextAt = watch.Times[watch.Statuses.IndexOf(HttpStatusCode.ServiceUnavailable) + 1];
            Assert.True(nextAt - refusedAt >= TimeSpan.FromSeconds(1.9), $"the retry came {nextAt - refusedAt} after a Retry-After of 2 s");
            var events = await server.EventsAsync(session);
            Assert.Equal(101, events.Count);
            Assert.Equal(101, events.Select(e => e.Str("id")).Distinct().Count());
        }
        finally
        {
            DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task Send_ServerRefusesTheKey_DropsTheBatchAndCountsIt()
    {
        await using var server = await WaymarkServer.StartAsync();
        var folder = TempFolder();
        try
        {
            await using var client = new WaymarkClient(Options(server.BaseAddress, folder, o => o.Key = "wrong-key"));
            client.StartSession();
            var session = client.SessionId!;
            client.Track("lost");
            client.Track("lost too");
            await client.FlushAsync();

            Assert.Equal(2, client.RefusedEvents);
            Assert.Equal(0, client.QueuedEvents);
            Assert.Equal(HttpStatusCode.NotFound, await server.SessionStatusAsync(session));
        }
        finally
        {
            DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task Record_ManyThreadsAtOnce_EveryEventIsStoredExactlyOnce()
    {
        await using var server = await WaymarkServer.StartAsync();
        var folder = TempFolder();
        try
        {
            const int threads = 8, each = 200;
            await using var client = new WaymarkClient(Options(server.BaseAddress, folder));
            client.StartSession();
            var session = client.SessionId!;
            using var start = new Barrier(threads);
            var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
            {
                start.SignalAndWait(TimeSpan.FromSeconds(30));
                for (var i = 0; i < each; i++)
                {
                    client.Track($"t{t}-{i}", new Dictionary<string, object?> { ["thread"] = t, ["i"] = i });
                }
            })).ToList();
            workers.ForEach(w => w.Start());
            Assert.All(workers, w => Assert.True(w.Join(TimeSpan.FromSeconds(60))));
            await client.FlushAsync();

            var events = await server.EventsAsync(session);
            Assert.Equal(threads * each, events.Count);
            Assert.Equal(threads * each, events.Select(e => e.Str("id")).Distinct().Count());
            var expected = Enumerable.Range(0, threads).SelectMany(t => Enumerable.Range(0, each).Select(i => $"t{t}-{i}")).Order();
            Assert.Equal(expected, events.Select(e => e.Str("name")!).Order());
            Assert.Equal(0, client.DroppedEvents);
            Assert.Equal(0, client.QueuedEvents);
        }
        finally
        {
            DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task Queue_FullWhileTheServerIsUnreachable_DropsTheOldestAndTheNextStartSendsTheRest()
    {
        var folder = TempFolder();
        try
        {
            string session, visitor;
            await using (var offline = new WaymarkClient(Options(Unreachable, folder, o =>
            {
                o.MaxQueueEvents = 50;
                o.BatchSize = 10;
                o.FlushInterval = TimeSpan.FromMinutes(1);
                o.ShutdownTimeout = TimeSpan.FromMilliseconds(200);
            })))
            {
                offline.StartSession();
                session = offline.SessionId!;
                visitor = offline.VisitorId;
                for (var i = 0; i < 100; i++)
                {
                    offline.Track("e" + i);
                }
                Assert.Equal(50, offline.DroppedEvents);
                Assert.Equal(50, offline.QueuedEvents);
            }

            await using var server = await WaymarkServer.StartAsync();
            await using var online = new WaymarkClient(Options(server.BaseAddress, folder));
            Assert.Equal(visitor, online.VisitorId);
            Assert.Equal(50, online.QueuedEvents);
            await online.FlushAsync();

            var events = await server.EventsAsync(session);
            Assert.Equal(Enumerable.Range(50, 50).Select(i => "e" + i).Order(), events.Select(e => e.Str("name")!).Order());
        }
        finally
        {
            DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task Dispose_ServerUnreachable_ReturnsWithinTheShutdownTimeoutAndKeepsTheEvents()
    {
        var folder = TempFolder();
        try
        {
            var client = new WaymarkClient(Options(Unreachable, folder, o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(500)));
            client.Track("kept");
            var watch = Stopwatch.StartNew();
            await client.DisposeAsync();
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"DisposeAsync took {watch.Elapsed}");
            Assert.Equal(1, client.QueuedEvents);
            client.Track("ignored after dispose");

            await using var again = new WaymarkClient(Options(Unreachable, folder));
            Assert.Equal(1, again.QueuedEvents);
            Assert.Throws<InvalidOperationException>(() => new WaymarkClient(Options(Unreachable, folder)));
        }
        finally
        {
            DeleteFolder(folder);
        }
    }
}
