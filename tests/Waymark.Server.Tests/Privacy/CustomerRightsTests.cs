using System.Net;
using System.Text.Json;
using Waymark.Server.Tests.Infrastructure;
using static Waymark.Server.Tests.Infrastructure.Beacons;

namespace Waymark.Server.Tests.Privacy;

/// <summary>
/// A customer's data looked at, exported and erased through the API and the console, each act in the audit log that
/// only admins read.
/// </summary>
public sealed class CustomerRightsTests : IAsyncLifetime
{
    private WaymarkServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await WaymarkServer.StartAsync();
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.OK, (await _server.PostAsync(Batch("v-anna", "s-anna", [View("e1", now.AddMinutes(-3), "Dates"), Identify("e2", now.AddMinutes(-2), "anna")]))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.PostAsync(Batch("v-bob", "s-bob", [View("e3", now.AddMinutes(-3), "Dates"), Identify("e4", now.AddMinutes(-2), "bob")]))).StatusCode);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Viewed_Exported_Erased_AreAudited_WithWhoDidIt()
    {
        var me = (await _server.GetJsonAsync("/v1/me")).GetProperty("name").GetString();
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.GetAsync("/v1/customers?app=shop&user=anna")).StatusCode);
        // Looking again at once is the same view.
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.GetAsync("/v1/customers?app=shop&user=anna")).StatusCode);

        using var export = await _server.Client.GetAsync("/v1/customers/user:anna/export?app=shop");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var doc = await export.Content.ReadAsStringAsync();
        Assert.Contains("s-anna", doc, StringComparison.Ordinal);
        Assert.DoesNotContain("s-bob", doc, StringComparison.Ordinal);

        using var erase = await _server.Client.PostAsync("/v1/customers/user:anna/erase?app=shop", null);
        Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
        Assert.Contains("s-anna", await erase.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Client.GetAsync("/v1/customers?app=shop&user=anna")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Client.GetAsync("/v1/customers/user:anna/export?app=shop")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.GetAsync("/v1/customers?app=shop&user=bob")).StatusCode);

        var anna = (await _server.GetJsonAsync("/v1/admin/audit?customer=user:anna")).EnumerateArray().ToList();
        Assert.Equal(["erased", "exported", "viewed"], anna.Select(e => e.GetProperty("action").GetString()));
        Assert.All(anna, e => Assert.Equal(me, e.GetProperty("actor").GetString()));
        Assert.All(anna, e => Assert.Equal("shop", e.GetProperty("app").GetString()));
        Assert.Equal("api", anna[2].GetProperty("detail").GetString());
        Assert.Contains("events", anna[0].GetProperty("detail").GetString(), StringComparison.Ordinal);
        var everyone = (await _server.GetJsonAsync("/v1/admin/audit")).EnumerateArray().Select(e => e.GetProperty("customer").GetString()).ToList();
        Assert.Contains("user:bob", everyone);
    }

    [Fact]
    public async Task TheAuditLog_IsForAdminsOnly()
    {
        using var op = new HttpClient { BaseAddress = _server.BaseAddress };
        op.DefaultRequestHeaders.Authorization = new("Bearer", WaymarkServer.OperatorToken);
        Assert.Equal(HttpStatusCode.OK, (await op.GetAsync("/v1/customers?app=shop&user=bob")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.GetAsync("/v1/admin/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.PostAsync("/v1/customers/user:bob/erase?app=shop", null)).StatusCode);
        // The operator's look is audited all the same.
        var bob = (await _server.GetJsonAsync("/v1/admin/audit?customer=user:bob")).EnumerateArray().ToList();
        Assert.Single(bob);
        Assert.NotEqual((await _server.GetJsonAsync("/v1/me")).GetProperty("name").GetString(), bob[0].GetProperty("actor").GetString());
    }

    [Fact]
    public async Task ConsoleCustomerPage_IsAViewInTheLog_AndAdminsGetTheRightsCard()
    {
        using var browser = await SignedInAsync();
        var page = await browser.GetStringAsync("/customers?app=shop&user=anna");
        Assert.Contains("wm-rights", page, StringComparison.Ordinal);
        Assert.Contains("/v1/customers/user%3Aanna/export?app=shop", page, StringComparison.Ordinal);
        var audit = await browser.GetStringAsync("/admin/audit");
        Assert.Contains("data-action=\"viewed\"", audit, StringComparison.Ordinal);
        Assert.Contains("console", audit, StringComparison.Ordinal);
        var entries = (await _server.GetJsonAsync("/v1/admin/audit?customer=user:anna")).EnumerateArray().ToList();
        Assert.Contains(entries, e => e.GetProperty("actor").GetString() == "admin" && e.GetProperty("detail").GetString() == "console");
    }

    private async Task<HttpClient> SignedInAsync()
    {
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = _server.BaseAddress };
        using var signin = await SignInForm.PostAsync(browser, "admin", WaymarkServer.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, signin.StatusCode);
        return browser;
    }
}
