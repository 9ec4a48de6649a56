using Waymark.Core.Journeys;
using Waymark.Core.Rules;

namespace Waymark.Server.Rules;

/// <summary>Journey rules: the apps' rule documents (stored, edited over /v1/rules), run in every visitor's journey as <see cref="RulesLogic"/>.</summary>
public static class RulesSetup
{
    /// <summary>Registers the rules; call before the silo so they are loaded before the first journey.</summary>
    public static IServiceCollection AddRules(this IServiceCollection services, IConfiguration config)
    {
        var options = new RulesOptions
        {
            DeadlineGrace = config.GetValue<TimeSpan?>("DeadlineGrace") ?? new RulesOptions().DeadlineGrace,
            SessionInactivity = config.GetValue<TimeSpan?>("SessionInactivity") ?? new RulesOptions().SessionInactivity,
        };
        services.AddSingleton<RuleBook>();
        services.AddSingleton<RuleDocuments>();
        services.AddSingleton<IJourneyLogic>(sp => new RulesLogic(sp.GetRequiredService<RuleBook>(), options));
        services.AddHostedService<RuleBookLoader>();
        return services;
    }

    public static IEndpointRouteBuilder MapRules(this IEndpointRouteBuilder app) => app.MapRuleEndpoints();
}
