using Waymark.Core.Journeys;

namespace Waymark.Server.Journeys;

/// <summary>The live journeys: options, the change feed, the deadline sweep. Per-visitor logic registers as <see cref="IJourneyLogic"/>.</summary>
public static class JourneySetup
{
    public static IServiceCollection AddJourneys(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<JourneyOptions>().Bind(config).ValidateDataAnnotations()
            .Validate(o => o.ShedTargetPercent < o.ShedAtPercent, "Journeys: ShedTargetPercent must be below ShedAtPercent.")
            .ValidateOnStart();
        services.AddSingleton<IChangeFeed, LocalChangeFeed>();
        services.AddSingleton<JourneyTimers>();
        services.AddSingleton<DeadlineSweeper>();
        return services;
    }

    /// <summary>
    /// The timers and the sweep call grains: registered after the silo, they
    /// start after it and stop before it (hosted services stop in reverse order).
    /// </summary>
    public static IServiceCollection AddJourneyTimers(this IServiceCollection services)
    {
        services.AddHostedService(sp => sp.GetRequiredService<JourneyTimers>());
        services.AddHostedService(sp => sp.GetRequiredService<DeadlineSweeper>());
        return services;
    }
}
