using Waymark.Server.Store;

namespace Waymark.Server.Store.DuckDb;

/// <summary>The embedded store: one DuckDB file (and its event segments) behind every store contract.</summary>
public static class DuckDbSetup
{
    public static IServiceCollection AddDuckDbStore(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<StoreOptions>().Bind(config).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DuckDbStore>();
        services.AddSingleton<IEventLog>(sp => sp.GetRequiredService<DuckDbStore>());
        services.AddSingleton<ISessionReadModel>(sp => sp.GetRequiredService<DuckDbStore>());
        services.AddSingleton<ISessionAnalytics>(sp => sp.GetRequiredService<DuckDbStore>());
        services.AddSingleton<IIdentityLinks>(sp => sp.GetRequiredService<DuckDbStore>());
        services.AddSingleton<ISessionNotes>(sp => sp.GetRequiredService<DuckDbStore>());
        services.AddSingleton<IJourneyMaps>(sp => sp.GetRequiredService<DuckDbStore>());
        services.AddSingleton<IExperienceSettings>(sp => sp.GetRequiredService<DuckDbStore>());
        services.AddSingleton<ISessionEvents>(sp => sp.GetRequiredService<DuckDbStore>());
        services.AddSingleton<IAccountStore>(sp => sp.GetRequiredService<DuckDbStore>());
        services.AddSingleton<IRuleStore>(sp => sp.GetRequiredService<DuckDbStore>());
        services.AddSingleton<IRuleHistory>(sp => sp.GetRequiredService<DuckDbStore>());
        services.AddSingleton<IOutbox>(sp => sp.GetRequiredService<DuckDbStore>());
        services.AddSingleton<IStoreStatus>(sp => sp.GetRequiredService<DuckDbStore>());
        services.AddSingleton<ICustomerData>(sp => sp.GetRequiredService<DuckDbStore>());
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<DuckDbStore>());
        // Opens the store before the silo starts, so grains can restore from it.
        services.AddHostedService<DuckDbLifetime>();
        return services;
    }
}

/// <summary>Opens the store on start; the container disposes it (final commit and checkpoint) on stop.</summary>
internal sealed class DuckDbLifetime(DuckDbStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        store.Open();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
