namespace Waymark.Server.Console;

/// <summary>The web console (Blazor, interactive server rendering).</summary>
public static class ConsoleSetup
{
    public static IServiceCollection AddConsole(this IServiceCollection services) => services;

    public static WebApplication MapConsole(this WebApplication app) => app;
}
