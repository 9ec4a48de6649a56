using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Waymark.Demo;

/// <summary>Adds the demo data loader to a Waymark host (section Waymark:Demo).</summary>
public static class DemoSetup
{
    public static WebApplicationBuilder AddWaymarkDemo(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoSettings>().Bind(builder.Configuration.GetSection("Waymark:Demo"));
        builder.Services.AddSingleton<DemoLoader>();
        // Hosted services start in order: the silo and the store are up before the loader.
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DemoLoader>());
        return builder;
    }
}
