using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Waymark.Server.Http;
using Waymark.Server.Ingest;

namespace Waymark.Server.Collect;

/// <summary>
/// The collectors' HTTP limits: requests per client address (429 with Retry-After, <see cref="CollectOptions.PerClientPerMinute"/>)
/// and beacons in flight on the node (503 with Retry-After, <see cref="CollectOptions.MaxConcurrentRequests"/>).
/// The per-app event rate is the ingest pipeline's (<see cref="AppEventRate"/>): the app is in the body.
/// </summary>
public static class CollectRateLimits
{
    public static IServiceCollection AddCollectRateLimits(this IServiceCollection services, CollectOptions collect) =>
        services.AddRateLimiter(o =>
        {
            o.OnRejected = async (ctx, _) =>
            {
                var http = ctx.HttpContext;
                if (ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after))
                {
                    http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                    await Problems.Create(StatusCodes.Status429TooManyRequests, "Too many requests from this address",
                        $"This client address sent more than {collect.PerClientPerMinute} requests a minute to the collectors (Waymark:Collect:PerClientPerMinute). " +
                        "Nothing of this request was kept: send it again after Retry-After seconds.").ExecuteAsync(http);
                    return;
                }
                http.Response.Headers.RetryAfter = "1";
                await Problems.Create(StatusCodes.Status503ServiceUnavailable, "Busy",
                    "Too many beacons at once. Nothing of this batch was kept: send it again after Retry-After seconds.").ExecuteAsync(http);
            };
            // Per client address (after X-Forwarded-For from a trusted proxy), on the collectors' endpoints only (the
            // policy they require); the machine itself is not limited, so a proxy must forward the client's address.
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                collect.PerClientPerMinute <= 0 || !IsCollector(http) || http.Connection.RemoteIpAddress is not { } ip || System.Net.IPAddress.IsLoopback(ip)
                    ? RateLimitPartition.GetNoLimiter("")
                    : RateLimitPartition.GetTokenBucketLimiter(ip.ToString(), _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = collect.PerClientPerMinute,
                        TokensPerPeriod = Math.Max(1, collect.PerClientPerMinute / 60),
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    }));
            o.AddConcurrencyLimiter(BeaconEndpoints.RateLimitPolicy, c =>
            {
                c.PermitLimit = collect.MaxConcurrentRequests;
                c.QueueLimit = collect.MaxConcurrentRequests;
                c.QueueProcessingOrder = QueueProcessingOrder.OldestFirst;
            });
        });

    private static bool IsCollector(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == BeaconEndpoints.RateLimitPolicy;
}
