using System.Globalization;
using Microsoft.Extensions.Options;
using Waymark.Core.Enrichment;
using Waymark.Server.Store;
using Waymark.Server.Http;
using Waymark.Server.Apps;
using Waymark.Server.Ingest;
using Waymark.Server.Telemetry;

namespace Waymark.Server.Collect.Otlp;

/// <summary>
/// OpenTelemetry intake: OTLP/HTTP <c>POST /v1/logs</c> and <c>POST /v1/traces</c>
/// (JSON or protobuf, optionally gzip) mapped onto Waymark events (docs/otlp.md).
/// </summary>
public static partial class OtlpEndpoints
{
    private const string Protobuf = "application/x-protobuf";

    public static IServiceCollection AddOtlp(this IServiceCollection services)
    {
        services.AddOptions<OtlpOptions>().BindConfiguration("Waymark:Otlp").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OtlpIngest>();
        return services;
    }

    public static IEndpointRouteBuilder MapOtlp(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/logs", (HttpContext http, OtlpIngest ingest, IngestService pipeline, IOptions<CollectOptions> options, WaymarkMetrics metrics, ILogger<OtlpIngest> logger, CancellationToken ct) =>
                Counted(metrics, ReceiveAsync(http, ingest, pipeline, options.Value.MaxBodyBytes, logs: true, logger, ct)))
            .RequireRateLimiting(BeaconEndpoints.RateLimitPolicy)
            .WithName("PostOtlpLogs")
            .WithTags("Collect")
            .WithSummary("OTLP/HTTP logs (JSON or protobuf, gzip allowed): OpenTelemetry events such as browser.web_vital, exception, page and screen views (docs/otlp.md).")
            .DisableAntiforgery();
        app.MapPost("/v1/traces", (HttpContext http, OtlpIngest ingest, IngestService pipeline, IOptions<CollectOptions> options, WaymarkMetrics metrics, ILogger<OtlpIngest> logger, CancellationToken ct) =>
                Counted(metrics, ReceiveAsync(http, ingest, pipeline, options.Value.MaxBodyBytes, logs: false, logger, ct)))
            .RequireRateLimiting(BeaconEndpoints.RateLimitPolicy)
            .WithName("PostOtlpTraces")
            .WithTags("Collect")
            .WithSummary("OTLP/HTTP traces (JSON or protobuf, gzip allowed): fetch/XHR/HTTP client spans, page loads, user interactions, exceptions (docs/otlp.md).")
            .DisableAntiforgery();
        app.MapMethods("/v1/logs", ["OPTIONS"], Preflight).ExcludeFromDescription();
        app.MapMethods("/v1/traces", ["OPTIONS"], Preflight).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ReceiveAsync(HttpContext http, OtlpIngest ingest, IngestService pipeline, int limit, bool logs, ILogger logger, CancellationToken cancellationToken)
    {
        var h = http.Request.Headers;
        var origin = h.Origin.ToString();
        if (origin.Length > 0)
        {
            // On every answer, errors included: a browser that cannot read one takes it for a network error.
            http.Response.Headers.AccessControlAllowOrigin = origin;
            http.Response.Headers.AccessControlExposeHeaders = "Retry-After";
            http.Response.Headers.Vary = "Origin";
        }
        var mediaType = http.Request.ContentType?.Split(';', 2)[0].Trim().ToLowerInvariant();
        var protobuf = mediaType is Protobuf or "application/protobuf";
        if (!protobuf && mediaType != "application/json")
        {
            return Problems.Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"Send OTLP as application/json or {Protobuf}, not {mediaType ?? "no content type"}.");
        }
        var encoding = h.ContentEncoding.ToString().Trim().ToLowerInvariant();
        if (encoding is not ("" or "identity" or "gzip"))
        {
            return Problems.Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported content encoding",
                $"Send the body uncompressed or gzip-compressed (Content-Encoding: gzip), not {encoding}.");
        }
        if (http.Request.ContentLength > limit)
        {
            return TooLarge(limit);
        }
        var body = await BodyReader.ReadAsync(http.Request.BodyReader, limit, cancellationToken);
        if (body is null)
        {
            return TooLarge(limit);
        }
        OtlpExport export;
        try
        {
            if (encoding == "gzip")
            {
                body = OtlpBody.Gunzip(body, limit);
                if (body is null)
                {
                    return TooLarge(limit);
                }
            }
            export = (protobuf, logs) switch
            {
                (true, true) => ingest.Protobuf.ReadLogs(body),
                (true, false) => ingest.Protobuf.ReadTraces(body),
                (false, true) => ingest.Json.ReadLogs(body),
                (false, false) => ingest.Json.ReadTraces(body),
            };
        }
        catch (InvalidDataException)
        {
            return Malformed(logger, "the body is not valid gzip (Content-Encoding: gzip)");
        }
        catch (OtlpFormatException ex)
        {
            return Malformed(logger, ex.Message);
        }

        var request = new OtlpRequest(
            Header(h, "X-Waymark-App"),
            Header(h, "X-Waymark-Key") ?? Bearer(h),
            http.Connection.RemoteIpAddress,
            Header(h, "User-Agent"),
            origin.Length > 0 ? origin : null,
            Header(h, "Referer"),
            new ClientHints(Header(h, "Sec-CH-UA"), Header(h, "Sec-CH-UA-Mobile"), Header(h, "Sec-CH-UA-Platform"), Header(h, "Sec-CH-UA-Platform-Version")));
        var decoded = ingest.Decode(export, request);
        var outcome = await pipeline.IngestAsync(decoded.Request, cancellationToken);
        return IngestAnswers.ToResult(http, outcome, accepted =>
        {
            // OTLP's partial success: what the decoder and the pipeline refused, and a few reasons.
            OtlpIngest.NoteRejected(decoded.Reasons, accepted);
            var rejected = decoded.Rejected + accepted.Rejected.Count;
            var message = decoded.Reasons.Count == 0 ? null : string.Join("; ", decoded.Reasons) + (rejected > decoded.Reasons.Count ? "; …" : "");
            return protobuf
                ? TypedResults.Bytes(OtlpBody.Protobuf(rejected, message), Protobuf)
                : TypedResults.Json(OtlpBody.Json(logs, rejected, message));
        });
    }

    /// <summary>Counts the requests refused before the pipeline (415, 413, 400); the pipeline counts its own.</summary>
    private static async Task<IResult> Counted(WaymarkMetrics metrics, Task<IResult> answer)
    {
        var result = await answer;
        if (result is IStatusCodeHttpResult { StatusCode: 400 or 413 or 415 } refused && refused.StatusCode is int status)
        {
            metrics.Refused("otlp", status);
        }
        return result;
    }

    private static IResult Malformed(ILogger logger, string reason)
    {
        LogMalformed(logger, reason);
        return Problems.Create(StatusCodes.Status400BadRequest, "Invalid OTLP request", reason + ".");
    }

    private static IResult TooLarge(int limit) =>
        Problems.Create(StatusCodes.Status413PayloadTooLarge, "Export too large",
            $"The body is larger than {limit} bytes (after decompression). Export smaller batches (the SDK's maxExportBatchSize).");

    private static IResult Preflight(HttpContext http, AppRegistry apps)
    {
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length == 0 || !apps.AnyAllowsOrigin(origin))
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }
        var r = http.Response.Headers;
        r.AccessControlAllowOrigin = origin;
        r.Vary = "Origin";
        r.AccessControlAllowMethods = "POST, OPTIONS";
        r.AccessControlAllowHeaders = "Content-Type, Content-Encoding, X-Waymark-App, X-Waymark-Key, Authorization";
        r.AccessControlMaxAge = "86400";
        return Results.NoContent();
    }

    private static string? Bearer(IHeaderDictionary h) =>
        h.Authorization.ToString() is { } a && a.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? a[7..].Trim() : null;

    private static string? Header(IHeaderDictionary h, string name) => h.TryGetValue(name, out var v) && v.Count > 0 ? v.ToString() : null;

    [LoggerMessage(Level = LogLevel.Debug, Message = "OTLP request refused as malformed: {Reason}")]
    private static partial void LogMalformed(ILogger logger, string reason);
}
