using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Waymark.Server.Hosting;

namespace Waymark.Browser.Tests.Infrastructure;

/// <summary>
/// A partner's API on a second local origin, standing in for a third party:
/// its own Kestrel on 127.0.0.1:0, reached by the browser as partner.test
/// (a host resolver rule), so its host differs from the shop's. CORS lets
/// the shop's pages read its answers.
/// </summary>
public sealed class PartnerSite : IAsyncDisposable
{
    /// <summary>How long the offers endpoint takes to answer.</summary>
    public static readonly TimeSpan OffersDelay = TimeSpan.FromMilliseconds(1500);

    public const string Host = "partner.test";

    private readonly WebApplication _app;

    private PartnerSite(WebApplication app, string origin, string downOrigin)
    {
        _app = app;
        Origin = origin;
        DownOrigin = downOrigin;
    }

    /// <summary>The partner's origin as the browser sees it (http://partner.test:port).</summary>
    public string Origin { get; }

    /// <summary>A port of the partner's host where nothing listens: a connection error.</summary>
    public string DownOrigin { get; }

    public static async Task<PartnerSite> StartAsync(string siteOrigin)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.WithOrigins(siteOrigin)));
        var app = builder.Build();
        app.UseCors();
        app.MapGet("/api/offers", async (CancellationToken ct) =>
        {
            await Task.Delay(OffersDelay, ct);
            return Results.Json(new[] { new { hotel = "Avenida", price = 129 }, new { hotel = "Alfama", price = 98 } });
        });
        app.MapGet("/api/availability", () => Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        await app.StartAsync();
        var port = new Uri(WaymarkApp.Addresses(app).First()).Port;
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var closedPort = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        return new PartnerSite(app, $"http://{Host}:{port}", $"http://{Host}:{closedPort}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
