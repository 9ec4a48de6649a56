using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Waymark.Server.Hosting;

/// <summary>Builds the Waymark host; Program runs it, tests start it on 127.0.0.1:0.</summary>
public static class WaymarkApp
{
    /// <param name="args">Command-line arguments (settings as --Section:Key=value).</param>
    /// <param name="configure">Changes to the builder before it is built.</param>
    /// <param name="map">Extra endpoints after Waymark's own (tests serve a site this way).</param>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null, Action<WebApplication>? map = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddWaymark();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapWaymark();
        map?.Invoke(app);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            // The run script and the crash test read this line to find the port.
            foreach (var address in Addresses(app))
            {
                global::System.Console.WriteLine($"Waymark is listening on {address}");
            }
        });
        return app;
    }

    public static ICollection<string> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
}
