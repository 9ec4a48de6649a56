namespace Waymark.Server.Collect.Otlp;

/// <summary>OpenTelemetry intake: OTLP/HTTP logs and traces mapped onto Waymark events.</summary>
public static class OtlpEndpoints
{
    public static IServiceCollection AddOtlp(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapOtlp(this IEndpointRouteBuilder app) => app;
}
