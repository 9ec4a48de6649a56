using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Waymark.Server.Tests.Infrastructure;
using static Waymark.Server.Tests.Otlp.OtlpPayloads;
using static Waymark.Server.Tests.Otlp.OtlpScenarios;

namespace Waymark.Server.Tests.Otlp;

/// <summary>The OTLP/HTTP transport: encodings, compression, keys, bounds, retries.</summary>
public sealed class OtlpTransportTests : IAsyncLifetime
{
    private WaymarkServer _server = null!;
    private readonly DateTimeOffset _t0 = DateTimeOffset.UtcNow.AddMinutes(-20);

    public async ValueTask InitializeAsync() => _server = await WaymarkServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task PostTraces_GzipJsonAndGzipProtobuf_AreAccepted()
    {
        var json = await SendAsync(_server, Request("/v1/traces", Json(WebTraces(_t0, "otel-gz-json", seed: 10)), gzip: true));
        var proto = await SendAsync(_server, Request("/v1/logs", Protobuf(WebLogs(_t0, "otel-gz-proto")), protobuf: true, gzip: true));

        Assert.Equal(HttpStatusCode.OK, json.Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, proto.Response.StatusCode);
        Assert.Equal(6, (await EventsAsync(_server, "otel-gz-json")).Count);
        Assert.Equal(7, (await EventsAsync(_server, "otel-gz-proto")).Count);
    }

