using Waymark.Server.Tests.Infrastructure;

namespace Waymark.Server.Tests.Privacy;

/// <summary>Every answer carries the security headers: the console, the API, the collectors, errors.</summary>
public sealed class SecurityHeaderTests : IAsyncLifetime
{
    private WaymarkServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await WaymarkServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("/signin")]
    [InlineData("/")]
    [InlineData("/v1/sessions")]
    [InlineData("/v1/no-such-route")]
    [InlineData("/health")]
    public async Task AnyResponse_CarriesTheSecurityHeaders(string path)
    {
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.BaseAddress };
        using var response = await anonymous.GetAsync(path);
        var csp = string.Join(",", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        // Plain HTTP: no HSTS (a browser would ignore it, and it must not pin a test host).
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task BehindAnHttpsProxy_HstsIsSent()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await _server.Client.SendAsync(request);
        Assert.StartsWith("max-age=", response.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInPage_HasNoInlineScript()
    {
        var html = await new HttpClient { BaseAddress = _server.BaseAddress }.GetStringAsync("/signin");
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(html, "<script[^>]*>", System.Text.RegularExpressions.RegexOptions.IgnoreCase))
        {
            Assert.Contains("src=", m.Value, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(" onclick=", html, StringComparison.OrdinalIgnoreCase);
    }
}
