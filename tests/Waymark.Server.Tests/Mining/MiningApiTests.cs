using System.Net;
using System.Text;
using System.Text.Json;
using Waymark.Core.Mining;
using Waymark.Server.Tests.Infrastructure;
using static Waymark.Server.Tests.Infrastructure.Beacons;

namespace Waymark.Server.Tests.Mining;

/// <summary>The mining API on a real server over journeys sent as beacons.</summary>
public sealed class MiningApiTests : IAsyncLifetime
{
    private const string Designed = """
        <?xml version="1.0" encoding="UTF-8"?>
        <pnml><net id="designed" type="http://www.pnml.org/version-2009/grammar/pnmlcoremodel"><page id="p">
          <place id="source"><initialMarking><text>1</text></initialMarking></place>
          <place id="p1"/><place id="p2"/><place id="p3"/><place id="sink"/>
          <transition id="t1"><name><text>Home</text></name></transition>
          <transition id="t2"><name><text>Search</text></name></transition>
          <transition id="t3"><name><text>Dates</text></name></transition>
          <transition id="t4"><name><text>Pay</text></name></transition>
          <arc id="a1" source="source" target="t1"/><arc id="a2" source="t1" target="p1"/>
          <arc id="a3" source="p1" target="t2"/><arc id="a4" source="t2" target="p2"/>
          <arc id="a5" source="p2" target="t3"/><arc id="a6" source="t3" target="p3"/>
          <arc id="a7" source="p3" target="t4"/><arc id="a8" source="t4" target="sink"/>
        </page><finalmarkings><marking><place idref="sink"><text>1</text></place></marking></finalmarkings></net></pnml>
        """;

    private WaymarkServer _server = null!;
    private readonly DateTimeOffset _t0 = DateTimeOffset.UtcNow.AddHours(-6);

