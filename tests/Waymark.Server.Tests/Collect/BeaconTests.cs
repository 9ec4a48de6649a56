using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Waymark.Server.Tests.Infrastructure;
using static Waymark.Server.Tests.Infrastructure.Beacons;

namespace Waymark.Server.Tests.Collect;

/// <summary>The collector, over HTTP, against the real host and a real DuckDB file.</summary>
public sealed class BeaconTests : IAsyncLifetime
{
    private WaymarkServer _server = null!;
    private readonly DateTimeOffset _t0 = DateTimeOffset.UtcNow.AddMinutes(-20);

    public async ValueTask InitializeAsync() => _server = await WaymarkServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task PostBeacon_ValidBatch_IsStoredAndSummarised()
    {
        var response = await _server.PostAsync(Batch("v-ok", "s-ok", [
            View("e1", _t0, "Home", 900),
            Action("e2", _t0.AddSeconds(5), "Search", 300),
            Request("e3", _t0.AddSeconds(5.1), "https://stock.partner.example/v1/stock?sku=1", 503, 5200),
            View("e4", _t0.AddSeconds(8), "Results", 1500),
            Conversion("e5", _t0.AddSeconds(30), "order", 129.5),
        ]));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonDocument.Parse(body).RootElement;
        Assert.Equal(5, answer.GetProperty("accepted").GetInt32());
        Assert.Equal(0, answer.GetProperty("rejected").GetInt32());

        var timeline = await _server.GetJsonAsync("/v1/sessions/s-ok?app=shop");
        var session = timeline.GetProperty("session");
        Assert.Equal(2, session.GetProperty("pages").GetInt32());
        Assert.Equal(1, session.GetProperty("actions").GetInt32());
        Assert.True(session.GetProperty("converted").GetBoolean());
        Assert.Equal(129.5, session.GetProperty("conversionValue").GetDouble());
        Assert.Equal("Home", session.GetProperty("entryPage").GetString());
        Assert.Equal("Results", session.GetProperty("exitPage").GetString());
        Assert.Equal(1, session.GetProperty("failedRequests").GetInt32());
        var events = timeline.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(["e1", "e2", "e3", "e4", "e5"], events.Select(e => e.GetProperty("id").GetString()));
        var request = events[2];
        Assert.True(request.GetProperty("thirdParty").GetBoolean());
        Assert.Equal("https://stock.partner.example/v1/stock", request.GetProperty("url").GetString());
    }

