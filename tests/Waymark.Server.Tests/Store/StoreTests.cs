using System.Net;
using System.Text;
using DuckDB.NET.Data;
using Waymark.Server.Store;
using Waymark.Server.Tests.Infrastructure;
using Waymark.Server.Store.DuckDb;
using static Waymark.Server.Tests.Infrastructure.Beacons;

namespace Waymark.Server.Tests.Store;

/// <summary>Durability, restore and rebuild of the embedded store across restarts.</summary>
public sealed class StoreTests
{
    private readonly DateTimeOffset _t0 = DateTimeOffset.UtcNow.AddMinutes(-40);

    [Fact]
    public async Task Restart_RetriedBeaconAndContinuedSession_CountOnce()
    {
        var folder = Directory.CreateTempSubdirectory("waymark-restart-").FullName;
        var first = Batch("v-r", "s-r", [View("p1", _t0), Action("p2", _t0.AddSeconds(5)), Error("p3", _t0.AddSeconds(6), "boom")]);
        await using (var server = await WaymarkServer.StartAsync(folder: folder))
        {
            Assert.Equal(HttpStatusCode.OK, (await server.PostAsync(first)).StatusCode);
            await server.StopAsync();
        }
        await using (var server = await WaymarkServer.StartAsync(folder: folder))
        {
            // The client did not see the first answer and sends the batch again,
            // then goes on in the same session.
            Assert.Equal(HttpStatusCode.OK, (await server.PostAsync(first)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await server.PostAsync(Batch("v-r", "s-r", [View("p4", _t0.AddMinutes(2))]))).StatusCode);

            var timeline = await server.GetJsonAsync("/v1/sessions/s-r");
            var session = timeline.GetProperty("session");
            Assert.Equal(4, timeline.GetProperty("events").GetArrayLength());
            Assert.Equal(4, session.GetProperty("events").GetInt32());
            Assert.Equal(1, session.GetProperty("errors").GetInt32());
            Assert.Equal(2, session.GetProperty("pages").GetInt32());
            Assert.Equal(1, (await server.SessionsAsync("visitor=v-r")).GetProperty("total").GetInt64());
        }
    }

    [Fact]
    public async Task Start_DerivedSessionsLagTheEvents_AreRebuiltFromTheFacts()
    {
        var folder = Directory.CreateTempSubdirectory("waymark-rebuild-").FullName;
        string before;
        await using (var server = await WaymarkServer.StartAsync(folder: folder))
        {
            await server.PostAsync(Batch("v-b", "s-b", [View("q1", _t0, "Home", 5000), Action("q2", _t0.AddSeconds(9), "Go", 300), Conversion("q3", _t0.AddSeconds(20))]));
            await server.PostAsync(Batch("v-b", "s-b", [View("q4", _t0.AddMinutes(45), "Again")]));
            before = (await server.SessionsAsync("visitor=v-b")).GetRawText();
            await server.StopAsync();
        }
        using (var db = new DuckDBConnection("Data Source=" + Path.Combine(folder, "waymark.duckdb")))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = "DELETE FROM sessions; UPDATE meta SET value = 0 WHERE name = 'derived_seq'";
            cmd.ExecuteNonQuery();
        }
        await using (var server = await WaymarkServer.StartAsync(folder: folder))
        {
            var after = (await server.SessionsAsync("visitor=v-b")).GetRawText();
            Assert.Equal(2, (await server.SessionsAsync("visitor=v-b")).GetProperty("total").GetInt64());
            // The same summaries, end reasons included: the session's end is a fact too.
            Assert.Equal(before, after);
        }
    }

    [Fact]
    public async Task PostBeacon_StoreBehindItsBound_Is503WithRetryAfter_AndTheRetryLands()
    {
        await using var server = await WaymarkServer.StartAsync(new() { ["Waymark:Store:MaxPendingEvents"] = "1000" });
        var store = (DuckDbStore)server.Application.Services.GetService(typeof(DuckDbStore))!;
        var big = Batch("v-p1", "s-p1", Enumerable.Range(0, 900).Select(i => (object)Custom($"big{i}", _t0.AddMilliseconds(i))));
        var small = Batch("v-p2", "s-p2", Enumerable.Range(0, 200).Select(i => (object)Custom($"small{i}", _t0.AddMilliseconds(i))));

        Task<HttpResponseMessage> pending;
        using (store.PauseWrites())
        {
            pending = server.PostAsync(big);
            await WaitUntil(() => store.PendingEvents >= 900);
            var refused = await server.PostAsync(small);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            Assert.False(pending.IsCompleted, "a write must not be answered before it is committed");
        }
        Assert.Equal(HttpStatusCode.OK, (await pending).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.PostAsync(small)).StatusCode);
        Assert.Equal(1100, (await server.GetJsonAsync("/v1/sessions/s-p1")).GetProperty("events").GetArrayLength() +
                           (await server.GetJsonAsync("/v1/sessions/s-p2")).GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task PostBeacon_WithGeoIpDatabase_LocatesTheClientAndStoresOnlyTheAnonymisedIp()
    {
        var folder = Directory.CreateTempSubdirectory("waymark-geo-").FullName;
        await using (var server = await WaymarkServer.StartAsync(new() { ["Waymark:Geo:DatabasePath"] = Repo.GeoIpCityTestDb }, folder))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/beacon")
            {
                Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(Batch("v-geo", "s-geo", [View("g1", _t0)])), Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Forwarded-For", "81.2.69.142");
            request.Headers.UserAgent.ParseAdd("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1");
            Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(request)).StatusCode);

            var session = (await server.GetJsonAsync("/v1/sessions/s-geo")).GetProperty("session");
            Assert.Equal("GB", session.GetProperty("location").GetProperty("country").GetString());
            Assert.Equal("London", session.GetProperty("location").GetProperty("city").GetString());
            Assert.Equal("mobile", session.GetProperty("device").GetProperty("class").GetString());
            Assert.Equal("iOS", session.GetProperty("device").GetProperty("os").GetString());
            await server.StopAsync();
        }
        using var db = new DuckDBConnection("Data Source=" + Path.Combine(folder, "waymark.duckdb"));
        db.Open();
        DuckDbSchema.AttachSegments(db, Path.Combine(folder, "waymark.duckdb"));
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT ip FROM events";
        Assert.Equal("81.2.69.0", cmd.ExecuteScalar());
        foreach (var file in Directory.GetFiles(folder))
        {
            Assert.DoesNotContain("81.2.69.142", Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file)), StringComparison.Ordinal);
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(20);
        }
    }
}
