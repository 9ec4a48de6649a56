using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Waymark.Server.Telemetry;

/// <summary>Options of Waymark's own telemetry (section Waymark:Telemetry).</summary>
public sealed class TelemetryOptions
{
    /// <summary>Serve the Prometheus scrape endpoint (needs an account or API token, like the rest of the API).</summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>Where the scrape endpoint is.</summary>
    public string PrometheusPath { get; set; } = "/metrics";

    /// <summary>An OTLP endpoint (e.g. http://127.0.0.1:4318) to send Waymark's own traces and metrics to; empty for none.</summary>
    public string? OtlpEndpoint { get; set; }
}

/// <summary>OpenTelemetry .NET metrics and traces of the pipeline, a Prometheus scrape endpoint.</summary>
public static class TelemetrySetup
{
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration config)
    {
        var options = config.Get<TelemetryOptions>() ?? new TelemetryOptions();
        services.AddOptions<TelemetryOptions>().Bind(config);
        services.AddSingleton<WaymarkMetrics>();
        var otel = services.AddOpenTelemetry();
        otel.WithMetrics(m =>
        {
            m.AddMeter(WaymarkMetrics.MeterName).AddRuntimeInstrumentation();
            if (options.Prometheus)
            {
                m.AddPrometheusExporter();
            }
            if (options.OtlpEndpoint is { Length: > 0 } endpoint)
            {
                m.AddOtlpExporter(o => o.Endpoint = new Uri(endpoint.TrimEnd('/') + "/v1/metrics"));
            }
        });
        if (options.OtlpEndpoint is { Length: > 0 } traces)
        {
            otel.WithTracing(t => t.AddSource(WaymarkMetrics.MeterName).AddOtlpExporter(o => o.Endpoint = new Uri(traces.TrimEnd('/') + "/v1/traces")));
        }
        return services;
    }

    /// <summary>The Prometheus scrape endpoint, behind the same authentication as the API (an API token for the scraper).</summary>
    public static WebApplication MapTelemetry(this WebApplication app)
    {
        var options = app.Configuration.GetSection("Waymark:Telemetry").Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (options.Prometheus)
        {
            app.MapPrometheusScrapingEndpoint(options.PrometheusPath).RequireAuthorization();
        }
        return app;
    }
}
