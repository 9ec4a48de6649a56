using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Waymark.Core.Enrichment;
using Waymark.Core.Protocol;
using Waymark.Server.Store;
using Waymark.Server.Telemetry;
using Waymark.Server.Http;
using Waymark.Server.Apps;
using Waymark.Server.Ingest;

namespace Waymark.Server.Collect;

/// <summary>HTTP transport of the beacon protocol: POST /v1/beacon (JSON or sendBeacon's text/plain).</summary>
public static class BeaconEndpoints
{
    public const string RateLimitPolicy = "collect";

    public static IEndpointRouteBuilder MapCollect(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/beacon", PostBeaconAsync)
            .RequireRateLimiting(RateLimitPolicy)
            .WithName("PostBeacon")
            .WithTags("Collect")
            .WithSummary("Send one batch of events of one visitor (beacon protocol v1, docs/protocol.md).")
            .DisableAntiforgery();
        app.MapMethods("/v1/beacon", ["OPTIONS"], Preflight).ExcludeFromDescription();
        app.MapPost("/v1/events", PostServerEventsAsync)
            .RequireRateLimiting(RateLimitPolicy)
            .WithName("PostServerEvents")
            .WithTags("Collect")
            .WithSummary("Server-side events (contact centre, back office): the beacon format, the app's secret server key (Authorization: Bearer), and a customer instead of a visitor.")
            .DisableAntiforgery();
        return app;
    }

