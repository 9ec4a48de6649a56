using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using Waymark.Server.Tests.Infrastructure;

namespace Waymark.Browser.Tests.Infrastructure;

/// <summary>
/// What a browser test needs, once per test class: the real Waymark server
/// (in-process, temp DuckDB) that also serves the test shop under /site/ and
/// the agent at /agent/v1/waymark.js, a partner API on a second origin, and
/// Debian's Chromium driven by Playwright. Tests open a fresh context each.
/// </summary>
public sealed partial class ShopSite : IAsyncLifetime
{
    /// <summary>Debian's Chromium (scripts/setup.sh test installs it); WAYMARK_CHROMIUM overrides.</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("WAYMARK_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    /// <summary>The agent's flushInterval on the test pages unless a page asks for another (?flush=ms).</summary>
    public const int FlushInterval = 250;

    private static readonly string s_siteDir = Path.Combine(AppContext.BaseDirectory, "Site");
    private string _folder = "";
    private IPlaywright? _playwright;

    public WaymarkServer Server { get; private set; } = null!;
    public PartnerSite Partner { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public BeaconLog Beacons { get; } = new();

    /// <summary>The shop's origin: the Waymark server's own (http://127.0.0.1:port).</summary>
    public string Origin { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium is not at {ChromiumPath}: run scripts/setup.sh test (it installs Debian's chromium).");
        }
        Server = await StartServerAsync();
        Partner = await PartnerSite.StartAsync(Origin);
        _playwright = await PlaywrightSetup.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                // The partner's second origin: another host name for the loopback address.
                $"--host-resolver-rules=MAP {PartnerSite.Host} 127.0.0.1",
            ],
        });
    }

    /// <summary>
    /// The shop's origin must be in the app's AllowedOrigins before the server
    /// starts, so the port is chosen first (and chosen again if it was taken meanwhile).
    /// </summary>
    private async Task<WaymarkServer> StartServerAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            Origin = $"http://127.0.0.1:{port}";
            _folder = Directory.CreateTempSubdirectory("waymark-browser-").FullName;
            try
            {
                return await WaymarkServer.StartAsync(new()
                {
                    ["urls"] = Origin,
                    ["Waymark:Apps:0:AllowedOrigins:0"] = Origin,
                    ["Waymark:Agent:BundlePath"] = AgentBundlePath,
                    // So a paused store soon answers 503 (DeliveryTests), and asks for a short wait.
                    ["Waymark:Store:MaxPendingEvents"] = "1000",
                    ["Waymark:Store:RetryAfterSeconds"] = "1",
                    // The pages flush every 250 ms: an absence deadline need not wait longer for a late event (InterventionTests).
                    ["Waymark:Rules:DeadlineGrace"] = "00:00:00.500",
                }, _folder, Map);
            }
            catch (IOException) when (attempt < 3)
            {
                Directory.Delete(_folder, recursive: true);
            }
        }
    }

    /// <summary>The test sites' own Content-Security-Policy (Waymark's strict one is for its console).</summary>
    public const string SitePolicy = "default-src * data: blob: 'unsafe-inline'";

    public static string AgentBundlePath => Path.Combine(Repo.Root, "agent", "dist", "waymark.js");

    private void Map(WebApplication app)
    {
        app.Use(Beacons.RecordAsync);
        // The shop is public, as the pages of a site with the agent are (the query API needs a token).
        app.MapGet("/site/{**path}", ServeAsync).AllowAnonymous();
    }

    /// <summary>
    /// The shop's pages: /site/{name} is Site/{name}.html with the agent's
    /// snippet put in (none with ?agent=0); /site/app/... is the SPA's page.
    /// </summary>
    private async Task<IResult> ServeAsync(HttpContext http, string? path)
    {
        path = string.IsNullOrEmpty(path) ? "home" : path;
        var file = path == "app" || path.StartsWith("app/", StringComparison.Ordinal) ? "app.html"
            : PageName().IsMatch(path) ? path + ".html"
            : AssetName().IsMatch(path) ? path
            : null;
        var full = file is null ? null : Path.Combine(s_siteDir, file);
        if (full is null || !File.Exists(full))
        {
            return Results.NotFound();
        }
        http.Response.Headers.CacheControl = "no-cache";
        // The shop's own policy, as a customer's site has one: its pages use inline scripts.
        http.Response.Headers.ContentSecurityPolicy = SitePolicy;
        if (!file!.EndsWith(".html", StringComparison.Ordinal))
        {
            return Results.File(full, file.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8");
        }
        var q = http.Request.Query;
        var flush = int.TryParse(q["flush"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var f) ? f : FlushInterval;
        var head = $"<script>window.PARTNER = \"{Partner.Origin}\"; window.PARTNER_DOWN = \"{Partner.DownOrigin}\";</script>\n";
        if (q["agent"] != "0")
        {
            head += (await File.ReadAllTextAsync(Path.Combine(s_siteDir, "_snippet.html"))).Replace("{{flush}}", flush.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
        var html = (await File.ReadAllTextAsync(full)).Replace("<!-- waymark -->", head, StringComparison.Ordinal);
        return Results.Content(html, "text/html; charset=utf-8");
    }

    [GeneratedRegex("^[a-z-]+$")]
    private static partial Regex PageName();

    [GeneratedRegex(@"^[a-z-]+\.(js|css)$")]
    private static partial Regex AssetName();

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (Partner is not null)
        {
            await Partner.DisposeAsync();
        }
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left to the OS's temp cleanup.
        }
    }
}
