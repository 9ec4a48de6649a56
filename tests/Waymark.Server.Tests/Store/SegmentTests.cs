using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DuckDB.NET.Data;
using Waymark.Server.Store;
using Waymark.Server.Tests.Infrastructure;
using Waymark.Server.Apps;
using Waymark.Server.Store.DuckDb;
using static Waymark.Server.Tests.Infrastructure.Beacons;

namespace Waymark.Server.Tests.Store;

/// <summary>
/// The store without an event index: events in two segment files that take
/// turns (one is checkpointed while the writer appends to the other), retries
/// recognised by the visitor's grain, and derived tables that catch up.
/// </summary>
public sealed class SegmentTests
{
    private readonly DateTimeOffset _t0 = DateTimeOffset.UtcNow.AddMinutes(-50);

    [Fact]
    public async Task ManyEvents_SmallCheckpointSize_WriterTakesTurnsAndEveryEventIsThereAfterRestart()
    {
        var folder = Directory.CreateTempSubdirectory("waymark-segments-").FullName;
        var settings = WaymarkServer.DefaultSettings(folder);
        settings["Waymark:Store:SegmentCheckpointBytes"] = (1 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture);
        const int Beacons = 40, PerBeacon = 500;
        await using (var server = await WaymarkServer.StartAsync(settings, folder))
        {
            for (var b = 0; b < Beacons; b++)
            {
                var events = Enumerable.Range(0, PerBeacon).Select(i => (object)Custom($"m{b}-{i}", _t0.AddMilliseconds(b * PerBeacon + i), "step " + i));
                Assert.Equal(HttpStatusCode.OK, (await server.PostAsync(Batch("v-seg-" + (b % 4), "s-seg-" + (b % 4), events))).StatusCode);
            }
            var sessions = await server.SessionsAsync("visitor=v-seg-0");
            Assert.Equal(Beacons / 4 * PerBeacon, sessions.GetProperty("sessions")[0].GetProperty("events").GetInt32());
            await server.StopAsync();
        }

        var path = Path.Combine(folder, "waymark.duckdb");
        using (var db = new DuckDBConnection("Data Source=" + path))
        {
            db.Open();
            DuckDbSchema.AttachSegments(db, path);
            // Both segments took rows: the writer moved on when one's log passed 1 MiB.
            foreach (var segment in DuckDbSchema.Segments)
            {
                Assert.True(Count(db, $"SELECT count(*) FROM {segment}.main.events") > 0, segment + " holds no events");
            }
            // The client's events, and beside them each session's session.start fact (system facts are types 10 and up).
            Assert.Equal(Beacons * PerBeacon, Count(db, "SELECT count(*) FROM events WHERE type < 10"));
            Assert.Equal(4, Count(db, "SELECT count(*) FROM events WHERE type = 10"));
            Assert.Equal(Count(db, "SELECT count(*) FROM events"), Count(db, "SELECT count(DISTINCT seq) FROM events"));
        }
        await using (var server = await WaymarkServer.StartAsync(settings, folder))
        {
            var store = (DuckDbStore)server.Application.Services.GetService(typeof(DuckDbStore))!;
            Assert.Equal(Beacons * PerBeacon, await store.CountEventsAsync(WaymarkServer.App, CancellationToken.None));
            Assert.Equal(4, (await server.SessionsAsync("visitor=v-seg-3")).GetProperty("total").GetInt64() +
                            (await server.SessionsAsync("visitor=v-seg-0")).GetProperty("total").GetInt64() +
                            (await server.SessionsAsync("visitor=v-seg-1")).GetProperty("total").GetInt64() +
                            (await server.SessionsAsync("visitor=v-seg-2")).GetProperty("total").GetInt64());
        }
    }

    [Fact]
    public async Task Retry_AfterTheJourneyForgotItsIds_IsRecognisedThroughTheStoreAndCountsOnce()
    {
        await using var server = await WaymarkServer.StartAsync();
        var first = Batch("v-forget", "s-forget", Enumerable.Range(0, 20).Select(i => (object)Custom("f" + i, _t0.AddMilliseconds(i))));
        Assert.Equal(0, (await Answer(await server.PostAsync(first))).GetProperty("duplicates").GetInt32());
        // More events than a journey remembers (EventIdSet.Capacity):
        // the first ids are forgotten by the grain, not by the store.
        var more = Waymark.Core.Journeys.EventIdSet.Capacity + 800;
        for (var b = 0; b < more / 1000 + 1; b++)
        {
            var events = Enumerable.Range(0, 1000).Select(i => (object)Custom($"n{b}-{i}", _t0.AddSeconds(1).AddMilliseconds(b * 1000 + i)));
            Assert.Equal(HttpStatusCode.OK, (await server.PostAsync(Batch("v-forget", "s-forget", events))).StatusCode);
        }
        var total = 20 + (more / 1000 + 1) * 1000;

        var retry = await Answer(await server.PostAsync(first));

        Assert.Equal(20, retry.GetProperty("duplicates").GetInt32());
        var store = (DuckDbStore)server.Application.Services.GetService(typeof(DuckDbStore))!;
        Assert.Equal(total, await store.CountEventsAsync(WaymarkServer.App, CancellationToken.None));
        var session = (await server.SessionsAsync("visitor=v-forget")).GetProperty("sessions")[0];
        Assert.Equal(total, session.GetProperty("events").GetInt32());
    }

