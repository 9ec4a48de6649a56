using Waymark.Server.Analytics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.HttpOverrides;
using Orleans.Configuration;
using Microsoft.Extensions.Options;
using Waymark.Core.Sessions;
using Waymark.Server.Accounts;
using Waymark.Server.Agent;
using Waymark.Server.Collect;
using Waymark.Server.Console;
using Waymark.Server.Funnels;
using Waymark.Server.Collect.Otlp;
using Waymark.Server.Query;
using Waymark.Server.Store;
using Waymark.Server.Http;
using Waymark.Server.Apps;
using Waymark.Server.Cluster;
using Waymark.Server.Ingest;
using Waymark.Server.Journeys;
using Waymark.Server.Rules;
using Waymark.Server.Actions;
using Waymark.Server.Privacy;
using Waymark.Server.Mining;
using Waymark.Server.Store.ClickHouse;
using Waymark.Server.Store.DuckDb;
using Waymark.Server.Telemetry;

namespace Waymark.Server.Hosting;

/// <summary>Wires the areas together: each area has one Add and one Map.</summary>
public static class WaymarkHost
{
    public static WebApplicationBuilder AddWaymark(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration.GetSection("Waymark");
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<List<AppOptions>>().Bind(config.GetSection("Apps"))
            .Validate(a => a.TrueForAll(x => x.Id.Length > 0 && x.IngestKey.Length > 0), "Every app needs an Id and an IngestKey.")
            .Validate(a => a.TrueForAll(x => Ingest.ConsentGate.TryRead(x.Consent, out _)), "An app's Consent is one of " + Ingest.ConsentGate.Names + ".")
            .ValidateOnStart();
        services.AddOptions<CollectOptions>().Bind(config.GetSection("Collect")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SessionRules>().Bind(config.GetSection("Sessions"))
            .Validate(r => r.Inactivity > TimeSpan.Zero && r.MaxDuration > r.Inactivity && r.MaxActions > 0, "Session rules must be positive, and MaxDuration longer than Inactivity.")
            .ValidateOnStart();
        services.AddOptions<GeoOptions>().Bind(config.GetSection("Geo"));
        services.AddOptions<IdentityOptions>().Bind(config.GetSection("Identity"))
            .Validate(o => !o.HashUserTags || o.HashSecret is { Length: >= 16 }, "Waymark:Identity:HashUserTags needs Waymark:Identity:HashSecret, at least 16 characters.")
            .ValidateOnStart();

        services.AddSingleton<AppRegistry>();
        services.AddSingleton(sp => new ApdexThresholdsProvider(sp.GetRequiredService<AppRegistry>().Apdex));
        services.AddSingleton(sp => new GeoLocator(sp.GetRequiredService<IOptions<GeoOptions>>().Value.DatabasePath));
        services.AddSingleton<Enricher>();
        services.AddSingleton<IngestService>();
        services.AddSingleton<AppEventRate>();
        services.AddOtlp();
        services.AddOptions<AgentOptions>().Bind(config.GetSection("Agent"));
        services.AddSingleton<AgentBundle>();

        // The store: embedded DuckDB by default, or ClickHouse (Waymark:Store:Kind = clickhouse).
        switch (config.GetValue<string>("Store:Kind")?.ToLowerInvariant())
        {
            case null or "" or "duckdb":
                services.AddDuckDbStore(config.GetSection("Store"));
                break;
            case "clickhouse":
                services.AddClickHouseStore(config.GetSection("ClickHouse"));
                break;
            default:
                throw new InvalidOperationException("Waymark:Store:Kind must be duckdb or clickhouse.");
        }
        services.AddJourneys(config.GetSection("Journeys"));
        services.AddTelemetry(config.GetSection("Telemetry"));
        // Off by default: each listener is a runtime event session (the load bench turns it on).
        if (config.GetValue<bool>("Diagnostics:GcPauses"))
        {
            services.AddSingleton<GcPauses>();
            services.AddHostedService(sp => sp.GetRequiredService<GcPauses>());
        }
        services.AddAccounts(config.GetSection("Auth"));
        services.AddConsole();
        services.AddPrivacy(config);
        services.AddMining(config.GetSection("Mining"));
        services.AddExperience(config.GetSection("Experience"));

        services.AddCollectRateLimits(config.GetSection("Collect").Get<CollectOptions>() ?? new CollectOptions());
        services.AddOpenApi();
        services.AddProblemDetails();

        services.AddRules(config.GetSection("Rules"));
        services.AddActions(config.GetSection("Actions"));
        builder.AddSilo(config);
        services.AddJourneyTimers();
        return builder;
    }

    public static WebApplication MapWaymark(this WebApplication app)
    {
        var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        app.UseForwardedHeaders(forwarded);
        app.UsePrivacy();
        app.UseBeaconCors();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseTokenScopes();
        app.UseSecondFactorGate();
        // Collectors authenticate with app keys, not accounts.
        var open = app.MapGroup("").AllowAnonymous();
        open.MapOpenApi();
        open.MapCollect();
        open.MapAgent();
        open.MapOtlp();
        open.MapHealth();
        // Everything else needs a signed-in account (the fallback policy).
        app.MapAccounts();
        app.MapQuery();
        app.MapLive();
        app.MapCustomers();
        app.MapFunnels();
        app.MapRules();
        app.MapActions();
        app.MapPrivacy();
        app.MapMining();
        app.MapExperience();
        app.MapConsole();
        app.MapTelemetry();
        return app;
    }

    private static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => TypedResults.Ok(new { status = "ok" })).WithTags("Health").WithSummary("Liveness: the process answers.");
        app.MapGet("/ready", (IStoreStatus store) =>
        {
            var pending = store.PendingEvents;
            return store.Ready
                ? Results.Ok(new { status = "ready", pendingEvents = pending, committedEvents = store.CommittedEvents })
                : Problems.Create(StatusCodes.Status503ServiceUnavailable, "Not ready", $"The store is behind: {pending} events pending.");
        }).WithTags("Health").WithSummary("Readiness: the store is open and keeping up.");
    }
}
