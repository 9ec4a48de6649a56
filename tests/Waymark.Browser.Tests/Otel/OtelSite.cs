using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using Waymark.Server.Tests.Infrastructure;

namespace Waymark.Browser.Tests.Otel;

/// <summary>
/// The real Waymark server serving a page instrumented with the official
/// OpenTelemetry JS web SDK (otel-page/, bundled from npm), a partner API on a
/// second host name, and Debian's Chromium driven by Playwright.
/// </summary>
public sealed class OtelSite : IAsyncLifetime
{
    public const string PartnerHost = "partner.otel.test";

    private IPlaywright? _playwright;

    public WaymarkServer Server { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The page's bundle: built by <c>npm ci &amp;&amp; npm run build</c> in tests/Waymark.Browser.Tests/otel-page.</summary>
    public static string BundlePath => Path.Combine(Repo.Root, "tests", "Waymark.Browser.Tests", "otel-page", "dist", "otel-page.js");

    public static string ChromiumPath => Environment.GetEnvironmentVariable("WAYMARK_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    public string PartnerOrigin => $"http://{PartnerHost}:{Server.BaseAddress.Port}";

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(BundlePath))
        {
            throw new InvalidOperationException(
                $"The OpenTelemetry test page is not built ({BundlePath}): run `npm ci && npm run build` in tests/Waymark.Browser.Tests/otel-page.");
        }
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium is not at {ChromiumPath}: run scripts/setup.sh test (it installs Debian's chromium).");
        }
        Server = await WaymarkServer.StartAsync(new()
        {
            // The page's origin (127.0.0.1 on a port chosen at start) may send.
            ["Waymark:Apps:0:AllowedOrigins:1"] = "*",
            // The shop's own host, as an app lists it; the partner's is another.
            ["Waymark:Apps:0:FirstPartyHosts:0"] = "127.0.0.1",
        }, map: Map);
        _playwright = await Infrastructure.PlaywrightSetup.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                $"--host-resolver-rules=MAP {PartnerHost} 127.0.0.1",
            ],
        });
    }

    private void Map(WebApplication app)
    {
        // A public site beside Waymark: no Waymark account needed.
        var site = app.MapGroup("/otel").AllowAnonymous();
        site.MapGet("/page", (HttpContext http) =>
        {
            http.Response.Headers.ContentSecurityPolicy = Infrastructure.ShopSite.SitePolicy;
            return Results.Content(Page(http), "text/html; charset=utf-8");
        });
        site.MapGet("/otel-page.js", () => Results.File(BundlePath, "text/javascript; charset=utf-8"));
        // The partner's stock API: slow, and readable from the shop's pages (CORS).
        site.MapGet("/api/stock", async (HttpContext http) =>
        {
            http.Response.Headers.AccessControlAllowOrigin = "*";
            await Task.Delay(300);
            return Results.Json(new { sku = 1, stock = 3 });
        });
        site.MapGet("/api/price", () => Results.Json(new { price = 42.5 }));
    }

    private string Page(HttpContext http)
    {
        var origin = $"{http.Request.Scheme}://{http.Request.Host}";
        var config = string.Create(CultureInfo.InvariantCulture,
            $"{{ endpoint: \"{origin}\", app: \"{WaymarkServer.App}\", key: \"{WaymarkServer.Key}\", partner: \"{PartnerOrigin}\", unreachable: \"http://127.0.0.1:9/nothing\" }}");
        return $$"""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Product 42</title></head>
            <body>
              <h1>Product 42</h1>
              <p>A page of the shop, instrumented with the OpenTelemetry JS web SDK only.</p>
              <button id="buy" type="button">Buy</button>
              <button id="oops" type="button">Oops</button>
              <script>window.OTEL_CONFIG = {{config}};</script>
              <script src="/otel/otel-page.js"></script>
            </body>
            </html>
            """;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
