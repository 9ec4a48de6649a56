using System.Net;
using Waymark.Server.Tests.Infrastructure;
using static Waymark.Server.Tests.Infrastructure.Beacons;

namespace Waymark.Server.Tests.Mining;

/// <summary>The process-mining page and the Graphviz-drawn map, on a real server with Debian's dot.</summary>
public sealed class MiningConsoleTests : IAsyncLifetime
{
    private WaymarkServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await WaymarkServer.StartAsync();
        var t0 = DateTimeOffset.UtcNow.AddHours(-5);
        for (var i = 0; i < 6; i++)
        {
            string[] pages = i < 4 ? ["Home", "Search", "Dates", "Pay"] : ["Home", "Search", "Pay"];
            var at = t0.AddMinutes(i * 10);
            using var r = await _server.PostAsync(Batch($"v{i}", $"s{i}", pages.Select((p, k) => (object)View($"e{i}-{k}", at.AddSeconds(k * (p == "Pay" ? 300 : 20)), p))));
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task MapSvg_LaidOutByDot_ThickerEdgeForTheFrequentPathAndRedForTheSlowOne()
    {
        using var r = await _server.Client.GetAsync("/v1/mining/map.svg?app=shop");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("image/svg+xml", r.Content.Headers.ContentType!.MediaType);
        var svg = await r.Content.ReadAsStringAsync();
        Assert.StartsWith("<svg", svg, StringComparison.Ordinal);
        Assert.Contains(">Search</text>", svg, StringComparison.Ordinal);
        // Home→Search (6 cases) is the thickest path; Dates→Pay (300 s) the slowest, drawn red.
        Assert.Contains("stroke-width=\"8\"", svg, StringComparison.Ordinal);
        Assert.Contains("#dc2626", svg, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MiningPage_SignedIn_ShowsTheMapTheConformanceAndTheVariants()
    {
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = _server.BaseAddress };
        using (await SignInForm.PostAsync(browser, "admin", WaymarkServer.AdminPassword, "/mining"))
        {
        }

        var html = WebUtility.HtmlDecode(await browser.GetStringAsync("/mining?app=shop&variant=2"));

        Assert.Contains("id=\"wm-process-map\"", html, StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("id=\"wm-fitting-share\"", html, StringComparison.Ordinal);
        Assert.Contains("Home → Search → Dates → Pay", html, StringComparison.Ordinal);
        // The chosen variant shows its alignment moves.
        Assert.Contains("class=\"wm-move sync\"", html, StringComparison.Ordinal);
    }
}