    /// <summary>
    /// CORS headers on every answer of /v1/beacon, the rate limiter's 503 and
    /// errors included: a browser that cannot read a 4xx takes it for a network
    /// error and retries, and cannot see Retry-After unless it is exposed.
    /// Whether the origin may send for the app is checked with the app.
    /// </summary>
    public static IApplicationBuilder UseBeaconCors(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        if (http.Request.Path.StartsWithSegments("/v1/beacon") && http.Request.Headers.Origin.ToString() is { Length: > 0 } origin)
        {
            var h = http.Response.Headers;
            h.AccessControlAllowOrigin = origin;
            h.AccessControlExposeHeaders = "Retry-After";
            h.Vary = "Origin";
        }
        return next(http);
    });

    private static Task<IResult> PostBeaconAsync(HttpContext http, IngestService ingest, IOptions<CollectOptions> options, WaymarkMetrics metrics, CancellationToken cancellationToken) =>
        ReceiveAsync(http, ingest, options, metrics, serverSide: false, cancellationToken);

    private static Task<IResult> PostServerEventsAsync(HttpContext http, IngestService ingest, IOptions<CollectOptions> options, WaymarkMetrics metrics, CancellationToken cancellationToken) =>
        ReceiveAsync(http, ingest, options, metrics, serverSide: true, cancellationToken);

    private static async Task<IResult> ReceiveAsync(HttpContext http, IngestService ingest, IOptions<CollectOptions> options, WaymarkMetrics metrics, bool serverSide, CancellationToken cancellationToken)
    {
        var transport = serverSide ? "server" : "beacon";
        IResult Refuse(int status, IResult result)
        {
            metrics.Refused(transport, status);
            return result;
        }
        var origin = http.Request.Headers.Origin.ToString();
        var mediaType = http.Request.ContentType?.Split(';', 2)[0].Trim().ToLowerInvariant();
        if (mediaType is not (null or "" or "application/json" or "text/plain"))
        {
            return Refuse(415, Problems.Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"Send the beacon as application/json or text/plain (what navigator.sendBeacon sends), not {mediaType}."));
        }
        var limit = options.Value.MaxBodyBytes;
        if (http.Request.ContentLength > limit)
        {
            return Refuse(413, TooLarge(limit));
        }
        // The body is read into a pooled buffer and given back once parsed: it
        // is not kept while the events wait for their commit.
        var (buffer, length) = await BodyReader.ReadPooledAsync(http.Request.BodyReader, limit, cancellationToken);
        if (buffer is null)
        {
            return Refuse(413, TooLarge(limit));
        }
        ParsedBeacon beacon;
        try
        {
            beacon = ingest.Parser.Parse(buffer.AsMemory(0, length));
        }
        catch (BeaconException ex)
        {
            return Refuse(400, Problems.Create(StatusCodes.Status400BadRequest, "Invalid beacon", ex.Reason, ("field", ex.Field)));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
        var h = http.Request.Headers;
        var request = new IngestRequest
        {
            Transport = serverSide ? Transport.ServerEvents : Transport.Beacon,
            Key = Header(h, "X-Waymark-Key") ?? (serverSide ? Bearer(h) : null),
            Facts = new RequestFacts(
                http.Connection.RemoteIpAddress,
                h.UserAgent.ToString() is { Length: > 0 } ua ? ua : null,
                origin.Length > 0 ? origin : null,
                new ClientHints(Header(h, "Sec-CH-UA"), Header(h, "Sec-CH-UA-Mobile"), Header(h, "Sec-CH-UA-Platform"), Header(h, "Sec-CH-UA-Platform-Version"))),
        };
        request.Batches.Add(new IncomingBatch { Header = beacon.Header, Events = beacon.Events, Rejected = beacon.Rejected });
        var outcome = await ingest.IngestAsync(request, cancellationToken);
        var hint = serverSide ? null : http.RequestServices.GetService<IBeaconHints>()?.ScriptFor(http, beacon.Header);
        return IngestAnswers.ToResult(http, outcome, o => Accepted(o, hint));
    }

    /// <summary>A beacon's answer: 200 with what was taken (and what was not, as OTLP's partial success does), or 422 when nothing was valid.</summary>
    private static IResult Accepted(IngestOutcome outcome, string? load)
    {
        if (outcome.Accepted == 0)
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, "No valid events",
                $"All {outcome.Rejected.Count} events were rejected; see 'errors'.", ("errors", outcome.Rejected));
        }
        return TypedResults.Ok(new BeaconAnswer(
            outcome.Accepted,
            outcome.Duplicates,
            outcome.Rejected.Count,
            outcome.Rejected.Count == 0 ? null : Problems.Body(StatusCodes.Status422UnprocessableEntity, "Some events were rejected",
                $"{outcome.Rejected.Count} of {outcome.Accepted + outcome.Rejected.Count} events were rejected; the others are stored.",
                ("errors", outcome.Rejected)),
            load));
    }

    private static IResult TooLarge(int limit) =>
        Problems.Create(StatusCodes.Status413PayloadTooLarge, "Beacon too large",
            $"The body is larger than {limit} bytes. Send the events in smaller batches.");

    private static IResult Preflight(HttpContext http, AppRegistry apps)
    {
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length == 0 || !apps.AnyAllowsOrigin(origin))
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }
        var r = http.Response.Headers;
        r.AccessControlAllowMethods = "POST, OPTIONS";
        r.AccessControlAllowHeaders = "Content-Type, X-Waymark-Key";
        r.AccessControlMaxAge = "86400";
        return Results.NoContent();
    }

    private static string? Bearer(IHeaderDictionary h) =>
        h.Authorization.ToString() is { } a && a.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? a[7..].Trim() : null;

    private static string? Header(IHeaderDictionary h, string name) => h.TryGetValue(name, out var v) && v.Count > 0 ? v.ToString() : null;
}

/// <summary>The answer to an accepted beacon.</summary>
/// <param name="Accepted">Events durable in the store.</param>
/// <param name="Duplicates">Of those, events already received before (a retry; stored once).</param>
/// <param name="Rejected">Events refused.</param>
/// <param name="Problem">RFC 9457 problem details listing the rejected events, when there are any.</param>
/// <param name="X">A script the agent loads once (the in-page interventions), or null.</param>
public sealed record BeaconAnswer(int Accepted, int Duplicates, int Rejected, Dictionary<string, object?>? Problem, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? X = null);
