using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Waymark.Server.Hosting;

/// <summary>Builds the Waymark host; Program runs it, tests start it on 127.0.0.1:0.</summary>
public static class WaymarkApp
{
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddWaymark();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapWaymark();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            // The run script and the crash test read this line to find the port.
            foreach (var address in Addresses(app))
            {
                Console.WriteLine($"Waymark is listening on {address}");
            }
        });
        return app;
    }

    public static ICollection<string> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
}
