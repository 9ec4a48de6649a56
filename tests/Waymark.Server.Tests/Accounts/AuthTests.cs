using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Waymark.Server.Tests.Infrastructure;
using static Waymark.Server.Tests.Infrastructure.Beacons;

namespace Waymark.Server.Tests.Accounts;

/// <summary>Who may read what: the query API needs an account, the collectors need app keys only.</summary>
public sealed class AuthTests : IAsyncLifetime
{
    private WaymarkServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await WaymarkServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("/v1/sessions")]
    [InlineData("/v1/sessions/s-1")]
    [InlineData("/v1/users/u/sessions")]
    [InlineData("/v1/customers?app=shop&user=u")]
    [InlineData("/v1/admin/accounts")]
    public async Task Query_WithoutCredentials_Is401(string path)
    {
        using var anonymous = new HttpClient { BaseAddress = _server.BaseAddress };
        using var response = await anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Query_WithAWrongToken_Is401()
    {
        using var client = Client(new AuthenticationHeaderValue("Bearer", "not-a-token"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/sessions")).StatusCode);
    }

    [Fact]
    public async Task Operator_ReadsSessions_ButNotAdminPages()
    {
        using var client = Client(new AuthenticationHeaderValue("Bearer", WaymarkServer.OperatorToken));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/sessions")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/v1/admin/accounts")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/v1/admin/tokens", new StringContent("{\"name\":\"x\",\"role\":\"admin\"}", Encoding.UTF8, "application/json"))).StatusCode);
    }

    [Fact]
    public async Task Admin_CreatesAnOperator_WhoSignsInWithBasicCredentials()
    {
        var created = await _server.Client.PostAsync("/v1/admin/accounts",
            new StringContent("{\"username\":\"olga\",\"password\":\"operator-pass-1\",\"role\":\"operator\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var olga = Client(new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("olga:operator-pass-1"))));
        var me = await olga.GetStringAsync("/v1/me");
        Assert.Contains("\"operator\"", me, StringComparison.Ordinal);
        using var wrong = Client(new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("olga:guess"))));
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/v1/me")).StatusCode);
    }

    [Fact]
    public async Task SignInForm_SetsACookieThatOpensTheApi()
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true };
        using var browser = new HttpClient(handler) { BaseAddress = _server.BaseAddress };
        using var signIn = await SignInForm.PostAsync(browser, "admin", WaymarkServer.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/v1/sessions")).StatusCode);

        using var other = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.BaseAddress };
        using var refused = await SignInForm.PostAsync(other, "admin", "nope");
        Assert.Contains("failed=1", refused.Headers.Location?.ToString(), StringComparison.Ordinal);

        // A form posted from elsewhere (no antiforgery token) signs nobody in, even with the right password.
        using var forged = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.BaseAddress };
        using var posted = await forged.PostAsync("/auth/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "admin", ["password"] = WaymarkServer.AdminPassword, ["returnUrl"] = "/",
        }));
        Assert.Contains("failed=stale", posted.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/v1/sessions")).StatusCode);
        Assert.Contains("form had expired", await forged.GetStringAsync(posted.Headers.Location!.ToString()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Beacon_NeedsNoAccount()
    {
        using var anonymous = new HttpClient { BaseAddress = _server.BaseAddress };
        var json = System.Text.Json.JsonSerializer.Serialize(Batch("v-anon", "s-anon", [View("a1", DateTimeOffset.UtcNow.AddMinutes(-1))]));
        using var response = await anonymous.PostAsync("/v1/beacon", new StringContent(json, Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
    }

    private HttpClient Client(AuthenticationHeaderValue auth)
    {
        var c = new HttpClient { BaseAddress = _server.BaseAddress };
        c.DefaultRequestHeaders.Authorization = auth;
        return c;
    }
}