    public async ValueTask InitializeAsync()
    {
        _server = await WaymarkServer.StartAsync(new() { ["Waymark:Mining:MaxUploadBytes"] = "20000" });
        // Four journeys as designed, two that skip the dates, one that searches twice.
        var n = 0;
        async Task Journey(string visitor, string session, params string[] pages)
        {
            var at = _t0.AddMinutes(n++ * 10);
            var events = pages.Select((p, i) => (object)View($"{session}-{i}", at.AddSeconds(i * 30), p)).ToList();
            await Ok(Batch(visitor, session, events));
        }
        for (var i = 0; i < 4; i++)
        {
            await Journey($"v{i}", $"s{i}", "Home", "Search", "Dates", "Pay");
        }
        await Journey("v4", "s4", "Home", "Search", "Pay");
        await Journey("v5", "s5", "Home", "Search", "Pay");
        await Journey("v6", "s6", "Home", "Search", "Search", "Dates", "Pay");
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Map_JourneysByPage_CountsEdgesStartsEndsAndTimesThem()
    {
        var map = await _server.GetJsonAsync("/v1/mining/map?app=shop");

        Assert.Equal(7, map.GetProperty("cases").GetInt32());
        var edges = map.GetProperty("edges").EnumerateArray().ToDictionary(e => (e.GetProperty("from").GetString(), e.GetProperty("to").GetString()));
        Assert.Equal(7, edges[("Home", "Search")].GetProperty("frequency").GetInt32());
        Assert.Equal(5, edges[("Search", "Dates")].GetProperty("frequency").GetInt32());
        Assert.Equal(2, edges[("Search", "Pay")].GetProperty("frequency").GetInt32());
        Assert.Equal(1, edges[("Search", "Search")].GetProperty("frequency").GetInt32());
        Assert.Equal(30, edges[("Home", "Search")].GetProperty("duration").GetProperty("medianSeconds").GetDouble());
        Assert.Equal(7, map.GetProperty("startActivities").GetProperty("Home").GetInt32());
        Assert.Equal(7, map.GetProperty("endActivities").GetProperty("Pay").GetInt32());
    }

    [Fact]
    public async Task Map_PathSlider_KeepsTheStrongEdgesAndEveryActivityConnected()
    {
        var map = await _server.GetJsonAsync("/v1/mining/map?app=shop&paths=0");

        var edges = map.GetProperty("edges").EnumerateArray().Select(e => (e.GetProperty("from").GetString(), e.GetProperty("to").GetString())).ToHashSet();
        Assert.DoesNotContain(("Search", "Search"), edges);
        Assert.DoesNotContain(("Search", "Pay"), edges);
        Assert.Contains(("Home", "Search"), edges);
        Assert.Contains(("Dates", "Pay"), edges);
        Assert.Equal(4, map.GetProperty("activities").GetArrayLength());
    }

    [Fact]
    public async Task Variants_CountsAndSharesMostFrequentFirst()
    {
        var v = await _server.GetJsonAsync("/v1/mining/variants?app=shop");

        Assert.Equal(3, v.GetProperty("variants").GetInt32());
        var top = v.GetProperty("top")[0];
        Assert.Equal(["Home", "Search", "Dates", "Pay"], top.GetProperty("activities").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(4, top.GetProperty("count").GetInt32());
        Assert.Equal(4.0 / 7, top.GetProperty("share").GetDouble(), 1e-12);
    }

    [Fact]
    public async Task Discover_InductiveMiner_GivesATreeAndANetTheLogFits()
    {
        var d = await _server.GetJsonAsync("/v1/mining/discover?app=shop&noise=0");
        Assert.Equal("IM", d.GetProperty("variant").GetString());
        Assert.StartsWith("->(", d.GetProperty("processTree").GetString(), StringComparison.Ordinal);
        var net = PnmlReader.Parse(d.GetProperty("pnml").GetString()!);
        Assert.Equal(4, net.Net.Transitions.Count(t => !t.IsSilent));

        var c = await _server.GetJsonAsync("/v1/mining/conformance?app=shop&noise=0");
        Assert.Equal(1.0, c.GetProperty("tokenReplay").GetProperty("fitness").GetDouble());
        Assert.Equal(100.0, c.GetProperty("alignments").GetProperty("percentageOfFittingTraces").GetDouble());
    }

    [Fact]
    public async Task Conformance_DesignedNet_FitnessFiguresAndDeviationsRankedByCustomers()
    {
        var c = await PostJsonAsync("/v1/mining/conformance?app=shop", Designed);

        var al = c.GetProperty("alignments");
        Assert.Equal(4, al.GetProperty("fittingCases").GetInt32());
        // bwc = 10000·|σ| + 40000 per trace; costs: 2 skips and 1 extra search of 10000 each.
        Assert.Equal(1 - (30000.0 / ((10000 * 27) + (7 * 40000))), al.GetProperty("logFitness").GetDouble(), 1e-12);
        var deviations = c.GetProperty("deviations").EnumerateArray()
            .Select(d => (d.GetProperty("kind").GetString(), d.GetProperty("activity").GetString(), d.GetProperty("customers").GetInt32())).ToList();
        Assert.Equal(("skipped", "Dates", 2), deviations[0]);
        Assert.Contains(("unexpected", "Search", 1), deviations);
        Assert.Contains(("repeated", "Search", 1), deviations);
        Assert.InRange(c.GetProperty("precision").GetProperty("tokenBased").GetDouble(), 0.99, 1.0);
    }

    [Fact]
    public async Task OverTime_ByDay_OnePointPerDayWithItsCases()
    {
        var series = await PostJsonAsync("/v1/mining/conformance/over-time?app=shop&by=day", Designed);

        var points = series.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(7, points.Sum(p => p.GetProperty("cases").GetInt32()));
        Assert.All(points, p => Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", p.GetProperty("key").GetString()!));
    }

    [Fact]
    public async Task ExportXes_ThenUpload_AnalysesTheSameLog()
    {
        using var export = await _server.Client.GetAsync("/v1/mining/log.xes?app=shop");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var xes = await export.Content.ReadAsStringAsync();
        Assert.Equal(7, XesReader.Parse(xes).Traces.Count);

        using var upload = await _server.Client.PostAsync("/v1/mining/logs?name=shop.xes", new StringContent(xes, Encoding.UTF8, "application/xml"));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var id = JsonDocument.Parse(await upload.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();

        var fromUpload = await _server.GetJsonAsync($"/v1/mining/map?log={id}");
        var fromJourneys = await _server.GetJsonAsync("/v1/mining/map?app=shop");
        Assert.Equal(fromJourneys.GetProperty("edges").GetRawText(), fromUpload.GetProperty("edges").GetRawText());
        var c = await PostJsonAsync($"/v1/mining/conformance?log={id}", Designed);
        Assert.Equal(4, c.GetProperty("alignments").GetProperty("fittingCases").GetInt32());
    }

    [Fact]
    public async Task Upload_MalformedXes_400WithTheLine()
    {
        using var r = await _server.Client.PostAsync("/v1/mining/logs", new StringContent("<log xes.version=\"1.0\">\n<trace>\n<event>\n</log>", Encoding.UTF8, "application/xml"));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        var body = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Malformed XES", body.GetProperty("title").GetString());
        Assert.True(body.GetProperty("line").GetInt32() > 0);
    }

    [Fact]
    public async Task Upload_PastTheSizeBound_413()
    {
        using var r = await _server.Client.PostAsync("/v1/mining/logs", new StringContent("<log>" + new string(' ', 30_000) + "</log>", Encoding.UTF8, "application/xml"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode);
    }

    [Fact]
    public async Task Conformance_MalformedPnml_400()
    {
        using var r = await _server.Client.PostAsync("/v1/mining/conformance?app=shop", new StringContent("<pnml><net><place id=\"a\"></net>", Encoding.UTF8, "application/xml"));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("Malformed PNML", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_UnknownUploadOrBadSlider_4xxSayingWhy()
    {
        using var missing = await _server.Client.GetAsync("/v1/mining/map?log=nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var bad = await _server.Client.GetAsync("/v1/mining/map?app=shop&paths=2&case=visit");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var detail = await bad.Content.ReadAsStringAsync();
        Assert.Contains("paths", detail, StringComparison.Ordinal);
        Assert.Contains("case", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_CaseCustomer_JoinsTheWebAndMobileSessionsOfOneUser()
    {
        var t = _t0.AddHours(2);
        await Ok(Batch("m-phone", "m-app", [View("ma1", t, "App Home"), Identify("ma2", t.AddSeconds(5), "cust-42"), View("ma3", t.AddSeconds(10), "Trips")], channel: "mobile"));
        await Ok(Batch("m-laptop", "m-web", [Identify("mw1", t.AddMinutes(40), "cust-42"), View("mw2", t.AddMinutes(41), "Checkin")]));

        var map = await _server.GetJsonAsync("/v1/mining/map?app=shop&case=customer&activity=channel-touchpoint&from=" + Uri.EscapeDataString(t.AddMinutes(-1).ToString("O")));

        Assert.Equal(1, map.GetProperty("cases").GetInt32());
        var edges = map.GetProperty("edges").EnumerateArray().Select(e => (e.GetProperty("from").GetString(), e.GetProperty("to").GetString())).ToList();
        Assert.Equal([("mobile: App Home", "mobile: Trips"), ("mobile: Trips", "web: Checkin")], edges);
    }

    private async Task<JsonElement> PostJsonAsync(string path, string body)
    {
        using var r = await _server.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/xml"));
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, $"POST {path} answered {(int)r.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task Ok(object beacon)
    {
        using var response = await _server.PostAsync(beacon);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }
}
