using System.Net;
using System.Net.Http.Headers;
using Waymark.Server.Tests.Infrastructure;

namespace Waymark.Server.Tests.Agent;

public sealed class AgentBundleTests : IAsyncLifetime
{
    private WaymarkServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await WaymarkServer.StartAsync(new()
    {
        ["Waymark:Agent:BundlePath"] = Path.Combine(Repo.Root, "agent", "dist", "waymark.js"),
    });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GetAgent_ServesTheBuiltBundleGzippedWithCachingAndEtag()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/agent/v1/waymark.js");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var response = await _server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        Assert.True(response.Headers.CacheControl?.Public);
        Assert.True(response.Headers.CacheControl?.MaxAge >= TimeSpan.FromMinutes(1));
        var gzipped = await response.Content.ReadAsByteArrayAsync();
        var built = await File.ReadAllBytesAsync(Path.Combine(Repo.Root, "agent", "dist", "waymark.js"));
        Assert.True(gzipped.Length < built.Length / 2, "the bundle is sent compressed");
        // The agent's own budget: 8 KB gzipped.
        Assert.True(gzipped.Length <= 8192, $"{gzipped.Length} bytes gzipped");

        using var again = new HttpRequestMessage(HttpMethod.Get, "/agent/v1/waymark.js");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var notModified = await _server.Client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task GetSnippet_NamesThisServerTheAppAndItsKey()
    {
        var snippet = await _server.Client.GetStringAsync("/agent/v1/snippet?app=shop");
        Assert.Contains(_server.BaseAddress.ToString().TrimEnd('/') + "/agent/v1/waymark.js", snippet, StringComparison.Ordinal);
        Assert.Contains("\"shop-key\"", snippet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostBeacon_RefusedFromABrowser_AnswerIsStillReadableWithRetryAfterExposed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/beacon") { Content = new StringContent("{", System.Text.Encoding.UTF8, "text/plain") };
        request.Headers.Add("Origin", WaymarkServer.Origin);
        using var response = await _server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(WaymarkServer.Origin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("Retry-After", response.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.Ordinal);
    }
}
