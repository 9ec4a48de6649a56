using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Waymark.Server.Accounts;
using Waymark.Server.Store;
using Waymark.Server.Tests.Infrastructure;

namespace Waymark.Server.Tests.Accounts;

/// <summary>API tokens: a scope narrows the role, an expired or revoked token is refused with the reason.</summary>
public sealed class TokenScopeTests : IAsyncLifetime
{
    private const string ExpiredConfigured = "expired-configured-token-0123456789";
    private WaymarkServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await WaymarkServer.StartAsync(new()
    {
        ["Waymark:Auth:Tokens:2:Name"] = "old",
        ["Waymark:Auth:Tokens:2:Token"] = ExpiredConfigured,
        ["Waymark:Auth:Tokens:2:Role"] = "admin",
        ["Waymark:Auth:Tokens:2:Expires"] = "2020-01-01T00:00:00Z",
    });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ReadScope_Reads_ButEveryWriteIs403WithTheReason()
    {
        using var read = Bearer(await CreateAsync("reader", "admin", "read"));
        Assert.Equal(HttpStatusCode.OK, (await read.GetAsync("/v1/sessions?app=shop&limit=1")).StatusCode);
        using var put = await read.PutAsJsonAsync("/v1/segments/safari?app=shop", new { query = "browser=Safari" });
        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Contains("scope is 'read'", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var token = await read.PostAsJsonAsync("/v1/admin/tokens", new { name = "escalate", role = "admin", scope = "admin" });
        Assert.Equal(HttpStatusCode.Forbidden, token.StatusCode);
    }

    [Fact]
    public async Task IngestAdminScope_EditsSegments_ButNotTheAdminEndpoints()
    {
        using var ingest = Bearer(await CreateAsync("pipeline", "admin", "ingest-admin"));
        using var put = await ingest.PutAsJsonAsync("/v1/segments/safari?app=shop", new { query = "browser=Safari" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        foreach (var path in new[] { "/v1/admin/audit", "/v1/admin/accounts", "/v1/admin/tokens", "/v1/customers/user:anna/export?app=shop" })
        {
            using var refused = await ingest.GetAsync(path);
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{path}: {(int)refused.StatusCode}");
            Assert.Contains("need a token with the scope admin", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AdminScope_IsBoundByItsRole()
    {
        using var op = Bearer(await CreateAsync("dashboard", "operator", "admin"));
        Assert.Equal(HttpStatusCode.OK, (await op.GetAsync("/v1/sessions?app=shop&limit=1")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.GetAsync("/v1/admin/audit")).StatusCode);
    }

    [Fact]
    public async Task ExpiredTokens_ConfiguredOrStored_Are401WithTheDate()
    {
        using var configured = Bearer(ExpiredConfigured);
        using var a = await configured.GetAsync("/v1/sessions?app=shop");
        Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode);
        Assert.Contains("expired at 2020-01-01", await a.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        const string Stored = "wm_stored-token-that-expired-yesterday";
        var store = _server.Application.Services.GetRequiredService<IAccountStore>();
        var now = DateTimeOffset.UtcNow;
        await store.AddTokenAsync(new StoredToken(AccountService.TokenHash(Stored), "yesterday", "admin", now.AddDays(-30), false, "admin", now.AddDays(-1)), CancellationToken.None);
        using var stored = Bearer(Stored);
        using var b = await stored.GetAsync("/v1/sessions?app=shop");
        Assert.Equal(HttpStatusCode.Unauthorized, b.StatusCode);
        Assert.Contains("expired at", await b.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokedToken_Is401_AndTheListNeverShowsTokenValues()
    {
        var value = await CreateAsync("temporary", "analyst", "read", expiresDays: 0);
        using var client = Bearer(value);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/me")).StatusCode);

        var listed = await _server.GetJsonAsync("/v1/admin/tokens");
        var entry = listed.EnumerateArray().Single(t => t.GetProperty("name").GetString() == "temporary");
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("expires").ValueKind);
        Assert.DoesNotContain(value, listed.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await _server.Client.DeleteAsync("/v1/admin/tokens/" + entry.GetProperty("id").GetString())).StatusCode);

        using var after = await client.GetAsync("/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("revoked", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewToken_BadScopeOrExpiry_Is400()
    {
        using var bad = await _server.Client.PostAsJsonAsync("/v1/admin/tokens", new { name = "x", role = "analyst", scope = "root" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var far = await _server.Client.PostAsJsonAsync("/v1/admin/tokens", new { name = "x", role = "analyst", expiresDays = 100_000 });
        Assert.Equal(HttpStatusCode.BadRequest, far.StatusCode);
        using var made = await _server.Client.PostAsJsonAsync("/v1/admin/tokens", new { name = "default", role = "analyst" });
        var body = JsonDocument.Parse(await made.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("read", body.GetProperty("scope").GetString());
        var expires = body.GetProperty("expires").GetDateTimeOffset();
        Assert.InRange(expires, DateTimeOffset.UtcNow.AddDays(89), DateTimeOffset.UtcNow.AddDays(91));
    }

    private async Task<string> CreateAsync(string name, string role, string scope, int? expiresDays = null)
    {
        using var response = await _server.Client.PostAsJsonAsync("/v1/admin/tokens", new { name, role, scope, expiresDays });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
    }

    private HttpClient Bearer(string token)
    {
        var client = new HttpClient { BaseAddress = _server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