    [Theory]
    [InlineData("shop", "wrong-key")]
    [InlineData("no-such-app", "shop-key")]
    [InlineData(null, "shop-key")]
    [InlineData("shop", null)]
    public async Task PostLogs_WrongKeyOrUnknownApp_Is401AndNothingStored(string? app, string? key)
    {
        var (response, body) = await SendAsync(_server, Request("/v1/logs", Json(WebLogs(_t0, "otel-401")), app: app, key: key));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("X-Waymark-", body, StringComparison.Ordinal);
        Assert.Equal(0, (await _server.SessionsAsync("visitor=otel-session-otel-401")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task PostLogs_AppAsResourceAttributeAndKeyAsBearer_IsAccepted()
    {
        var request = Request("/v1/logs", Json(WebLogs(_t0, "otel-bearer", WebResource(new Kv("waymark.app", "shop")))), app: null, key: null);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "shop-key");
        var (response, _) = await SendAsync(_server, request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(7, (await EventsAsync(_server, "otel-bearer")).Count);
    }

    [Theory]
    [InlineData("{\"resourceSpans\":", "not valid UTF-8 JSON")]
    [InlineData("{\"resourceSpans\":{}}", "resourceSpans: must be an array")]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"zz\"}]}]}]}", "resourceSpans[0].scopeSpans[0].spans[0].traceId: must be hex")]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"kind\":\"sideways\"}]}]}]}", "spans[0].kind: must be the enum")]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":\"soon\"}]}]}]}", "startTimeUnixNano: must be an unsigned 64-bit integer")]
    public async Task PostTraces_MalformedJson_Is400WithTheReasonAndLaterExportsAreFine(string body, string reason)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await _server.Client.PostAsync("/v1/traces", content);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, JsonDocument.Parse(text).RootElement.Str("detail"), StringComparison.Ordinal);
        var after = await SendAsync(_server, Request("/v1/traces", Json(WebTraces(_t0, "otel-after-400", seed: 11))));
        Assert.Equal(HttpStatusCode.OK, after.Response.StatusCode);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(200)]
    public async Task PostLogs_AnyValueNestedTooDeep_Is400(int levels)
    {
        object value = "leaf";
        for (var i = 0; i < levels; i++)
        {
            value = new Kv[] { new("k", value) };
        }
        var logs = new Batch(WebResource(), [new(_t0, "deep", Attributes: [new("session.id", "otel-deep"), new("nested", value)])]);
        var json = await SendAsync(_server, Request("/v1/logs", Json(logs)));
        var proto = await SendAsync(_server, Request("/v1/logs", Protobuf(logs), protobuf: true));

        Assert.Equal(HttpStatusCode.BadRequest, json.Response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, proto.Response.StatusCode);
        Assert.Contains("nested deeper than 8", json.Body, StringComparison.Ordinal);
        Assert.Contains("nested deeper than 8", proto.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x0A, 0x05, 0x0A }, "not a valid protobuf message")]
    [InlineData(new byte[] { 0x08, 0x01 }, "field 1 must be a message")]
    [InlineData(new byte[] { 0x0A, 0x02, 0x12, 0x7F }, "not a valid protobuf message")]
    public async Task PostTraces_MalformedProtobuf_Is400(byte[] body, string reason)
    {
        var (response, text) = await SendAsync(_server, Request("/v1/traces", body, protobuf: true));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostTraces_OversizeBody_Is413()
    {
        var huge = Encoding.UTF8.GetBytes("{\"resourceSpans\":[],\"pad\":\"" + new string('x', 1024 * 1024) + "\"}");
        var (response, _) = await SendAsync(_server, Request("/v1/traces", huge));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task PostTraces_ZipBomb_Is413AndTheServerGoesOn()
    {
        // 32 MiB of zeros compress to about 32 KiB: small on the wire, far over the limit inflated.
        var bomb = Gzip(new byte[32 * 1024 * 1024]);
        Assert.True(bomb.Length < 1024 * 1024);
        using var content = new ByteArrayContent(bomb);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        content.Headers.ContentEncoding.Add("gzip");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/traces") { Content = content };
        var response = await _server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("after decompression", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var after = await SendAsync(_server, Request("/v1/traces", Json(WebTraces(_t0, "otel-after-bomb", seed: 12)), gzip: true));
        Assert.Equal(HttpStatusCode.OK, after.Response.StatusCode);
    }

    [Fact]
    public async Task PostTraces_NotGzipButSaysSo_Is400()
    {
        var request = Request("/v1/traces", Json(WebTraces(_t0, "otel-notgz", seed: 13)));
        request.Content!.Headers.ContentEncoding.Add("gzip");
        var (response, body) = await SendAsync(_server, request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("gzip", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostTraces_TextPlain_Is415()
    {
        using var content = new StringContent("{}", Encoding.UTF8, "text/plain");
        var response = await _server.Client.PostAsync("/v1/traces", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task PostTracesAndLogs_SameExportSentTwice_IsStoredOnce()
    {
        var traces = Json(WebTraces(_t0, "otel-twice", seed: 14));
        var logs = Protobuf(WebLogs(_t0.AddSeconds(30), "otel-twice"));
        foreach (var _ in Enumerable.Range(0, 2))
        {
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(_server, Request("/v1/traces", traces))).Response.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(_server, Request("/v1/logs", logs, protobuf: true))).Response.StatusCode);
        }

        var timeline = await _server.GetJsonAsync("/v1/sessions/otel-twice?app=shop");
        Assert.Equal(13, timeline.GetProperty("events").GetArrayLength());
        var session = timeline.GetProperty("session");
        Assert.Equal(13, session.GetProperty("events").GetInt32());
        Assert.Equal(3, session.GetProperty("requests").GetInt32());
        Assert.Equal(3, session.GetProperty("errors").GetInt32());
    }

    [Fact]
    public async Task PostTraces_MoreSpansThanTheLimit_ArePartialSuccessWithTheRestRejected()
    {
        await using var small = await WaymarkServer.StartAsync(new() { ["Waymark:Otlp:MaxRecords"] = "5" });
        var spans = WebTraces(_t0, "otel-limit", seed: 15);

        var (jsonResponse, jsonBody) = await SendAsync(small, Request("/v1/traces", Json(spans)));
        using var protoResponse = await small.Client.SendAsync(Request("/v1/traces", Protobuf(spans), protobuf: true));
        var protoBody = await protoResponse.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, jsonResponse.StatusCode);
        var partial = JsonDocument.Parse(jsonBody).RootElement.GetProperty("partialSuccess");
        Assert.Equal(spans.Spans!.Length - 5, partial.GetProperty("rejectedSpans").GetInt32());
        Assert.Contains("limit of 5", partial.Str("errorMessage"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, protoResponse.StatusCode);
        // ExportTraceServiceResponse: partial_success (1) { rejected_spans (1), error_message (2) }.
        var input = new Google.Protobuf.CodedInputStream(protoBody);
        Assert.Equal(10u, input.ReadTag());
        input.ReadLength();
        Assert.Equal(8u, input.ReadTag());
        Assert.Equal(spans.Spans.Length - 5, input.ReadInt64());
    }

    [Fact]
    public async Task Preflight_AllowedOrigin_AllowsTheExporterHeaders()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/v1/traces");
        request.Headers.Add("Origin", WaymarkServer.Origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        var response = await _server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Contains("X-Waymark-Key", response.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.Ordinal);
        Assert.Equal(WaymarkServer.Origin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}
