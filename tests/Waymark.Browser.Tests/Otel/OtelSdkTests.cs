using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Playwright;

namespace Waymark.Browser.Tests.Otel;

/// <summary>
/// Real OTLP from the official OpenTelemetry JS web SDK (npm packages, bundled
/// with esbuild) in Chromium, sent straight to Waymark's /v1/traces and /v1/logs.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OtelSdkTests(OtelSite site) : IClassFixture<OtelSite>
{
    [Fact]
    public async Task OtelWebSdk_PageLoadFetchesClicksAndVitals_SessionFoundWithVitalsAndRequests()
    {
        await using var context = await site.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, m) => console.Add(m.Type + ": " + m.Text);
        page.PageError += (_, e) => console.Add("page error: " + e);
        await page.GotoAsync(new Uri(site.Server.BaseAddress, "/otel/page").ToString());
        try
        {
            await page.WaitForSelectorAsync("body[data-loaded='1']", new() { State = WaitForSelectorState.Attached, Timeout = 20_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail("The page did not make its requests. Console: " + string.Join(" | ", console));
        }
        await page.ClickAsync("#buy");
        await page.ClickAsync("#oops");
        var session = await page.EvaluateAsync<string>("() => otelShop.sessionId()");
        Assert.False(string.IsNullOrEmpty(session));
        await page.EvaluateAsync("() => otelShop.flush()");

        var timeline = await TimelineAsync(session, events =>
            Count(events, "vital") >= 3 && Count(events, "request") >= 4 && Count(events, "view") >= 1 &&
            Count(events, "action") >= 2 && Count(events, "error") >= 1);

        var s = timeline.GetProperty("session");
        Assert.Equal("web", s.GetProperty("channel").GetString());
        Assert.Equal("otel-session-" + session, s.GetProperty("visitor").GetString());
        Assert.Equal("1.4.0", s.GetProperty("device").GetProperty("appVersion").GetString());
        var events = timeline.GetProperty("events").EnumerateArray().ToList();
        string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        // The document-load instrumentation's page load is the view.
        var view = Assert.Single(events, e => Text(e, "type") == "view");
        Assert.Equal(new Uri(site.Server.BaseAddress, "/otel/page").ToString(), Text(view, "url"));
        Assert.True(view.GetProperty("duration").GetDouble() > 0);

        // web-vitals reported as browser.web_vital events through the Logs SDK.
        var vitals = events.Where(e => Text(e, "type") == "vital").Select(e => Text(e, "name")).ToHashSet();
        Assert.Contains("TTFB", vitals);
        Assert.Contains("FCP", vitals);
        Assert.Contains("LCP", vitals);
        Assert.All(events.Where(e => Text(e, "type") == "vital"), v => Assert.True(v.GetProperty("value").GetDouble() >= 0));

        // The fetch instrumentation's spans are the requests.
        var requests = events.Where(e => Text(e, "type") == "request").ToList();
        var stock = Assert.Single(requests, r => Text(r, "url") == site.PartnerOrigin + "/otel/api/stock");
        Assert.True(stock.GetProperty("thirdParty").GetBoolean());
        Assert.Equal(200, stock.GetProperty("status").GetInt32());
        Assert.True(stock.GetProperty("duration").GetDouble() >= 300, "the partner answers after 300 ms");
        var own = requests.Where(r => Text(r, "url")?.EndsWith("/otel/api/price", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(2, own.Count);
        Assert.All(own, r => Assert.False(r.GetProperty("thirdParty").GetBoolean()));
        Assert.All(own, r => Assert.Equal(200, r.GetProperty("status").GetInt32()));
        var failed = Assert.Single(requests, r => Text(r, "method") == "POST");
        Assert.Equal(0, failed.GetProperty("status").GetInt32());
        Assert.True(failed.GetProperty("failed").GetBoolean());

        // The user-interaction instrumentation's click, and the error the page reported.
        // One action per click, though the instrumentation makes a span per listener (web-vitals listens too).
        Assert.Equal(["BUTTON#buy", "BUTTON#oops"], events.Where(e => Text(e, "type") == "action").Select(e => Text(e, "name")));
        var error = Assert.Single(events, e => Text(e, "type") == "error");
        Assert.StartsWith("TypeError", Text(error, "message"), StringComparison.Ordinal);

        var list = await site.Server.SessionsAsync("app=shop");
        Assert.Contains(list.GetProperty("sessions").EnumerateArray(), x => x.GetProperty("id").GetString() == session);
    }

    private static int Count(List<JsonElement> events, string type) =>
        events.Count(e => e.GetProperty("type").GetString() == type);

    /// <summary>The session's timeline once it holds what the test waits for (the SDK exports in batches).</summary>
    private async Task<JsonElement> TimelineAsync(string session, Func<List<JsonElement>, bool> complete)
    {
        var clock = Stopwatch.StartNew();
        var last = "";
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            using var response = await site.Server.Client.GetAsync($"/v1/sessions/{session}?app=shop");
            last = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var timeline = JsonDocument.Parse(last).RootElement.Clone();
                if (complete([.. timeline.GetProperty("events").EnumerateArray()]))
                {
                    return timeline;
                }
            }
            await Task.Delay(250);
        }
        Assert.Fail($"Session {session} did not get its page load, vitals, requests, click and error within 30 s. Last answer: {last}");
        return default;
    }
}
