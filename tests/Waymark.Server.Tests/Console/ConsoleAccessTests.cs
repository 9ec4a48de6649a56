using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Waymark.Server.Console.Data;
using Waymark.Server.Store;
using Waymark.Server.Tests.Infrastructure;
using static Waymark.Server.Tests.Infrastructure.Beacons;

namespace Waymark.Server.Tests.ConsolePages;

/// <summary>
/// The console over HTTP, as a browser without script would see it: who may
/// open which page, sign-in, the export for developers, and event data
/// rendered as text.
/// </summary>
public sealed class ConsoleAccessTests : IAsyncLifetime
{
    private WaymarkServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await WaymarkServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("/")]
    [InlineData("/?q=anna")]
    [InlineData("/overview")]
    [InlineData("/customers?app=shop&user=anna")]
    [InlineData("/sessions/s-1?app=shop")]
    [InlineData("/admin")]
    public async Task ConsolePage_WithoutSignIn_RedirectsToSignIn(string path)
    {
        using var browser = Browser();
        using var response = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith(_server.BaseAddress + "signin?ReturnUrl=", location, StringComparison.Ordinal);
        Assert.Equal(path, Uri.UnescapeDataString(location[(location.IndexOf('=', StringComparison.Ordinal) + 1)..]));
    }

    [Theory]
    [InlineData("/v1/sessions/s-1/export?app=shop")]
    [InlineData("/v1/sessions?app=shop")]
    public async Task Api_WithoutCredentials_Is401(string path)
    {
        using var browser = Browser();
        using var response = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SignInPage_Anonymous_IsAFormPostingToSignIn()
    {
        using var browser = Browser();
        var html = await browser.GetStringAsync("/signin?ReturnUrl=%2Foverview");
        Assert.Contains("action=\"/auth/signin\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"returnUrl\" value=\"/overview\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Wrong name or password", html, StringComparison.Ordinal);
        // The page's styles and scripts are served to a visitor who is not signed in yet.
        foreach (var asset in new[] { "_framework/blazor.web.js", "_content/MudBlazor/MudBlazor.min.css", "console/console.css" })
        {
            using var response = await browser.GetAsync("/" + asset);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task SignIn_WrongPassword_BackToTheFormSayingSo()
    {
        using var browser = Browser();
        using var response = await SignInAsync(browser, "admin", "not the password", "/overview");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith("/signin?failed=1", location, StringComparison.Ordinal);
        var html = await browser.GetStringAsync(location);
        Assert.Contains("Wrong name or password", html, StringComparison.Ordinal);
        using var still = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, still.StatusCode);
    }

    [Fact]
    public async Task Operator_SignedIn_FindsCustomers_ButAdminIsDenied()
    {
        await CreateAccountAsync("olga", "operator-pass-1", "operator");
        using var browser = Browser();
        using (var signin = await SignInAsync(browser, "olga", "operator-pass-1", "/"))
        {
            Assert.Equal(HttpStatusCode.Redirect, signin.StatusCode);
            Assert.Equal("/", signin.Headers.Location!.ToString());
        }
        var home = await browser.GetStringAsync("/");
        Assert.Contains("Find a customer", home, StringComparison.Ordinal);
        // No link to the admin page for an operator.
        Assert.DoesNotContain("href=\"/admin\"", home, StringComparison.Ordinal);

        using var admin = await browser.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, admin.StatusCode);
        Assert.StartsWith(_server.BaseAddress + "denied", admin.Headers.Location!.ToString(), StringComparison.Ordinal);
        using var api = await browser.GetAsync("/v1/admin/accounts");
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        var denied = await browser.GetStringAsync("/denied");
        Assert.Contains("Not allowed", denied, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_SignedIn_OpensAdmin_WithAccounts()
    {
        using var browser = Browser();
        using (await SignInAsync(browser, "admin", WaymarkServer.AdminPassword, "/admin"))
        {
        }
        using var response = await browser.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Create an account", html, StringComparison.Ordinal);
        Assert.Contains("Create token", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_EndsTheSignIn()
    {
        using var browser = Browser();
        using (await SignInAsync(browser, "admin", WaymarkServer.AdminPassword, "/"))
        {
        }
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
        using var signout = await browser.PostAsync("/auth/signout", null);
        Assert.Equal(HttpStatusCode.Redirect, signout.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Export_OneSession_JsonAttachmentWithEventsAndNotes()
    {
        var now = DateTimeOffset.UtcNow;
        var ok = await _server.PostAsync(Batch("v-export", "c-export", [
            View("e1", now.AddSeconds(-20), "Dates"),
            Action("e2", now.AddSeconds(-10), "Pick dates"),
            Error("e3", now.AddSeconds(-9), "TypeError: locale is undefined", "at weekStart (datepicker.js:2:18)", action: "e2"),
        ], user: "anna"));
        Assert.True(ok.IsSuccessStatusCode);
        var id = (await _server.SessionsAsync("app=shop&user=anna")).GetProperty("sessions")[0].GetProperty("id").GetString()!;
        var notes = _server.Application.Services.GetRequiredService<ISessionNotes>();
        await notes.AddNoteAsync(new SessionNote("n-1", "shop", id, "olga", "CASE-4711", "Customer could not pick dates; called at 14:02.", DateTimeOffset.UtcNow), CancellationToken.None);

        using var response = await _server.Client.GetAsync($"/v1/sessions/{id}/export?app=shop");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType ?? response.Headers.GetValues("Content-Disposition").First().Split(';')[0]);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(id, json.GetProperty("session").GetProperty("id").GetString());
        Assert.Equal(["view", "action", "error"], json.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        var error = json.GetProperty("events")[2];
        Assert.Equal("at weekStart (datepicker.js:2:18)", error.GetProperty("stack").GetString());
        Assert.Equal("e2", error.GetProperty("action").GetString());
        Assert.Equal("CASE-4711", json.GetProperty("notes")[0].GetProperty("reference").GetString());
        Assert.EndsWith($"/sessions/{id}?app=shop", json.GetProperty("link").GetString(), StringComparison.Ordinal);

        using var missing = await _server.Client.GetAsync("/v1/sessions/s-nope/export?app=shop");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task SessionPage_ErrorMessageWithMarkup_RenderedAsText()
    {
        var now = DateTimeOffset.UtcNow;
        const string Message = "<script>window.__owned = 1</script><img src=x onerror=alert(1)>";
        var ok = await _server.PostAsync(Batch("v-xss", "c-xss", [
            View("x1", now.AddSeconds(-20), "<b>Home</b>"),
            Action("x2", now.AddSeconds(-10), "<i>Click</i>"),
            Error("x3", now.AddSeconds(-9), Message, "<script>stack()</script>", action: "x2"),
        ], user: "<script>tag</script>"));
        Assert.True(ok.IsSuccessStatusCode);
        var id = (await _server.SessionsAsync("app=shop&visitor=v-xss")).GetProperty("sessions")[0].GetProperty("id").GetString()!;

        using var browser = Browser();
        using (await SignInAsync(browser, "admin", WaymarkServer.AdminPassword, "/"))
        {
        }
        var html = await browser.GetStringAsync($"/sessions/{id}?app=shop");
        Assert.Contains("&lt;script&gt;window.__owned = 1&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;stack()&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>window.__owned", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Home</b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>tag</script>", html, StringComparison.Ordinal);

        var found = await browser.GetStringAsync("/?q=" + Uri.EscapeDataString("<script>tag</script>"));
        Assert.DoesNotContain("<script>tag</script>", found, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;tag&lt;/script&gt;", found, StringComparison.Ordinal);
    }

    private HttpClient Browser() => new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
    {
        BaseAddress = _server.BaseAddress,
    };

    private static Task<HttpResponseMessage> SignInAsync(HttpClient browser, string user, string password, string returnUrl) =>
        SignInForm.PostAsync(browser, user, password, returnUrl);

    private async Task CreateAccountAsync(string user, string password, string role)
    {
        using var created = await _server.Client.PostAsync("/v1/admin/accounts",
            new StringContent(JsonSerializer.Serialize(new { username = user, password, role }), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }
}
