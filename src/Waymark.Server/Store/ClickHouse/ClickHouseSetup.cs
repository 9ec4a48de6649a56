using Waymark.Server.Store;

namespace Waymark.Server.Store.ClickHouse;

/// <summary>The store on a ClickHouse server or cluster, behind every store contract (section Waymark:ClickHouse).</summary>
public static class ClickHouseSetup
{
    public static IServiceCollection AddClickHouseStore(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<ClickHouseOptions>().Bind(config).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ClickHouseStore>();
        services.AddSingleton<IEventLog>(sp => sp.GetRequiredService<ClickHouseStore>());
        services.AddSingleton<ISessionReadModel>(sp => sp.GetRequiredService<ClickHouseStore>());
        services.AddSingleton<ISessionAnalytics>(sp => sp.GetRequiredService<ClickHouseStore>());
        services.AddSingleton<IIdentityLinks>(sp => sp.GetRequiredService<ClickHouseStore>());
        services.AddSingleton<ISessionNotes>(sp => sp.GetRequiredService<ClickHouseStore>());
        services.AddSingleton<IJourneyMaps>(sp => sp.GetRequiredService<ClickHouseStore>());
        services.AddSingleton<IExperienceSettings>(sp => sp.GetRequiredService<ClickHouseStore>());
        services.AddSingleton<ISessionEvents>(sp => sp.GetRequiredService<ClickHouseStore>());
        services.AddSingleton<IAccountStore>(sp => sp.GetRequiredService<ClickHouseStore>());
        services.AddSingleton<IRuleStore>(sp => sp.GetRequiredService<ClickHouseStore>());
        services.AddSingleton<IRuleHistory>(sp => sp.GetRequiredService<ClickHouseStore>());
        services.AddSingleton<IOutbox>(sp => sp.GetRequiredService<ClickHouseStore>());
        services.AddSingleton<IStoreStatus>(sp => sp.GetRequiredService<ClickHouseStore>());
        services.AddSingleton<ICustomerData>(sp => sp.GetRequiredService<ClickHouseStore>());
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<ClickHouseStore>());
        // Creates the tables before the silo starts, so grains can replay from them.
        services.AddHostedService<ClickHouseLifetime>();
        return services;
    }
}

internal sealed class ClickHouseLifetime(ClickHouseStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.OpenAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
