using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Waymark.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Waymark.Server.Tests.Infrastructure.Beacons;

namespace Waymark.Browser.Tests.ConsolePages;

/// <summary>
/// What an operator does in the console, in Chromium, against the demo day:
/// the customer who could not book is found, the broken step shown with the
/// error and its stack, the session handed to IT; and the live list of who
/// is on the site right now.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ConsoleFlowTests(ConsoleSite site) : IClassFixture<ConsoleSite>
{
    [Fact]
    public async Task DatePickerVictim_FoundByUserTag_BrokenStepWithStack_ExportedForDevelopers()
    {
        var (sessionId, search) = await site.DatePickerVictimAsync();
        var page = await site.NewPageAsync();

        // Sign in: the console sends a visitor without an account to the sign-in page first.
        await site.SignInAsync(page);
        Assert.Equal(site.Url("/"), page.Url);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Find a customer");
        // The search box has the focus on load: the operator types at once.
        Assert.Equal("wm-search", await page.EvaluateAsync<string>("document.activeElement && document.activeElement.id"));
        await ConsoleSite.ShotAsync(page, "console-1-signed-in");

        // Find the customer by the user tag they give on the phone; Enter searches.
        await page.Keyboard.TypeAsync(search);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(u => u.Contains("q=", StringComparison.Ordinal));
        var row = page.Locator($"#wm-results tr[data-session='{sessionId}']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(row).ToHaveAttributeAsync("data-experience", "frustrated");
        await Expect(row).ToContainTextAsync("Date selection");
        if (!search.StartsWith("visitor:", StringComparison.Ordinal))
        {
            await Expect(page.Locator("#wm-customer")).ToContainTextAsync(search);
        }
        // The link is shareable: the search is in the URL.
        Assert.Contains("q=" + Uri.EscapeDataString(search), page.Url, StringComparison.Ordinal);
        await ConsoleSite.ShotAsync(page, "console-2-customer-found");

        // Open the failing session.
        await row.Locator("a").First.ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("/sessions/" + sessionId, StringComparison.Ordinal));
        await ConsoleSite.InteractiveAsync(page);

        // The error, with its stack, in the broken booking step: the date page's "Pick dates".
        var step = page.Locator("section.wm-page-step.broken[data-page='Date selection']").Last;
        await Expect(step).ToBeVisibleAsync();
        var broken = step.Locator(".wm-action.broken").Filter(new() { Has = page.Locator(".wm-error") }).First;
        await Expect(broken).ToHaveAttributeAsync("data-action", new Regex("Pick dates|Apply", RegexOptions.IgnoreCase));
        await Expect(broken.Locator(".wm-error .msg").First).ToContainTextAsync("locale.firstDayOfWeek");
        await Expect(broken.Locator("pre.wm-stack").First).ToContainTextAsync("datepicker");
        await Expect(page.Locator("#wm-errors")).ToContainTextAsync("broke");
        // What the operator sees: the broken step, its error and stack, on screen.
        await broken.EvaluateAsync("el => el.closest('section').scrollIntoView({ block: 'start' })");
        await page.EvaluateAsync("window.scrollBy(0, -60)");
        await ConsoleSite.ShotAsync(page, "console-3-broken-step", fullPage: false);

        // For developers: the whole session as a JSON file.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#wm-export"));
        var file = Path.Combine(ConsoleSite.Screenshots, download.SuggestedFilename);
        await download.SaveAsAsync(file);
        Assert.Equal($"waymark-session-{sessionId}.json", download.SuggestedFilename);
        var json = JsonDocument.Parse(await File.ReadAllTextAsync(file)).RootElement;
        Assert.Equal(sessionId, json.GetProperty("session").GetProperty("id").GetString());
        Assert.Contains(json.GetProperty("events").EnumerateArray(), e =>
            e.GetProperty("type").GetString() == "error" &&
            e.GetProperty("message").GetString()!.Contains("firstDayOfWeek", StringComparison.Ordinal) &&
            e.GetProperty("stack").GetString()!.Contains("datepicker", StringComparison.Ordinal));
        TestContext.Current.TestOutputHelper?.WriteLine("export: " + file);
        // The page stays as it was (the download does not navigate away).
        Assert.Contains("/sessions/" + sessionId, page.Url, StringComparison.Ordinal);
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await ConsoleSite.ShotAsync(page, "console-4-exported");
    }

    [Fact]
    public async Task ActiveNow_NewVisitorSendsBeacons_ListChangesWithoutReload()
    {
        var page = await site.NewPageAsync();
        await site.SignInAsync(page, $"/?app={ConsoleSite.App}&active=1");
        await Expect(page.Locator(".wm-live").First).ToBeVisibleAsync();
        await page.EvaluateAsync("window.__sameDocument = true");
        var tag = "live-" + Guid.NewGuid().ToString("N")[..8];
        var visitor = "v-" + tag;
        var row = page.Locator("#wm-results tr").Filter(new() { HasText = tag });
        await Expect(row).ToHaveCountAsync(0);
        await ConsoleSite.ShotAsync(page, "console-5-active-now-before");

        // A new visitor arrives on the site.
        var now = DateTimeOffset.UtcNow;
        var sent = await site.Server.PostAsync(Batch(visitor, "c-" + tag, [View("l1", now, "Home"), Action("l2", now.AddSeconds(1), "Search")],
            app: ConsoleSite.App, key: ConsoleSite.IngestKey, user: tag));
        Assert.True(sent.IsSuccessStatusCode, await sent.Content.ReadAsStringAsync());
        await Expect(row).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        await Expect(row).ToHaveClassAsync(new Regex("wm-active"));
        await Expect(row).ToContainTextAsync("active");
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "the list changed in place, without a reload");
        await ConsoleSite.ShotAsync(page, "console-6-active-now-new-visitor");

        // They leave: the app ends the session, and they drop off the list.
        var ended = await site.Server.PostAsync(Batch(visitor, "c-" + tag, [new Dictionary<string, object?> { ["id"] = "l3", ["type"] = "session_end", ["ts"] = Ms(now.AddSeconds(2)) }],
            app: ConsoleSite.App, key: ConsoleSite.IngestKey, user: tag));
        Assert.True(ended.IsSuccessStatusCode, await ended.Content.ReadAsStringAsync());
        await Expect(row).ToHaveCountAsync(0, new() { Timeout = 60_000 });
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"));
        await ConsoleSite.ShotAsync(page, "console-7-active-now-left");
    }

    [Fact]
    public async Task Overview_DemoDay_ChartsAndTopErrorsWithTheDatePickerBug()
    {
        var page = await site.NewPageAsync();
        await site.SignInAsync(page, $"/overview?app={ConsoleSite.App}");
        await Expect(page.Locator("#wm-top-errors")).ToContainTextAsync("firstDayOfWeek");
        await Expect(page.Locator("#wm-third-parties")).ToContainTextAsync("availability.partner-api.example");
        await Expect(page.Locator("#wm-channels")).ToContainTextAsync("Contact centre");
        // Plotly drew the charts (an SVG per chart).
        await Expect(page.Locator(".wm-chart .main-svg").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await ConsoleSite.ShotAsync(page, "console-8-overview");
    }

    [Fact]
    public async Task Operator_OpensAdmin_IsTurnedAway()
    {
        var created = await site.Server.Client.PostAsync("/v1/admin/accounts", new StringContent(
            """{"username":"olga","password":"operator-pass-1","role":"operator"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.True(created.IsSuccessStatusCode || created.StatusCode == System.Net.HttpStatusCode.Conflict);
        var page = await site.NewPageAsync();
        await site.SignInAsync(page, "/", "olga", "operator-pass-1");
        await Expect(page.Locator("nav.wm-nav")).Not.ToContainTextAsync("Admin");
        await page.GotoAsync(site.Url("/admin"));
        await page.WaitForURLAsync(u => u.Contains("/denied", StringComparison.Ordinal));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Not allowed");
        await ConsoleSite.ShotAsync(page, "console-9-operator-denied");
    }

    [Fact]
    public async Task Admin_CreatesAnAccountAndAToken_InTheConsole()
    {
        var page = await site.NewPageAsync();
        await site.SignInAsync(page, "/admin");
        var name = "ana-" + Guid.NewGuid().ToString("N")[..6];
        await page.FillAsync("#wm-new-user", name);
        await page.FillAsync("#wm-new-password", "analyst-pass-1");
        await page.ClickAsync("#wm-create-account");
        await Expect(page.Locator("#wm-accounts")).ToContainTextAsync(name);
        await page.FillAsync("#wm-token-name", "nightly export");
        await page.ClickAsync("#wm-create-token");
        var token = (await page.Locator("#wm-token").TextContentAsync())!.Trim();
        Assert.StartsWith("wm_", token, StringComparison.Ordinal);
        await ConsoleSite.ShotAsync(page, "console-10-admin");

        // The new token reads the API; the new account signs in.
        using var api = new HttpClient { BaseAddress = site.Server.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await api.GetAsync($"/v1/sessions?app={ConsoleSite.App}&limit=1")).StatusCode);
        var other = await site.NewPageAsync();
        await site.SignInAsync(other, "/", name, "analyst-pass-1");
        await Expect(other.Locator(".wm-user")).ToContainTextAsync("operator");
    }

    [Fact]
    public async Task ErrorMessageWithScript_ShownAsText_NotRun()
    {
        const string Message = "<script>window.__owned = true</script><img src=x onerror=\"window.__owned = true\">";
        var tag = "xss-" + Guid.NewGuid().ToString("N")[..6];
        var now = DateTimeOffset.UtcNow;
        var sent = await site.Server.PostAsync(Batch("v-" + tag, "c-" + tag, [
            View("x1", now.AddSeconds(-5), "<b>Checkout</b>"),
            Action("x2", now.AddSeconds(-3), "Pay"),
            Error("x3", now.AddSeconds(-2), Message, "<script>window.__owned = true</script>", action: "x2"),
        ], app: ConsoleSite.App, key: ConsoleSite.IngestKey, user: tag));
        Assert.True(sent.IsSuccessStatusCode, await sent.Content.ReadAsStringAsync());
        var id = (await site.Server.SessionsAsync($"app={ConsoleSite.App}&user={tag}")).GetProperty("sessions")[0].GetProperty("id").GetString()!;

        var page = await site.NewPageAsync();
        await site.SignInAsync(page, $"/sessions/{id}?app={ConsoleSite.App}");
        var error = page.Locator(".wm-action .wm-error .msg").First;
        await Expect(error).ToHaveTextAsync(Message);
        await Expect(page.Locator(".wm-action pre.wm-stack").First).ToHaveTextAsync("<script>window.__owned = true</script>");
        await Expect(page.Locator("section.wm-page-step h3").First).ToHaveTextAsync("<b>Checkout</b>");
        Assert.Equal(0, await page.Locator(".wm-error img, section.wm-page-step b").CountAsync());
        Assert.False(await page.EvaluateAsync<bool>("window.__owned === true"), "event data never runs as script");
        await ConsoleSite.ShotAsync(page, "console-11-escaped");
    }

    [Fact]
    public async Task Console_UnderTheContentSecurityPolicy_RunsWithoutAViolation()
    {
        var page = await site.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                lock (violations)
                {
                    violations.Add(m.Text);
                }
            }
        };
        // Signing in waits for the circuit: Blazor's script, its WebSocket and the console's own script all ran.
        await site.SignInAsync(page, "/overview");
        await page.GotoAsync(site.Url("/"));
        await ConsoleSite.InteractiveAsync(page);
        Assert.Contains("script-src 'self'", (await page.EvaluateAsync<string>("fetch('/').then(r => r.headers.get('content-security-policy'))")) ?? "", StringComparison.Ordinal);
        lock (violations)
        {
            Assert.Empty(violations);
        }
    }
}
