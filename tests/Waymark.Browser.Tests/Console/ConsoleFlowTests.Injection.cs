using System.Text.Json;
using Microsoft.Playwright;
using Waymark.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Waymark.Server.Tests.Infrastructure.Beacons;

namespace Waymark.Browser.Tests.ConsolePages;

public sealed partial class ConsoleFlowTests
{
    /// <summary>Markup that runs script wherever it is not escaped, tagged with the field it came in.</summary>
    private static string Hostile(string field) =>
        $"{field}<img src=x onerror=\"window.__owned='{field}'\">\"'><svg onload=\"window.__owned='{field}'\"></svg><script>window.__owned='{field}'</script>";

    /// <summary>
    /// Script planted in every event field the console shows (page name and URL,
    /// action name and element text, custom event names, property keys and
    /// values, error message and stack, request URL, conversion name, user
    /// tag) is shown as text on every page that shows it, and nothing runs,
    /// even with the CSP switched off in the browser: the escaping alone holds.
    /// </summary>
    [Fact]
    public async Task ScriptInEveryEventField_ShownAsTextOnEveryPage_NeverRuns_EvenWithoutTheCsp()
    {
        var tag = "<b>" + Guid.NewGuid().ToString("N")[..6] + "</b>";
        var now = DateTimeOffset.UtcNow;
        var action = Action("h2", now.AddSeconds(-50), Hostile("action"));
        action["target"] = Hostile("target");
        var custom = Custom("h3", now.AddSeconds(-45), Hostile("custom"));
        custom["props"] = new Dictionary<string, object> { ["k<img src=x onerror=alert(1)>"] = Hostile("propvalue") };
        var conversion = Conversion("h6", now.AddSeconds(-30), Hostile("conversion"));
        var sent = await site.Server.PostAsync(Batch("v-hostile", "s-hostile", [
            View("h1", now.AddSeconds(-60), Hostile("view"), url: "https://shop.example/p?q=javascript:alert(1)#<img src=x onerror=alert(1)>"),
            action,
            custom,
            Request("h4", now.AddSeconds(-40), "https://api.example/<img src=x onerror=\"window.__owned='request'\">", 500, 900),
            Error("h5", now.AddSeconds(-35), Hostile("error"), Hostile("stack"), action: "h2"),
            conversion,
        ], user: tag));
        var answer = await sent.Content.ReadAsStringAsync();
        Assert.True(sent.IsSuccessStatusCode, answer);
        Assert.DoesNotContain("\"rejected\":[{", answer.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var fingerprint = await Eventually.ValueAsync(async () =>
        {
            using var r = await site.Server.Client.GetAsync("/v1/experience/errors?app=shop&range=7d");
            var body = await r.Content.ReadAsStringAsync();
            return r.IsSuccessStatusCode && FirstString(JsonDocument.Parse(body).RootElement, "fingerprint") is { } fp ? fp : null;
        }, "the hostile error in the error groups");

        // The CSP would stop inline handlers on its own; switched off, only the escaping is left to prove.
        var context = await site.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 }, BypassCSP = true });
        var page = await context.NewPageAsync();
        var dialogs = 0;
        page.Dialog += async (_, d) => { Interlocked.Increment(ref dialogs); await d.DismissAsync(); };
        await site.SignInAsync(page, "/sessions/s-hostile?app=shop");

        var q = Uri.EscapeDataString("user:" + tag);
        var pages = new (string Path, string[] Shown)[]
        {
            ("/sessions/s-hostile?app=shop", ["view", "action", "target", "custom", "error", "stack", "conversion", tag]),
            ($"/?q={q}&app=shop", [tag]),
            ($"/customers?app=shop&user={Uri.EscapeDataString(tag)}", ["view", tag]),
            ("/experience/errors?app=shop&range=7d", ["error"]),
            ($"/experience/errors/{Uri.EscapeDataString(fingerprint)}?app=shop&range=7d", ["error"]),
            ("/experience/pages?app=shop&range=7d", ["view"]),
            ("/mining?app=shop&range=7d", ["view"]),
        };
        foreach (var (path, shown) in pages)
        {
            await page.GotoAsync(site.Url(path));
            await ConsoleSite.InteractiveAsync(page);
            foreach (var field in shown)
            {
                // The field is there, as the text it was sent as.
                try
                {
                    await Expect(page.Locator("body")).ToContainTextAsync(field == tag ? tag : field + "<img src=x onerror=", new() { Timeout = 30_000 });
                }
                catch (PlaywrightException e)
                {
                    throw new Xunit.Sdk.XunitException($"{path} does not show the {field} field as text: {e.Message}");
                }
            }
            Assert.Equal(0, await page.EvaluateAsync<int>("""
                () => [...document.querySelectorAll('*')].filter(el =>
                    [...el.attributes].some(a => a.name.startsWith('on') || (/^(href|src|action|formaction)$/.test(a.name) && /^\s*javascript:/i.test(a.value)))
                    || (el.tagName === 'IMG' && el.getAttribute('src') === 'x')
                    || (el.tagName === 'SCRIPT' && el.textContent.includes('__owned'))).length
                """));
            Assert.Null(await page.EvaluateAsync<string?>("window.__owned ?? null"));
        }
        Assert.Equal(0, dialogs);
        await ConsoleSite.ShotAsync(page, "console-12-hostile-fields");
        await context.CloseAsync();
    }

    private static string? FirstString(JsonElement e, string name)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    if (p.NameEquals(name) && p.Value.ValueKind == JsonValueKind.String)
                    {
                        return p.Value.GetString();
                    }
                    if (FirstString(p.Value, name) is { } inner)
                    {
                        return inner;
                    }
                }
                return null;
            case JsonValueKind.Array:
                return e.EnumerateArray().Select(x => FirstString(x, name)).FirstOrDefault(x => x is not null);
            default:
                return null;
        }
    }
}
