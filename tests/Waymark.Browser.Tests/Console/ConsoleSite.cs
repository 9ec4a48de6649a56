using System.Text.Json;
using Microsoft.Playwright;
using Waymark.Browser.Tests.Infrastructure;
using Waymark.Demo;
using Waymark.Server.Tests.Infrastructure;

namespace Waymark.Browser.Tests.ConsolePages;

/// <summary>
/// The console against the demo data, once per test class: the real server
/// in-process with a day of Horizon Travel loaded through the real pipeline,
/// and Debian's Chromium. Screenshots go to TestResults/screenshots beside
/// the test binaries, their paths to the test output.
/// </summary>
public class ConsoleSite : IAsyncLifetime
{
    public const string App = "horizon";
    public const string IngestKey = "horizon-key";

    private IPlaywright? _playwright;

    public WaymarkServer Server { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public static string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ShopSite.ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium is not at {ShopSite.ChromiumPath}: run scripts/setup.sh test (it installs Debian's chromium).");
        }
        Server = await WaymarkServer.StartAsync(Settings());
        if (Settings().GetValueOrDefault("Waymark:Demo:Enabled") == "true")
        {
            var loader = (DemoLoader)Server.Application.Services.GetService(typeof(DemoLoader))!;
            await loader.Loaded.WaitAsync(TimeSpan.FromMinutes(4));
        }
        _playwright = await PlaywrightSetup.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ShopSite.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(Screenshots);
    }

    /// <summary>The server's settings: a day of Horizon Travel demo data.</summary>
    protected virtual Dictionary<string, string?> Settings() => new()
    {
        ["Waymark:Demo:Enabled"] = "true",
        ["Waymark:Demo:Days"] = "1",
        ["Waymark:Demo:Scale"] = "0.3",
        ["Waymark:Apps:2:Id"] = App,
        ["Waymark:Apps:2:Name"] = "Horizon Travel",
        ["Waymark:Apps:2:IngestKey"] = IngestKey,
        ["Waymark:Apps:2:FirstPartyHosts:0"] = "www.horizon-travel.example",
        ["Waymark:Apps:2:FirstPartyHosts:1"] = "api.horizon-travel.example",
    };

    public string Url(string path) => new Uri(Server.BaseAddress, path).ToString();

    /// <summary>A fresh browser context at laptop size (1440×900).</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 }, AcceptDownloads = true });
        return await context.NewPageAsync();
    }

    /// <summary>Signs in on the sign-in page as a person would; ends on the page signed in to.</summary>
    public async Task SignInAsync(IPage page, string returnPath = "/", string user = "admin", string? password = null)
    {
        await page.GotoAsync(Url(returnPath));
        await page.WaitForURLAsync(u => u.Contains("/signin", StringComparison.Ordinal));
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", password ?? WaymarkServer.AdminPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(u => !u.Contains("/signin", StringComparison.Ordinal));
        await InteractiveAsync(page);
    }

    /// <summary>Waits until the page's circuit is up (what a person types before that is not lost, but a test would race it).</summary>
    public static Task InteractiveAsync(IPage page) =>
        page.WaitForSelectorAsync("#wm-interactive", new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });

    /// <summary>Saves a full-page screenshot and says where.</summary>
    public static async Task<string> ShotAsync(IPage page, string name, bool fullPage = true)
    {
        var path = Path.Combine(Screenshots, name + ".png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = fullPage });
        TestContext.Current.TestOutputHelper?.WriteLine("screenshot: " + path);
        System.Console.WriteLine("screenshot: " + path);
        return path;
    }

    /// <summary>
    /// A customer the demo's date-picker bug hit: a frustrated web session
    /// that ended on "Date selection" with an error, preferably of a signed-in
    /// customer (found by user tag); else one found by visitor.
    /// </summary>
    public async Task<(string Session, string Search)> DatePickerVictimAsync()
    {
        var list = await Server.SessionsAsync($"app={App}&hasErrors=true&experience=frustrated&channel=web&limit=1000");
        var candidates = list.GetProperty("sessions").EnumerateArray()
            .Where(s => s.GetProperty("exitPage").GetString() == "Date selection")
            .OrderBy(s => s.GetProperty("userTag").ValueKind == JsonValueKind.Null ? 1 : 0)
            .ToList();
        foreach (var s in candidates)
        {
            var id = s.GetProperty("id").GetString()!;
            var timeline = await Server.GetJsonAsync($"/v1/sessions/{id}?app={App}");
            var hit = timeline.GetProperty("events").EnumerateArray().Any(e =>
                e.GetProperty("type").GetString() == "error" &&
                e.GetProperty("message").GetString()!.Contains("firstDayOfWeek", StringComparison.Ordinal));
            if (hit)
            {
                var tag = s.GetProperty("userTag").GetString();
                return (id, tag ?? "visitor:" + s.GetProperty("visitor").GetString());
            }
        }
        throw new InvalidOperationException("The demo data has no date-picker victim.");
    }

    public virtual async ValueTask DisposeAsync()
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
