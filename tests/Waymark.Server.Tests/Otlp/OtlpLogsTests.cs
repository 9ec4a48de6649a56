using System.Net;
using System.Text.Json;
using Waymark.Server.Tests.Infrastructure;
using static Waymark.Server.Tests.Otlp.OtlpPayloads;
using static Waymark.Server.Tests.Otlp.OtlpScenarios;

namespace Waymark.Server.Tests.Otlp;

/// <summary>OTLP/HTTP logs (OpenTelemetry events) against the real host and a real DuckDB file.</summary>
public sealed class OtlpLogsTests : IAsyncLifetime
{
    private WaymarkServer _server = null!;
    private readonly DateTimeOffset _t0 = DateTimeOffset.UtcNow.AddMinutes(-20);

    public async ValueTask InitializeAsync() => _server = await WaymarkServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task PostLogs_WebVitalsExceptionsAndSessionId_AreQueryableAsOneSession()
    {
        var (response, body) = await SendAsync(_server, Request("/v1/logs", Json(WebLogs(_t0, "otel-logs-1"))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{}", body);

        var list = await _server.SessionsAsync("app=shop");
        var session = Assert.Single(list.GetProperty("sessions").EnumerateArray(), s => s.Str("id") == "otel-logs-1");
        Assert.Equal("web", session.Str("channel"));
        Assert.Equal("otel-session-otel-logs-1", session.Str("visitor"));
        Assert.Equal(1, session.GetProperty("pages").GetInt32());
        Assert.Equal(2, session.GetProperty("errors").GetInt32());
        Assert.True(session.GetProperty("ended").GetBoolean());
        Assert.Equal("Checkout", session.Str("entryPage"));
        Assert.Equal("de-DE", session.Str("locale"));
        var device = session.GetProperty("device");
        Assert.Equal("Chrome", device.Str("browser"));
        Assert.Equal("Windows", device.Str("os"));
        Assert.Equal("desktop", device.Str("class"));
        Assert.Equal("2.1.0", device.Str("appVersion"));

        var events = await EventsAsync(_server, "otel-logs-1");
        // The plain info log is not a Waymark event.
        Assert.Equal(["view", "vital", "vital", "error", "error", "custom", "session_end"], events.Select(e => e.Str("type")));
        Assert.Equal("https://shop.example/checkout", events[0].Str("url"));
        Assert.Equal("LCP", events[1].Str("name"));
        Assert.Equal(2100.5, events[1].GetProperty("value").GetDouble());
        var lcpProps = JsonDocument.Parse(events[1].Str("props")!).RootElement;
        Assert.Equal("v4-1", lcpProps.Str("id"));
        Assert.Equal("good", lcpProps.Str("rating"));
        Assert.Equal("CLS", events[2].Str("name"));
        Assert.Equal(0.12, events[2].GetProperty("value").GetDouble());
        Assert.Equal("TypeError: x is undefined", events[3].Str("message"));
        Assert.Contains("at pay", events[3].Str("stack"), StringComparison.Ordinal);
        Assert.NotNull(events[3].Str("fingerprint"));
        Assert.Equal("PaymentError: card declined", events[4].Str("message"));
        Assert.Equal("cart.add", events[5].Str("name"));
        var props = JsonDocument.Parse(events[5].Str("props")!).RootElement;
        Assert.Equal("A-1", props.Str("sku"));
        Assert.Equal(2, props.GetProperty("qty").GetInt32());
        Assert.False(props.TryGetProperty("session.id", out _));
        Assert.False(props.TryGetProperty("tags", out _));
        Assert.Equal(_t0.AddSeconds(2).ToUnixTimeMilliseconds(), events[1].GetProperty("ts").GetDateTimeOffset().ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task PostLogs_DeviceIdOnTheResource_IsTheVisitorAcrossSessions()
    {
        Kv[] resource = WebResource(new Kv("device.id", "device-77"));
        var first = await SendAsync(_server, Request("/v1/logs", Json(WebLogs(_t0, "otel-dev-1", resource))));
        var second = await SendAsync(_server, Request("/v1/logs", Json(WebLogs(_t0.AddMinutes(5), "otel-dev-2", resource))));

        Assert.Equal(HttpStatusCode.OK, first.Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.Response.StatusCode);
        var sessions = await _server.SessionsAsync("app=shop&visitor=device-77");
        Assert.Equal(["otel-dev-2", "otel-dev-1"], sessions.GetProperty("sessions").EnumerateArray().Select(s => s.Str("id")));
    }

    [Fact]
    public async Task PostLogs_MobileResource_IsAMobileSessionWithTheDevice()
    {
        Kv[] resource =
        [
            new("service.name", "shop-ios"), new("service.version", "5.4.1"), new("telemetry.sdk.language", "swift"),
            new("os.name", "iOS"), new("os.version", "17.5"), new("device.model.identifier", "iPhone15,2"),
            new("device.id", "ios-device-1"),
        ];
        var logs = new Batch(resource,
        [
            new(_t0, "screen_view", Attributes: [new("session.id", "otel-ios-1"), new("screen.name", "Basket")]),
            new(_t0.AddSeconds(3), "app.widget.click", Attributes: [new("session.id", "otel-ios-1"), new("app.widget.name", "Pay"), new("app.widget.id", "pay-button")]),
        ]);
        var (response, _) = await SendAsync(_server, Request("/v1/logs", Json(logs)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var timeline = await _server.GetJsonAsync("/v1/sessions/otel-ios-1?app=shop");
        var session = timeline.GetProperty("session");
        Assert.Equal("mobile", session.Str("channel"));
        Assert.Equal("ios-device-1", session.Str("visitor"));
        Assert.Equal("mobile", session.GetProperty("device").Str("class"));
        Assert.Equal("iOS", session.GetProperty("device").Str("os"));
        Assert.Equal("5.4.1", session.GetProperty("device").Str("appVersion"));
        var events = timeline.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(("view", "Basket"), (events[0].Str("type"), events[0].Str("name")));
        Assert.Equal(("action", "Pay", "pay-button"), (events[1].Str("type"), events[1].Str("name"), events[1].Str("target")));
    }

    [Fact]
    public async Task PostLogs_InvalidVitalAndNoTime_ArePartialSuccessAndTheRestIsStored()
    {
        var s = new Kv("session.id", "otel-partial");
        var logs = new Batch(WebResource(),
        [
            new(_t0, "browser.page_view", Attributes: [s, new("url.full", "https://shop.example/")]),
            new(_t0.AddSeconds(1), "browser.web_vital", Attributes: [s, new("name", "LCP")]),
            new(DateTimeOffset.UnixEpoch, "cart.add", Attributes: [s]),
        ]);
        var (response, body) = await SendAsync(_server, Request("/v1/logs", Json(logs)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var partial = JsonDocument.Parse(body).RootElement.GetProperty("partialSuccess");
        Assert.Equal(2, partial.GetProperty("rejectedLogRecords").GetInt32());
        Assert.Contains("numeric value", partial.Str("errorMessage"), StringComparison.Ordinal);
        Assert.Contains("timeUnixNano", partial.Str("errorMessage"), StringComparison.Ordinal);
        var events = await EventsAsync(_server, "otel-partial");
        Assert.Equal(["view"], events.Select(e => e.Str("type")));
    }

    [Fact]
    public async Task PostLogs_SameLogsAsProtobuf_AreTheSameEventsAndStoredOnce()
    {
        var json = await SendAsync(_server, Request("/v1/logs", Json(WebLogs(_t0, "otel-enc-json"))));
        var proto = await SendAsync(_server, Request("/v1/logs", Protobuf(WebLogs(_t0, "otel-enc-proto")), protobuf: true));

        Assert.Equal(HttpStatusCode.OK, json.Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, proto.Response.StatusCode);
        Assert.Equal("application/x-protobuf", proto.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("", proto.Body);
        static object Shape(JsonElement e) =>
            (e.Str("type"), e.Str("name"), e.Str("url"), e.Str("message"), e.Str("stack"), e.Str("props"),
             e.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : (double?)null, e.GetProperty("ts").GetDateTimeOffset());
        var fromJson = (await EventsAsync(_server, "otel-enc-json")).Select(Shape).ToList();
        var fromProto = (await EventsAsync(_server, "otel-enc-proto")).Select(Shape).ToList();
        Assert.Equal(7, fromJson.Count);
        Assert.Equal(fromJson, fromProto);

        // The JSON export again, now as protobuf: the same records hash to the same ids.
        var again = await SendAsync(_server, Request("/v1/logs", Protobuf(WebLogs(_t0, "otel-enc-json")), protobuf: true));
        Assert.Equal(HttpStatusCode.OK, again.Response.StatusCode);
        var timeline = await _server.GetJsonAsync("/v1/sessions/otel-enc-json?app=shop");
        Assert.Equal(7, timeline.GetProperty("events").GetArrayLength());
        Assert.Equal(7, timeline.GetProperty("session").GetProperty("events").GetInt32());
    }
}
