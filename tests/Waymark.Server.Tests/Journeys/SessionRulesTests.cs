using System.Net;
using Waymark.Server.Tests.Infrastructure;
using static Waymark.Server.Tests.Infrastructure.Beacons;

namespace Waymark.Server.Tests.Journeys;

/// <summary>Sessionization as definitions.md states it, through the whole pipeline.</summary>
public sealed class SessionRulesTests : IAsyncLifetime
{
    private WaymarkServer _server = null!;
    private readonly DateTimeOffset _t0 = DateTimeOffset.UtcNow.AddHours(-12);

    public async ValueTask InitializeAsync() => _server = await WaymarkServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Session_ThirtyOneMinutesIdle_SplitsIntoTwo()
    {
        Assert.Equal(HttpStatusCode.OK, (await _server.PostAsync(Batch("v-idle", "s-idle", [View("i1", _t0), Action("i2", _t0.AddMinutes(29))]))).StatusCode);
        // 29 minutes after the last event: same session. 31 minutes: a new one.
        Assert.Equal(HttpStatusCode.OK, (await _server.PostAsync(Batch("v-idle", "s-idle", [View("i3", _t0.AddMinutes(58))]))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.PostAsync(Batch("v-idle", "s-idle", [View("i4", _t0.AddMinutes(89))]))).StatusCode);

        var sessions = await _server.SessionsAsync("visitor=v-idle");
        Assert.Equal(2, sessions.GetProperty("total").GetInt64());
        var first = await _server.GetJsonAsync("/v1/sessions/s-idle");
        Assert.Equal(3, first.GetProperty("events").GetArrayLength());
        Assert.Equal("inactivity", first.GetProperty("session").GetProperty("endReason").GetString());
        var second = await _server.GetJsonAsync("/v1/sessions/s-idle-2");
        Assert.Equal(["i4"], second.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Session_LongerThanSixHours_Splits()
    {
        // An event every 20 minutes for 6 h 40 min: never idle, but too long.
        var events = Enumerable.Range(0, 21).Select(i => (object)View($"l{i}", _t0.AddMinutes(20 * i))).ToArray();
        Assert.Equal(HttpStatusCode.OK, (await _server.PostAsync(Batch("v-long", "s-long", events))).StatusCode);

        var first = await _server.GetJsonAsync("/v1/sessions/s-long");
        Assert.Equal("max-duration", first.GetProperty("session").GetProperty("endReason").GetString());
        Assert.Equal(18, first.GetProperty("events").GetArrayLength()); // 0..340 min; 360 min starts the next
        var second = await _server.GetJsonAsync("/v1/sessions/s-long-2");
        Assert.Equal(3, second.GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task Session_MoreThanTwoHundredActions_Splits()
    {
        var events = new List<object> { View("a-view", _t0) };
        events.AddRange(Enumerable.Range(1, 204).Select(i => (object)Action($"a{i}", _t0.AddSeconds(i))));
        Assert.Equal(HttpStatusCode.OK, (await _server.PostAsync(Batch("v-many", "s-many", events))).StatusCode);

        var first = (await _server.GetJsonAsync("/v1/sessions/s-many")).GetProperty("session");
        Assert.Equal(200, first.GetProperty("pages").GetInt32() + first.GetProperty("actions").GetInt32());
        Assert.Equal("max-actions", first.GetProperty("endReason").GetString());
        var second = (await _server.GetJsonAsync("/v1/sessions/s-many-2")).GetProperty("session");
        Assert.Equal(5, second.GetProperty("actions").GetInt32());
    }

    [Fact]
    public async Task Session_AppEndsIt_NextEventStartsANewOne()
    {
        var end = new Dictionary<string, object?> { ["id"] = "x2", ["type"] = "session_end", ["ts"] = Ms(_t0.AddMinutes(1)) };
        await _server.PostAsync(Batch("v-end", "s-end", [View("x1", _t0), end]));
        await _server.PostAsync(Batch("v-end", "s-end", [View("x3", _t0.AddMinutes(2))]));

        var first = (await _server.GetJsonAsync("/v1/sessions/s-end")).GetProperty("session");
        Assert.True(first.GetProperty("ended").GetBoolean());
        Assert.Equal("app", first.GetProperty("endReason").GetString());
        Assert.Equal(2, (await _server.SessionsAsync("visitor=v-end")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Identify_TagsTheSessionAndLaterOnes_AndTheUserQueryFindsThem()
    {
        await _server.PostAsync(Batch("v-id", "s-id1", [View("d1", _t0), Identify("d2", _t0.AddSeconds(10), "cust-42")]));
        await _server.PostAsync(Batch("v-id", "s-id2", [View("d3", _t0.AddHours(2))]));

        var user = await _server.GetJsonAsync("/v1/users/cust-42/sessions?app=shop");
        Assert.Equal(2, user.GetProperty("total").GetInt64());
        Assert.All(user.GetProperty("sessions").EnumerateArray(), s => Assert.Equal("cust-42", s.GetProperty("userTag").GetString()));
    }

    [Fact]
    public async Task Experience_ErrorInTheLastAction_IsFrustrated_AndFastCleanSessionIsSatisfied()
    {
        await _server.PostAsync(Batch("v-fr", "s-fr", [
            View("f1", _t0, "Dates", 900), Action("f2", _t0.AddSeconds(3), "Pick dates", 150),
            Error("f3", _t0.AddSeconds(3.05), "TypeError: locale.firstDayOfWeek is undefined", "at pick (datepicker.js:10:5)", action: "f2"),
        ]));
        await _server.PostAsync(Batch("v-ok", "s-sat", [View("g1", _t0, "Home", 700), Action("g2", _t0.AddSeconds(3), "Search", 200), View("g3", _t0.AddSeconds(4), "Results", 1200)]));

        Assert.Equal("frustrated", (await _server.GetJsonAsync("/v1/sessions/s-fr")).GetProperty("session").GetProperty("experience").GetString());
        Assert.Equal("satisfied", (await _server.GetJsonAsync("/v1/sessions/s-sat")).GetProperty("session").GetProperty("experience").GetString());
        var frustrated = await _server.SessionsAsync("app=shop&experience=frustrated&hasErrors=true");
        Assert.Equal(["s-fr"], frustrated.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
    }
}
