using System.Net;
using System.Text.Json;
using Waymark.Server.Collect;
using Waymark.Server.Tests.Infrastructure;
using Waymark.Server.Ingest;
using static Waymark.Server.Tests.Otlp.OtlpPayloads;
using static Waymark.Server.Tests.Otlp.OtlpScenarios;

namespace Waymark.Server.Tests.Otlp;

/// <summary>OTLP/HTTP traces of the web instrumentations against the real host and a real DuckDB file.</summary>
public sealed class OtlpTracesTests : IAsyncLifetime
{
    private WaymarkServer _server = null!;
    private readonly DateTimeOffset _t0 = DateTimeOffset.UtcNow.AddMinutes(-20);

    public async ValueTask InitializeAsync() => _server = await WaymarkServer.StartAsync(new()
    {
        // A second app without first-party hosts: third party is decided by the page's host alone.
        ["Waymark:Apps:1:AllowedOrigins:0"] = "https://other.example",
    });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task PostTraces_FetchSpansAndDocumentLoad_AreRequestsWithDurationStatusAndThirdPartyAndAView()
    {
        var (response, body) = await SendAsync(_server, Request("/v1/traces", Json(WebTraces(_t0, "otel-tr-1", seed: 1))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{}", body);
        var timeline = await _server.GetJsonAsync("/v1/sessions/otel-tr-1?app=shop");
        var events = timeline.GetProperty("events").EnumerateArray().ToList();
        // documentFetch is part of the documentLoad view; resourceFetch is not a request of the app.
        Assert.Equal(["view", "action", "request", "request", "request", "error"], events.Select(e => e.Str("type")));

        var view = events[0];
        Assert.Equal("/products/:id", view.Str("name"));
        Assert.Equal("https://shop.example/products/42?lang=de", view.Str("url"));
        Assert.Equal(1200, view.GetProperty("duration").GetDouble(), 3);

        var click = events[1];
        Assert.Equal("BUTTON#buy", click.Str("name"));
        Assert.Equal("//*[@id=\"buy\"]", click.Str("target"));
        Assert.Equal(1500, click.GetProperty("duration").GetDouble(), 3);

        var partner = events[2];
        Assert.Equal("https://api.partner.example/stock", partner.Str("url"));
        Assert.Equal("GET", partner.Str("method"));
        Assert.Equal(200, partner.GetProperty("status").GetInt32());
        Assert.Equal(4200, partner.GetProperty("duration").GetDouble(), 3);
        Assert.True(partner.GetProperty("thirdParty").GetBoolean());
        Assert.False(partner.GetProperty("failed").GetBoolean());
        Assert.Equal(click.Str("id"), partner.Str("action"));

        var failing = events[3];
        Assert.Equal("POST", failing.Str("method"));
        Assert.Equal(0, failing.GetProperty("status").GetInt32());
        Assert.True(failing.GetProperty("failed").GetBoolean());
        Assert.False(failing.GetProperty("thirdParty").GetBoolean());

        var own = events[4];
        Assert.Equal(200, own.GetProperty("status").GetInt32());
        Assert.Equal(80, own.GetProperty("duration").GetDouble(), 3);
        Assert.False(own.GetProperty("thirdParty").GetBoolean());

        Assert.Equal("TypeError: price is undefined", events[5].Str("message"));

        var session = timeline.GetProperty("session");
        Assert.Equal(1, session.GetProperty("pages").GetInt32());
        Assert.Equal(1, session.GetProperty("actions").GetInt32());
        Assert.Equal(3, session.GetProperty("requests").GetInt32());
        Assert.Equal(1, session.GetProperty("failedRequests").GetInt32());
        Assert.Equal(1, session.GetProperty("errors").GetInt32());
    }

    [Fact]
    public async Task PostTraces_SameExportAsProtobuf_GivesTheSameEventsAndIsStoredOnce()
    {
        var json = await SendAsync(_server, Request("/v1/traces", Json(WebTraces(_t0, "otel-trenc-json", seed: 2))));
        var proto = await SendAsync(_server, Request("/v1/traces", Protobuf(WebTraces(_t0, "otel-trenc-proto", seed: 2)), protobuf: true));

        Assert.Equal(HttpStatusCode.OK, json.Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, proto.Response.StatusCode);
        Assert.Equal("", proto.Body);
        var fromJson = await EventsAsync(_server, "otel-trenc-json");
        var fromProto = await EventsAsync(_server, "otel-trenc-proto");
        Assert.Equal(6, fromJson.Count);
        // Without ts/received (received differs), every field is the same, ids included.
        static string Shape(JsonElement e) => string.Join("|", e.EnumerateObject().Where(p => p.Name != "received").Select(p => p.Name + "=" + p.Value.GetRawText()));
        Assert.Equal(fromJson.Select(Shape), fromProto.Select(Shape));

        var again = await SendAsync(_server, Request("/v1/traces", Protobuf(WebTraces(_t0, "otel-trenc-json", seed: 2)), protobuf: true));
        Assert.Equal(HttpStatusCode.OK, again.Response.StatusCode);
        var timeline = await _server.GetJsonAsync("/v1/sessions/otel-trenc-json?app=shop");
        Assert.Equal(6, timeline.GetProperty("events").GetArrayLength());
        Assert.Equal(3, timeline.GetProperty("session").GetProperty("requests").GetInt32());
    }

    [Fact]
    public async Task PostTraces_AppWithoutFirstPartyHosts_ThirdPartyIsAnotherHostThanThePage()
    {
        var s = new Kv("session.id", "otel-other-1");
        string T(int n) => Hex(3, n, 16);
        string S(int n) => Hex(3, n, 8);
        var withPage = new Batch(WebResource(new Kv("waymark.app", "other")), Spans:
        [
            new(T(1), S(1), "documentLoad", SpanInternal, _t0, 900, [s, new("http.url", "https://other.example/")]),
            new(T(2), S(2), "HTTP GET", Client, _t0.AddSeconds(2), 40, [s, new("http.method", "GET"), new("http.url", "https://other.example/api/a"), new("http.status_code", 200L)]),
            new(T(3), S(3), "HTTP GET", Client, _t0.AddSeconds(3), 40, [s, new("http.method", "GET"), new("http.url", "https://cdn.elsewhere.example/b"), new("http.status_code", 200L)]),
        ]);
        // A later export without the page load: the page is the origin that sent it.
        var later = new Batch(WebResource(new Kv("waymark.app", "other")), Spans:
        [
            new(T(4), S(4), "HTTP GET", Client, _t0.AddSeconds(9), 40, [s, new("http.method", "GET"), new("http.url", "https://other.example/api/c"), new("http.status_code", 200L)]),
            new(T(5), S(5), "HTTP GET", Client, _t0.AddSeconds(10), 40, [s, new("http.method", "GET"), new("http.url", "https://ads.elsewhere.example/d"), new("http.status_code", 200L)]),
        ]);
        var first = await SendAsync(_server, Request("/v1/traces", Json(withPage), app: null, key: "other-key"));
        var request = Request("/v1/traces", Json(later), app: null, key: "other-key");
        request.Headers.Add("Origin", "https://other.example");
        var second = await SendAsync(_server, request);

        Assert.Equal(HttpStatusCode.OK, first.Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.Response.StatusCode);
        Assert.Equal("https://other.example", second.Response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var timeline = await _server.GetJsonAsync("/v1/sessions/otel-other-1?app=other");
        var requests = timeline.GetProperty("events").EnumerateArray().Where(e => e.Str("type") == "request")
            .Select(e => (Enricher.Host(e.Str("url")), e.GetProperty("thirdParty").GetBoolean())).ToList();
        Assert.Equal([("other.example", false), ("cdn.elsewhere.example", true), ("other.example", false), ("ads.elsewhere.example", true)], requests);
    }

    [Fact]
    public async Task PostTraces_ServerAndInternalSpansOnly_AreAcceptedAndStoreNothing()
    {
        var s = new Kv("session.id", "otel-none");
        var batch = new Batch(WebResource(), Spans:
        [
            new(Hex(4, 1, 16), Hex(4, 1, 8), "GET /api", 2, _t0, 10, [s, new("http.request.method", "GET"), new("url.path", "/api")]),
            new(Hex(4, 2, 16), Hex(4, 2, 8), "compute", SpanInternal, _t0, 10, [s]),
        ]);
        var (response, body) = await SendAsync(_server, Request("/v1/traces", Json(batch)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{}", body);
        Assert.Equal(0, (await _server.SessionsAsync("visitor=otel-session-otel-none")).GetProperty("total").GetInt64());
    }
}
