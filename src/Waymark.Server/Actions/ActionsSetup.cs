using Waymark.Server.Collect;
using Waymark.Server.Journeys;
using Waymark.Server.Rules;

namespace Waymark.Server.Actions;

/// <summary>
/// Rule actions: the outbox of webhooks and mails (written with the firing,
/// drained by a dispatcher on every node), in-page interventions over a push
/// channel, alerts on the live feed (the signal itself, shown in the console).
/// </summary>
public static class ActionsSetup
{
    public static IServiceCollection AddActions(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<ActionOptions>().Bind(config).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IRuleCatalogSource, ActionCatalog>();
        services.AddHttpClient<WebhookSender>(c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<IActionSender>(sp => sp.GetRequiredService<WebhookSender>());
        services.AddSingleton<IActionSender, MailSender>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        services.AddSingleton<IJourneySignalSink, SignalOutbox>();
        services.AddSingleton(sp =>
        {
            var hub = ActivatorUtilities.CreateInstance<InPageHub>(sp);
            hub.Use(sp.GetRequiredService<RuleBook>());
            return hub;
        });
        services.AddSingleton<IBeaconHints>(sp => sp.GetRequiredService<InPageHub>());
        services.AddHostedService(sp => sp.GetRequiredService<InPageHub>());
        services.AddSingleton<OfferScript>();
        return services;
    }

    public static IEndpointRouteBuilder MapActions(this IEndpointRouteBuilder app) => app.MapInPage();
}
