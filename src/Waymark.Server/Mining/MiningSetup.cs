namespace Waymark.Server.Mining;

/// <summary>Process mining: event logs from journeys, discovery, conformance, interchange.</summary>
public static class MiningSetup
{
    public static IServiceCollection AddMining(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<MiningOptions>().Bind(config)
            .Validate(o => o.MaxUploadBytes > 0 && o.MaxUploadedLogs > 0 && o.MaxSessions > 0, "Waymark:Mining limits must be positive.")
            .ValidateOnStart();
        services.AddSingleton<JourneyLogBuilder>();
        services.AddSingleton<UploadedLogs>();
        services.AddSingleton<MiningLogs>();
        services.AddSingleton<MiningModels>();
        services.AddSingleton<MiningAnalysis>();
        services.AddSingleton<ProcessMapRenderer>();
        return services;
    }
}
