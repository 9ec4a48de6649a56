using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Waymark.Server.Accounts;
using Waymark.Server.Tests.Infrastructure;

namespace Waymark.Server.Tests.Accounts;

/// <summary>
/// The second factor through the console's forms, as a browser without script
/// posts them: set up at /account with a first code, asked for after the
/// password, a code used once only, wrong codes locking like wrong passwords,
/// no way round it with Basic, an admin's reset, and admins made to set one up.
/// </summary>
public sealed partial class SecondFactorTests
{
    [Fact]
    public async Task SetUp_ThenSignIn_AsksForTheCode_OnceOnly_AndBasicIsRefused()
    {
        await using var server = await WaymarkServer.StartAsync();
        await CreateAccountAsync(server, "dana", "dana-password-1", Roles.Analyst);
        using var browser = Browser(server);
        Assert.Equal("/", (await SignInForm.PostAsync(browser, "dana", "dana-password-1")).Headers.Location!.ToString());

        var (secret, step) = await SetUpAsync(browser);
        Assert.Contains("wm-totp-state", await browser.GetStringAsync("/account?enabled=1"), StringComparison.Ordinal);
        await browser.PostAsync("/auth/signout", null);

        // The password alone now leads to the code step, not into the console.
        using var fresh = Browser(server);
        var codeStep = (await SignInForm.PostAsync(fresh, "dana", "dana-password-1", "/overview")).Headers.Location!.ToString();
        Assert.StartsWith("/signin?step=code&ticket=", codeStep, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await fresh.GetAsync("/overview")).StatusCode);

