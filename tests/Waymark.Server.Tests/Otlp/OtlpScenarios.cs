using System.Globalization;
using System.Text.Json;
using Waymark.Server.Tests.Infrastructure;
using static Waymark.Server.Tests.Otlp.OtlpPayloads;

namespace Waymark.Server.Tests.Otlp;

/// <summary>What a web app instrumented with the OpenTelemetry JS SDKs exports during one visit.</summary>
public static class OtlpScenarios
{
    public const string ChromeUa = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

    public static Kv[] WebResource(params Kv[] more) =>
    [
        new("service.name", "shop-web"),
        new("service.version", "2.1.0"),
        new("telemetry.sdk.language", "webjs"),
        new("telemetry.sdk.name", "opentelemetry"),
        new("browser.language", "de-DE"),
        new("user_agent.original", ChromeUa),
        .. more,
    ];

    /// <summary>A hex id of <paramref name="bytes"/> bytes, different per seed and number.</summary>
    public static string Hex(int seed, int n, int bytes) =>
        (seed.ToString("x8", CultureInfo.InvariantCulture) + n.ToString("x8", CultureInfo.InvariantCulture)).PadLeft(bytes * 2, 'a');

    /// <summary>
    /// The logs of a visit: a page view, two web vitals (one named by the
    /// event_name field, one by the older event.name attribute), an exception
    /// event, a plain info log, an error log, a custom event and the session's end.
    /// </summary>
    public static Batch WebLogs(DateTimeOffset t0, string session, Kv[]? resource = null)
    {
        var s = new Kv("session.id", session);
        return new Batch(resource ?? WebResource(),
        [
            new(t0, "browser.page_view", Body: new Kv[] { new("url", "https://shop.example/checkout"), new("title", "Checkout") }, Attributes: [s]),
            new(t0.AddSeconds(2), "browser.web_vital",
                Body: new Kv[] { new("name", "LCP"), new("value", 2100.5), new("delta", 2100.5), new("id", "v4-1"), new("rating", "good") }, Attributes: [s]),
            new(t0.AddSeconds(3), "browser.web_vital", NameAsAttribute: true,
                Attributes: [s, new("name", "CLS"), new("value", 0.12), new("delta", 0.12), new("id", "v4-2")]),
            new(t0.AddSeconds(4), "exception", Attributes:
            [
                s, new("exception.type", "TypeError"), new("exception.message", "x is undefined"),
                new("exception.stacktrace", "TypeError: x is undefined\n    at pay (https://shop.example/app.js:10:5)"),
            ]),
            new(t0.AddSeconds(5), Body: "rendered the basket", Attributes: [s]),
            new(t0.AddSeconds(6), Severity: 17, Body: "payment failed", Attributes: [s, new("exception.type", "PaymentError"), new("exception.message", "card declined")]),
            new(t0.AddSeconds(7), "cart.add", Attributes: [s, new("sku", "A-1"), new("qty", 2L), new("price", 9.5), new("tags", new object[] { "x", "y" })]),
            new(t0.AddSeconds(8), "session.end", Attributes: [s]),
        ]);
    }

    /// <summary>
    /// The spans of a visit: the document-load instrumentation's documentLoad,
    /// documentFetch and resourceFetch; a click of the user-interaction
    /// instrumentation (two listeners, so two nested spans) with the slow
    /// third-party fetch it started; a fetch that
    /// failed without an answer; a fast first-party fetch; and a span with an
    /// exception event.
    /// </summary>
    public static Batch WebTraces(DateTimeOffset t0, string session, int seed)
    {
        var s = new Kv("session.id", session);
        string T(int n) => Hex(seed, n, 16);
        string S(int n) => Hex(seed, n, 8);
        const string page = "https://shop.example/products/42?lang=de&utm_source=mail";
        return new Batch(WebResource(), Spans:
        [
            new(T(1), S(1), "documentLoad", SpanInternal, t0, 1200, [s, new("http.url", page), new("http.user_agent", ChromeUa)]),
            new(T(1), S(2), "documentFetch", SpanInternal, t0.AddMilliseconds(10), 300, [s, new("http.url", page)], ParentSpanId: S(1)),
            new(T(1), S(3), "resourceFetch", SpanInternal, t0.AddMilliseconds(400), 90, [s, new("http.url", "https://cdn.example/app.js")], ParentSpanId: S(1)),
            new(T(2), S(4), "click", SpanInternal, t0.AddSeconds(5), 900,
                [s, new("event_type", "click"), new("target_element", "BUTTON"), new("target_xpath", "//*[@id=\"buy\"]"), new("http.url", page)]),
            // A second listener of the same click: the instrumentation nests its span; one action, lasting until the later end.
            new(T(2), S(9), "click", SpanInternal, t0.AddSeconds(5), 1500,
                [s, new("event_type", "click"), new("target_element", "BUTTON"), new("target_xpath", "//*[@id=\"buy\"]"), new("http.url", page)], ParentSpanId: S(4)),
            new(T(2), S(5), "HTTP GET", Client, t0.AddSeconds(5.1), 4200,
                [s, new("http.method", "GET"), new("http.url", "https://api.partner.example/stock?sku=1"), new("http.status_code", 200L)], ParentSpanId: S(9)),
            new(T(3), S(6), "HTTP POST", Client, t0.AddSeconds(8), 150,
                [s, new("http.request.method", "POST"), new("url.full", "https://shop.example/api/cart")], StatusCode: Error),
            new(T(4), S(7), "HTTP GET", Client, t0.AddSeconds(9), 80,
                [s, new("http.request.method", "GET"), new("url.full", "https://shop.example/api/price?id=1"), new("http.response.status_code", 200L), new("server.address", "shop.example")]),
            new(T(5), S(8), "render", SpanInternal, t0.AddSeconds(10), 5, [s], StatusCode: Error, Events:
            [
                new(t0.AddSeconds(10.002), "exception", [new("exception.type", "TypeError"), new("exception.message", "price is undefined")]),
            ]),
        ]);
    }

    public static async Task<(HttpResponseMessage Response, string Body)> SendAsync(WaymarkServer server, HttpRequestMessage request)
    {
        using (request)
        {
            var response = await server.Client.SendAsync(request);
            return (response, await response.Content.ReadAsStringAsync());
        }
    }

    public static async Task<List<JsonElement>> EventsAsync(WaymarkServer server, string session)
    {
        var timeline = await server.GetJsonAsync($"/v1/sessions/{session}?app=shop");
        return [.. timeline.GetProperty("events").EnumerateArray()];
    }

    public static string? Str(this JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
