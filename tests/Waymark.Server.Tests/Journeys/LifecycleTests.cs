using System.Net;
using DuckDB.NET.Data;
using Microsoft.Extensions.DependencyInjection;
using Waymark.Core.Events;
using Waymark.Core.Journeys;
using Waymark.Core.Sessions;
using Waymark.Server.Journeys;
using Waymark.Server.Store.DuckDb;
using Waymark.Server.Tests.Infrastructure;
using static Waymark.Server.Tests.Infrastructure.Beacons;

namespace Waymark.Server.Tests.Journeys;

/// <summary>
/// The session state machine in the visitor's grain: a session ends at its
/// inactivity deadline though nothing else arrives, and every deadline (a
/// session's, a logic's) fires once even across a restart.
/// </summary>
public sealed class LifecycleTests
{
    private static Dictionary<string, string?> Quick(string inactivity = "00:00:02") => new()
    {
        ["Waymark:Sessions:Inactivity"] = inactivity,
        ["Waymark:Sessions:LateGrace"] = "00:00:00",
        ["Waymark:Journeys:SweepSeconds"] = "1",
    };

    [Fact]
    public async Task NoFurtherEvents_TimerEndsTheSession_WithReasonInactivity()
    {
        await using var server = await WaymarkServer.StartAsync(Quick());
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.OK, (await server.PostAsync(Batch("v-idle", "s-idle", [View("i1", now)]))).StatusCode);
        Assert.True((await server.GetJsonAsync("/v1/sessions/s-idle")).GetProperty("session").GetProperty("active").GetBoolean());

        var session = await WaitForAsync(server, "/v1/sessions/s-idle", s => s.GetProperty("session").GetProperty("ended").GetBoolean());

        Assert.Equal("inactivity", session.GetProperty("session").GetProperty("endReason").GetString());
        Assert.False(session.GetProperty("session").GetProperty("active").GetBoolean());
        Assert.Equal(0, (await server.SessionsAsync("app=shop&active=true&visitor=v-idle")).GetProperty("total").GetInt64());
        // The next event of the visitor begins the session that follows.
        Assert.Equal(HttpStatusCode.OK, (await server.PostAsync(Batch("v-idle", "s-idle", [View("i2", DateTimeOffset.UtcNow)]))).StatusCode);
        Assert.True((await server.GetJsonAsync("/v1/sessions/s-idle-2")).GetProperty("session").GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Restart_SessionOpenBefore_IsEndedByTheSweepAfterIt()
    {
        var folder = Directory.CreateTempSubdirectory("waymark-sweep-").FullName;
        await using (var server = await WaymarkServer.StartAsync(Quick("00:00:05"), folder))
        {
            Assert.Equal(HttpStatusCode.OK, (await server.PostAsync(Batch("v-gone", "s-gone", [View("g1", DateTimeOffset.UtcNow)]))).StatusCode);
            await server.StopAsync();
        }
        await using (var server = await WaymarkServer.StartAsync(Quick("00:00:05"), folder))
        {
            // The visitor never returns: its grain is woken by the sweep of the store's deadlines.
            var session = await WaitForAsync(server, "/v1/sessions/s-gone", s => s.GetProperty("session").GetProperty("ended").GetBoolean());
            Assert.Equal("inactivity", session.GetProperty("session").GetProperty("endReason").GetString());
        }
    }

    [Fact]
    public async Task Restart_LogicDeadlineArmedBefore_FiresOnceAfterIt()
    {
        var folder = Directory.CreateTempSubdirectory("waymark-deadline-").FullName;
        var settings = Quick("00:10:00");
        var armedAt = DateTimeOffset.UtcNow;
        await using (var server = await WaymarkServer.StartAsync(settings, folder, configure: WithAlarm))
        {
            Assert.Equal(HttpStatusCode.OK, (await server.PostAsync(Batch("v-alarm", "s-alarm", [Custom("a1", armedAt, "arm")]))).StatusCode);
            // Stopped long before the deadline (Alarm.Delay after the event).
            await server.StopAsync();
        }
        Assert.True(DateTimeOffset.UtcNow < armedAt + Alarm.Delay, "the first server took too long to stop for this test to mean anything");
        await using (var server = await WaymarkServer.StartAsync(settings, folder, configure: WithAlarm))
        {
            var feed = server.Application.Services.GetRequiredService<IChangeFeed>();
            using var changes = feed.Subscribe(c => c.Kind == ChangeKind.Signal);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var fired = await changes.Reader.ReadAsync(cts.Token);
            Assert.Equal("rang", fired.Signal!.Name);
            Assert.True(fired.Signal.At >= armedAt + Alarm.Delay - TimeSpan.FromMilliseconds(1));
            await server.StopAsync();
        }
        // A third start replays the timer fact: the alarm does not ring again.
        await using (var server = await WaymarkServer.StartAsync(settings, folder, configure: WithAlarm))
        {
            await server.PostAsync(Batch("v-alarm", "s-alarm", [Custom("a2", DateTimeOffset.UtcNow, "noise")]));
            await server.StopAsync();
        }
        Assert.Equal(1, Count(folder, $"SELECT count(*) FROM events WHERE visitor = 'v-alarm' AND type = {(int)EventType.Timer}"));
        Assert.Equal(1, Count(folder, $"SELECT count(*) FROM events WHERE visitor = 'v-alarm' AND type = {(int)EventType.Signal} AND name = 'rang'"));
    }

    private static void WithAlarm(Microsoft.AspNetCore.Builder.WebApplicationBuilder b) => b.Services.AddSingleton<IJourneyLogic, Alarm>();

    private static long Count(string folder, string sql)
    {
        var path = Path.Combine(folder, "waymark.duckdb");
        using var db = new DuckDBConnection("Data Source=" + path);
        db.Open();
        DuckDbSchema.AttachSegments(db, path);
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<System.Text.Json.JsonElement> WaitForAsync(WaymarkServer server, string path, Func<System.Text.Json.JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var json = await server.GetJsonAsync(path);
            if (done(json))
            {
                return json;
            }
            Assert.True(DateTime.UtcNow < deadline, $"waited 60 s for {path}: {json}");
            await Task.Delay(100);
        }
    }

    /// <summary>A test logic: a custom event "arm" sets an alarm <see cref="Delay"/> later; it rings once (a signal).</summary>
    private sealed class Alarm : IJourneyLogic
    {
        public static readonly TimeSpan Delay = TimeSpan.FromSeconds(15);

        public string Name => "alarm";

        public IJourneyLogicState? Create(string app, string visitor) => new State();

        private sealed class State : IJourneyLogicState
        {
            public DateTimeOffset? Deadline { get; private set; }

            public void OnSessionStarted(SessionSummary session, JourneyContext context)
            {
            }

            public void OnEvent(SessionSummary session, EventRecord e, JourneyContext context)
            {
                if (e.Type == EventType.Custom && e.Name == "arm")
                {
                    Deadline = context.Now + Delay;
                }
            }

            public void OnSessionEnded(SessionSummary session, JourneyContext context)
            {
            }

            public void OnDeadline(JourneyContext context)
            {
                Deadline = null;
                context.Emit("rang");
            }
        }
    }
}