    [Fact]
    public async Task Start_SessionsAndLinksLagTheEvents_AreDerivedAgainFromTheEventsAfterTheMark()
    {
        var folder = Directory.CreateTempSubdirectory("waymark-derive-").FullName;
        await using (var server = await WaymarkServer.StartAsync(folder: folder))
        {
            await server.PostAsync(Batch("v-old", "s-old", [View("o1", _t0, "Home"), Identify("o2", _t0.AddSeconds(3), "cust-old")]));
            await server.PostAsync(Batch("v-new", "s-new", [View("n1", _t0.AddMinutes(1), "Home"), Identify("n2", _t0.AddMinutes(1).AddSeconds(3), "cust-new"), Conversion("n3", _t0.AddMinutes(2))]));
            await server.StopAsync();
        }
        var path = Path.Combine(folder, "waymark.duckdb");
        using (var db = new DuckDBConnection("Data Source=" + path))
        {
            db.Open();
            DuckDbSchema.AttachSegments(db, path);
            // As after a crash between a commit of events and the deriver's
            // round: the second visitor's session and links are missing.
            var mark = Count(db, "SELECT min(seq) - 1 FROM events WHERE visitor = 'v-new'");
            Execute(db, "DELETE FROM sessions WHERE visitor = 'v-new'");
            Execute(db, "DELETE FROM links WHERE visitor = 'v-new'");
            Execute(db, $"UPDATE meta SET value = {mark} WHERE name = 'derived_seq'");
        }
        await using (var server = await WaymarkServer.StartAsync(folder: folder))
        {
            var session = (await server.GetJsonAsync("/v1/sessions/s-new")).GetProperty("session");
            Assert.Equal(3, session.GetProperty("events").GetInt32());
            Assert.True(session.GetProperty("converted").GetBoolean());
            Assert.Equal("s-new", (await server.GetJsonAsync("/v1/customers?app=shop&user=cust-new")).GetProperty("sessions")[0].GetProperty("id").GetString());
            Assert.Equal("s-old", (await server.GetJsonAsync("/v1/customers?app=shop&user=cust-old")).GetProperty("sessions")[0].GetProperty("id").GetString());
        }
    }

    [Fact]
    public async Task Open_FileFromBeforeSegments_KeepsItsEventsReadableAndWritesNewOnesToSegments()
    {
        var folder = Directory.CreateTempSubdirectory("waymark-legacy-").FullName;
        var path = Path.Combine(folder, "waymark.duckdb");
        var t = DateTime.UtcNow.AddMinutes(-10);
        using (var db = new DuckDBConnection("Data Source=" + path))
        {
            db.Open();
            // The layout of the first release: events in the main file, keyed.
            Execute(db, $"CREATE TABLE events (key UUID NOT NULL, {DuckDbSchema.EventColumns}, PRIMARY KEY (key))");
            using var cmd = db.CreateCommand();
            cmd.CommandText = """
                INSERT INTO events (key, seq, app, channel, visitor, session, event_id, type, ts, received, name, third_party, failed, device_class)
                VALUES (uuid(), 1, 'shop', 'web', 'v-legacy', 's-legacy', 'l1', $type, $ts, $ts, 'Home', false, false, 'desktop')
                """;
            cmd.Parameters.Add(new DuckDBParameter("type", (byte)Waymark.Core.Events.EventType.View));
            cmd.Parameters.Add(new DuckDBParameter("ts", t));
            cmd.ExecuteNonQuery();
        }
        var store = new DuckDbStore(
            Microsoft.Extensions.Options.Options.Create(new StoreOptions { Path = path, MemoryLimit = "512MB" }),
            new ApdexThresholdsProvider(_ => new Waymark.Core.Sessions.ApdexThresholds()),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<DuckDbStore>.Instance);
        try
        {
            store.Open();
            var ctx = new Waymark.Core.Events.BatchContext { App = "shop", Channel = "web", Visitor = "v-legacy", ClientSession = "s-legacy", Received = DateTimeOffset.UtcNow };
            var e = new Waymark.Core.Events.EventRecord { EventId = "l2", Type = Waymark.Core.Events.EventType.Custom, Timestamp = DateTimeOffset.UtcNow.AddMinutes(-9), Name = "step" };
            await store.AppendAsync(new JourneyAppend("shop", "v-legacy", [new Waymark.Core.Journeys.JourneyFact("s-legacy", ctx, e)], [], null), CancellationToken.None);

            Assert.Equal(2, await store.CountEventsAsync("shop", CancellationToken.None));
            var session = await store.GetAsync("shop", "s-legacy", CancellationToken.None);
            Assert.NotNull(session);
            Assert.Equal(1, session.Pages);
            var stored = await store.FindEventIdsAsync("shop", "v-legacy", ["l1", "l2", "l3"], DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow, CancellationToken.None);
            Assert.Equal(["l1", "l2"], stored.Select(x => x.EventId).Order());
        }
        finally
        {
            store.Dispose();
        }
    }

    private static async Task<JsonElement> Answer(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static long Count(DuckDBConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(DuckDBConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