    [Fact]
    public async Task PostBeacon_PartlyInvalidBatch_StoresGoodEventsAndSaysWhatWasRejected()
    {
        var response = await _server.PostAsync(Batch("v-part", "s-part", [
            View("good1", _t0),
            new Dictionary<string, object?> { ["id"] = "bad-type", ["type"] = "teleport", ["ts"] = Ms(_t0) },
            new Dictionary<string, object?> { ["id"] = "bad-duration", ["type"] = "action", ["ts"] = Ms(_t0), ["duration"] = "slow" },
            new Dictionary<string, object?> { ["type"] = "view", ["ts"] = Ms(_t0) },
            Action("good2", _t0.AddSeconds(2)),
        ]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(2, answer.GetProperty("accepted").GetInt32());
        Assert.Equal(3, answer.GetProperty("rejected").GetInt32());
        var errors = answer.GetProperty("problem").GetProperty("errors").EnumerateArray().ToList();
        Assert.Contains(errors, e => e.GetProperty("field").GetString() == "events[1].type");
        Assert.Contains(errors, e => e.GetProperty("field").GetString() == "events[2].duration" && e.GetProperty("reason").GetString()!.Contains("number", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.GetProperty("field").GetString() == "events[3].id");

        var timeline = await _server.GetJsonAsync("/v1/sessions/s-part");
        Assert.Equal(["good1", "good2"], timeline.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task PostBeacon_AllEventsInvalid_Is422WithReasons()
    {
        var response = await _server.PostAsync(Batch("v-bad", "s-bad", [
            new Dictionary<string, object?> { ["id"] = "x", ["type"] = "error", ["ts"] = Ms(_t0) },
        ]));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("required for an error", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WaymarkServer.App, "wrong-key")]
    [InlineData("no-such-app", WaymarkServer.Key)]
    public async Task PostBeacon_WrongKeyOrUnknownApp_IsRefusedAndNothingStored(string app, string key)
    {
        var response = await _server.PostAsync(Batch("v-key", "s-key", [View("k1", _t0)], app: app, key: key));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var sessions = await _server.SessionsAsync("visitor=v-key");
        Assert.Equal(0, sessions.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task PostBeacon_OversizeBody_Is413AndTheServerGoesOn()
    {
        var huge = new string('x', 1024 * 1024);
        var response = await _server.PostAsync(Batch("v-big", "s-big", [View("b1", _t0, name: "Home"), new Dictionary<string, object?> { ["id"] = "b2", ["type"] = "custom", ["ts"] = Ms(_t0), ["name"] = huge }]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var after = await _server.PostAsync(Batch("v-big", "s-big2", [View("b3", _t0)]));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task PostBeacon_TextPlainBodyAsSendBeaconSendsIt_IsAccepted()
    {
        var json = JsonSerializer.Serialize(Batch("v-beacon", "s-beacon", [View("t1", _t0), Action("t2", _t0.AddSeconds(1))]));
        using var content = new StringContent(json, Encoding.UTF8, "text/plain");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/beacon") { Content = content };
        request.Headers.Add("Origin", WaymarkServer.Origin);
        var response = await _server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(WaymarkServer.Origin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var timeline = await _server.GetJsonAsync("/v1/sessions/s-beacon");
        Assert.Equal(2, timeline.GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task PostBeacon_FromAnOriginTheAppDoesNotAllow_Is403()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/beacon")
        {
            Content = new StringContent(JsonSerializer.Serialize(Batch("v-o", "s-o", [View("o1", _t0)])), Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("Origin", "https://evil.example");
        var response = await _server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Preflight_AllowedOrigin_GetsCorsHeaders()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/v1/beacon");
        request.Headers.Add("Origin", WaymarkServer.Origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        var response = await _server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Contains("POST", response.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostBeacon_SameBeaconRetried_IsStoredOnce()
    {
        var beacon = Batch("v-retry", "s-retry", [View("r1", _t0), Action("r2", _t0.AddSeconds(1)), Error("r3", _t0.AddSeconds(2), "boom")]);
        var first = await _server.PostAsync(beacon);
        var second = await _server.PostAsync(beacon);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var answer = JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(3, answer.GetProperty("duplicates").GetInt32());
        var timeline = await _server.GetJsonAsync("/v1/sessions/s-retry");
        Assert.Equal(3, timeline.GetProperty("events").GetArrayLength());
        Assert.Equal(1, timeline.GetProperty("session").GetProperty("errors").GetInt32());
        Assert.Equal(3, timeline.GetProperty("session").GetProperty("events").GetInt32());
    }

    [Theory]
    [InlineData("{\"app\":", "not valid UTF-8 JSON")]
    [InlineData("[1,2,3]", "must be a JSON object")]
    [InlineData("{\"app\":\"shop\",\"key\":\"shop-key\",\"channel\":\"fax\",\"visitor\":\"v\",\"events\":[]}", "not a channel")]
    [InlineData("{\"app\":\"shop\",\"key\":\"shop-key\",\"channel\":\"web\",\"visitor\":42,\"events\":[]}", "must be a string")]
    public async Task PostBeacon_MalformedBody_Is400WithTheReason(string body, string reason)
    {
        var response = await _server.Client.PostAsync("/v1/beacon", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostBeacon_DeeplyNestedJson_Is400()
    {
        var nested = new string('[', 5000) + new string(']', 5000);
        var body = "{\"app\":\"shop\",\"key\":\"shop-key\",\"channel\":\"web\",\"visitor\":\"v\",\"events\":[{\"id\":\"n\",\"type\":\"custom\",\"ts\":1,\"props\":" + nested + "}]}";
        var response = await _server.Client.PostAsync("/v1/beacon", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("depth", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PostBeacon_InvalidUtf8_Is400AndLaterBeaconsAreFine()
    {
        var prefix = Encoding.UTF8.GetBytes("{\"app\":\"shop\",\"key\":\"shop-key\",\"channel\":\"web\",\"visitor\":\"");
        var suffix = Encoding.UTF8.GetBytes("\",\"events\":[]}");
        byte[] bytes = [.. prefix, 0xC3, 0x28, 0xFF, .. suffix];
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = await _server.Client.PostAsync("/v1/beacon", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        var after = await _server.PostAsync(Batch("v-utf", "s-utf", [View("u1", _t0, name: "Café ☕ <script>")]));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        var timeline = await _server.GetJsonAsync("/v1/sessions/s-utf");
        Assert.Equal("Café ☕ <script>", timeline.GetProperty("events")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task PostBeacon_WrongContentType_Is415()
    {
        var response = await _server.Client.PostAsync("/v1/beacon", new StringContent("<xml/>", Encoding.UTF8, "application/xml"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task PostBeacon_ClientClockAnHourAhead_TimesAreCorrected()
    {
        var skew = TimeSpan.FromHours(1);
        var now = DateTimeOffset.UtcNow;
        var response = await _server.PostAsync(Batch("v-skew", "s-skew", [View("c1", now + skew - TimeSpan.FromSeconds(10))], sentAt: now + skew));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var timeline = await _server.GetJsonAsync("/v1/sessions/s-skew");
        var ts = timeline.GetProperty("events")[0].GetProperty("ts").GetDateTimeOffset();
        Assert.InRange(ts, now - TimeSpan.FromSeconds(30), now + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task PostBeacon_QueryStringsAndEmails_AreMaskedBeforeStorage()
    {
        var response = await _server.PostAsync(Batch("v-mask", "s-mask", [
            View("m1", _t0, url: "https://shop.example/search?q=anna%40mail.example&lang=de&token=abc"),
            Error("m2", _t0.AddSeconds(1), "Payment failed for anna@mail.example card 4111 1111 1111 1111"),
        ]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var raw = (await _server.GetJsonAsync("/v1/sessions/s-mask")).GetRawText();
        Assert.DoesNotContain("anna", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("4111", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("token", raw, StringComparison.Ordinal);
        Assert.Contains("lang=de", raw, StringComparison.Ordinal);
    }
}
