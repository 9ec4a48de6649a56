using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.DataProtection;
using Orleans.Configuration;
using Waymark.Server.Journeys;

namespace Waymark.Server.Cluster;

/// <summary>The co-hosted Orleans silo: one node embedded, or a node of a cluster on Redis membership.</summary>
public static class SiloSetup
{
    public static WebApplicationBuilder AddSilo(this WebApplicationBuilder builder, IConfiguration waymark)
    {
        var options = waymark.GetSection("Orleans").Get<ClusterOptions>() ?? new ClusterOptions();
        var journeys = waymark.GetSection("Journeys").Get<JourneyOptions>() ?? new JourneyOptions();
        builder.Services.AddOptions<ClusterOptions>().Bind(waymark.GetSection("Orleans")).ValidateDataAnnotations().ValidateOnStart();
        builder.UseOrleans(silo =>
        {
            var siloPort = options.SiloPort > 0 ? options.SiloPort : FreePort();
            var gatewayPort = options.GatewayPort > 0 ? options.GatewayPort : FreePort();
            if (options.Redis is { Length: > 0 } redis)
            {
                silo.UseRedisClustering(redis);
                silo.Configure<Orleans.Configuration.ClusterOptions>(o =>
                {
                    o.ClusterId = options.ClusterId;
                    o.ServiceId = options.ClusterId;
                });
                silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedAddress), siloPort, gatewayPort, listenOnAnyHostAddress: false);
                silo.Configure<ClusterMembershipOptions>(o =>
                {
                    o.ProbeTimeout = TimeSpan.FromSeconds(options.ProbeTimeoutSeconds);
                    o.NumMissedProbesLimit = 2;
                    o.NumVotesForDeathDeclaration = 1;
                    o.TableRefreshTimeout = TimeSpan.FromSeconds(5);
                });
            }
            else
            {
                silo.UseLocalhostClustering(siloPort: siloPort, gatewayPort: gatewayPort);
            }
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(options.ResponseTimeoutSeconds));
            silo.Configure<GrainCollectionOptions>(o =>
            {
                // An idle journey goes: its deadlines are in the store and the sweep wakes it.
                o.CollectionAge = TimeSpan.FromMinutes(journeys.IdleMinutes);
                // A flood of new visitors must not grow memory without bound: under
                // pressure the least recently used journeys are shed (and replayed when they return).
                o.EnableActivationSheddingOnMemoryPressure = true;
                o.MemoryUsageLimitPercentage = journeys.ShedAtPercent;
                o.MemoryUsageTargetPercentage = journeys.ShedTargetPercent;
            });
        });
        if (options.Redis is { Length: > 0 })
        {
            builder.Services.AddRedisChangeFeed(options.Redis);
            // The console's sign-in cookie and antiforgery tokens must open on every
            // node: the keys that protect them live in Redis, one key ring per cluster.
            builder.Services.AddDataProtection()
                .SetApplicationName("Waymark-" + options.ClusterId)
                .PersistKeysToStackExchangeRedis(
                    () => StackExchange.Redis.ConnectionMultiplexer.Connect(options.Redis).GetDatabase(),
                    "waymark:" + options.ClusterId + ":data-protection-keys");
        }
        return builder;
    }

    /// <summary>A free loopback port (several nodes may run on one machine, as in tests).</summary>
    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
