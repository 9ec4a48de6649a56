using Microsoft.Extensions.Options;

namespace Waymark.Server.Privacy;

/// <summary>Security headers, customers' rights (export, erasure), retention and the audit log.</summary>
public static class PrivacySetup
{
    public static IServiceCollection AddPrivacy(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<SecurityHeaderOptions>().Bind(config.GetSection("Security"));
        services.AddHostedService<RetentionService>();
        services.AddSingleton<CustomerRights>();
        return services;
    }

    /// <summary>The middleware part: call first, so that every answer (errors too) carries the headers.</summary>
    public static WebApplication UsePrivacy(this WebApplication app)
    {
        app.UseSecurityHeaders(app.Services.GetRequiredService<IOptions<SecurityHeaderOptions>>().Value);
        return app;
    }
}