        // The code used to set it up is spent; a wrong one is refused; the next one lets her in.
        Assert.Contains("failed=code", (await CodeAsync(fresh, codeStep, Totp.Code(Totp.FromBase32(secret)!, step))).Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Contains("failed=code", (await CodeAsync(fresh, codeStep, "000000")).Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal("/overview", (await CodeAsync(fresh, codeStep, Totp.Code(Totp.FromBase32(secret)!, step + 1))).Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/overview")).StatusCode);

        // A made-up ticket is no way past the password.
        Assert.Contains("failed=stale", (await CodeAsync(fresh, "/signin?step=code&ticket=forged", "123456")).Headers.Location!.ToString(), StringComparison.Ordinal);

        // Basic credentials cannot carry the code: refused with the reason, the right password too.
        using var basic = new HttpClient { BaseAddress = server.BaseAddress };
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("dana:dana-password-1")));
        using var refused = await basic.GetAsync("/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("second factor", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // An admin resets it for someone who lost the phone: the password alone works again.
        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.DeleteAsync("/v1/admin/accounts/dana/totp")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.DeleteAsync("/v1/admin/accounts/dana/totp")).StatusCode);
        using var after = Browser(server);
        Assert.Equal("/", (await SignInForm.PostAsync(after, "dana", "dana-password-1")).Headers.Location!.ToString());
    }

    [Fact]
    public async Task WrongCodes_LockTheAccount_LikeWrongPasswords()
    {
        await using var server = await WaymarkServer.StartAsync(new()
        {
            ["Waymark:Auth:Throttle:MaxFailuresPerAccount"] = "3",
            ["Waymark:Auth:Throttle:MaxFailuresPerAddress"] = "1000",
        });
        await CreateAccountAsync(server, "erik", "erik-password-1", Roles.Operator);
        using var browser = Browser(server);
        await SignInForm.PostAsync(browser, "erik", "erik-password-1");
        await SetUpAsync(browser);

        using var guesser = Browser(server);
        var codeStep = (await SignInForm.PostAsync(guesser, "erik", "erik-password-1")).Headers.Location!.ToString();
        var statuses = new List<HttpStatusCode>();
        foreach (var guess in (string[])["111111", "222222", "333333", "444444"])
        {
            statuses.Add((await CodeAsync(guesser, codeStep, guess)).StatusCode);
        }
        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task RequiredForAdmins_AnAdminWithoutOne_OpensNothingButTheSetUp()
    {
        await using var server = await WaymarkServer.StartAsync(new() { ["Waymark:Auth:RequireTotpForAdmins"] = "true" });
        using var browser = Browser(server);
        Assert.Equal("/account?required=1", (await SignInForm.PostAsync(browser, "admin", WaymarkServer.AdminPassword, "/admin")).Headers.Location!.ToString());
        Assert.Contains("Admins must sign in with a second factor", await browser.GetStringAsync("/account?required=1"), StringComparison.Ordinal);
        using (var page = await browser.GetAsync("/admin"))
        {
            Assert.Equal("/account?required=1", page.Headers.Location!.ToString());
        }
        using (var api = await browser.GetAsync("/v1/sessions?app=shop"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
            Assert.Contains("set one up at /account", await api.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        // Basic for an admin is refused even before one is set up.
        using var basic = new HttpClient { BaseAddress = server.BaseAddress };
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + WaymarkServer.AdminPassword)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await basic.GetAsync("/v1/me")).StatusCode);

        await SetUpAsync(browser);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin")).StatusCode);
        // It may not be turned off while admins must have it.
        using var off = await SignInForm.SubmitAsync(browser, "/account", "/auth/totp/remove", new() { ["code"] = "000000" });
        Assert.Equal("/account?failed=required", off.Headers.Location!.ToString());
    }

    /// <summary>Sets up a second factor for the signed-in browser; the secret and the step whose code confirmed it.</summary>
    private static async Task<(string Secret, long Step)> SetUpAsync(HttpClient browser)
    {
        using (var begin = await SignInForm.SubmitAsync(browser, "/account", "/auth/totp/begin", []))
        {
            Assert.Equal("/account?setup=1", begin.Headers.Location!.ToString());
        }
        var page = await browser.GetStringAsync("/account?setup=1");
        var secret = SecretShown().Match(page).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal);
        Assert.Equal(32, secret.Length);
        Assert.Contains("otpauth://totp/Waymark:", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        using (var wrong = await SignInForm.SubmitAsync(browser, "/account?setup=1", "/auth/totp/confirm", new() { ["code"] = "12345x" }))
        {
            Assert.Equal("/account?setup=1&failed=code", wrong.Headers.Location!.ToString());
        }
        var step = Totp.StepOf(DateTimeOffset.UtcNow);
        using (var confirm = await SignInForm.SubmitAsync(browser, "/account?setup=1", "/auth/totp/confirm", new() { ["code"] = Totp.Code(Totp.FromBase32(secret)!, step) }))
        {
            Assert.Equal("/account?enabled=1", confirm.Headers.Location!.ToString());
        }
        return (secret, step);
    }

    private static Task<HttpResponseMessage> CodeAsync(HttpClient browser, string codeStep, string code)
    {
        var ticket = Uri.UnescapeDataString(Regex.Match(codeStep, "ticket=([^&]+)").Groups[1].Value);
        return SignInForm.SubmitAsync(browser, codeStep, "/auth/signin", new() { ["ticket"] = ticket, ["code"] = code, ["returnUrl"] = ReturnOf(codeStep) });
    }

    private static string ReturnOf(string codeStep) =>
        Regex.Match(codeStep, "ReturnUrl=([^&]+)") is { Success: true } m ? Uri.UnescapeDataString(m.Groups[1].Value) : "/";

    private static async Task CreateAccountAsync(WaymarkServer server, string name, string password, string role)
    {
        using var created = await server.Client.PostAsJsonAsync("/v1/admin/accounts", new { username = name, password, role });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    private static HttpClient Browser(WaymarkServer server) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };

    [GeneratedRegex("id=\"wm-totp-secret\">([A-Z2-7 ]+)<")]
    private static partial Regex SecretShown();
}
