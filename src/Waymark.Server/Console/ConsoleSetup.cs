using Microsoft.AspNetCore.Hosting.StaticWebAssets;
using MudBlazor.Services;
using Waymark.Server.Console.Data;

namespace Waymark.Server.Console;

/// <summary>The web console (Blazor, interactive server rendering).</summary>
public static class ConsoleSetup
{
    public static IServiceCollection AddConsole(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddMudServices();
        services.AddOptions<ConsoleOptions>().BindConfiguration("Waymark:Console").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ConsoleTime>();
        services.AddSingleton<CustomerFinder>();
        return services;
    }

    public static WebApplication MapConsole(this WebApplication app)
    {
        UseStaticWebAssets(app);
        app.UseAntiforgery();
        app.MapStaticAssets(ManifestPath("endpoints")).AllowAnonymous();
        ConsoleAssets.Map(app);
        ExportEndpoints.Map(app);
        // Waymark's own policy (Privacy/SecurityHeaders) already says frame-ancestors; Blazor's would replace it.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
        return app;
    }

    /// <summary>
    /// The console's scripts and styles (Blazor's, MudBlazor's, Plotly's) are
    /// static web assets. A published app has them in wwwroot; run from the
    /// build output (./run.sh, the tests, the bench) they stay where the build
    /// left them and the runtime manifest says where: ASP.NET Core reads it
    /// only in Development, so the console reads it always. The manifests are
    /// the server assembly's (tests host the server in their own process).
    /// </summary>
    private static void UseStaticWebAssets(WebApplication app)
    {
        var runtime = ManifestPath("runtime");
        if (!File.Exists(runtime))
        {
            return;
        }
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [WebHostDefaults.StaticWebAssetsKey] = runtime })
            .Build();
        StaticWebAssetsLoader.UseStaticWebAssets(app.Environment, config);
    }

    private static string ManifestPath(string kind) =>
        Path.Combine(Path.GetDirectoryName(typeof(ConsoleSetup).Assembly.Location) ?? AppContext.BaseDirectory, $"Waymark.Server.staticwebassets.{kind}.json");
}
