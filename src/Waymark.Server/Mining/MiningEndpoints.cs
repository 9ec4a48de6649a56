using Waymark.Server.Accounts;
using System.Text;
using Microsoft.Extensions.Options;
using Waymark.Core.Mining;
using Waymark.Core.Mining.Discovery;
using Waymark.Server.Http;

namespace Waymark.Server.Mining;

/// <summary>Process mining API v1: the real journeys as a process, and how far they fit a model.</summary>
public static class MiningEndpoints
{
    public static IEndpointRouteBuilder MapMining(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1/mining").WithTags("Mining");
        v1.MapGet("/map", MapAsync).WithName("MiningMap").WithQuery([.. QueryDocs.MiningFilters, "activities", "paths"])
            .WithSummary("Directly-follows graph (process map) with frequencies, durations, start and end activities; activity and path sliders (activities, paths in [0, 1]).");
        v1.MapGet("/map.svg", MapSvgAsync).WithName("MiningMapSvg").WithQuery([.. QueryDocs.MiningFilters, "activities", "paths"])
            .WithSummary("The process map laid out by Graphviz dot: edge thickness by frequency, colour by median delay.");
        v1.MapGet("/variants", VariantsAsync).WithName("MiningVariants").WithQuery([.. QueryDocs.MiningFilters, "limit"])
            .WithSummary("Trace variants, most frequent first, with counts and shares.");
        v1.MapGet("/discover", DiscoverAsync).WithName("MiningDiscover").WithQuery([.. QueryDocs.MiningFilters, "noise"])
            .WithSummary("Inductive Miner (IM at noise 0, IMf above): the process tree and its Petri net (JSON and PNML).");
        v1.MapGet("/model.pnml", ModelPnmlAsync).WithName("MiningModelPnml").WithQuery([.. QueryDocs.MiningFilters, "noise"])
            .WithSummary("The discovered Petri net as PNML (initial and final markings, silent transitions as PM4Py writes them).");
        v1.MapMethods("/conformance", ["GET", "POST"], ConformanceAsync).ReadsOnly().WithName("MiningConformance").WithQuery([.. QueryDocs.MiningFilters, "noise", "variants"])
            .WithSummary("Token replay, alignments, both precisions and the deviations ranked by customers touched, against a PNML net in the body or the discovered one.");
        v1.MapMethods("/conformance/over-time", ["GET", "POST"], OverTimeAsync).ReadsOnly().WithName("MiningConformanceOverTime").WithQuery([.. QueryDocs.MiningFilters, "noise", "by"])
            .WithSummary("Fitness and deviations per day (by=day) or per app version (by=version).");
        v1.MapGet("/log.xes", ExportXesAsync).WithName("MiningExportXes").WithQuery([.. QueryDocs.MiningFilters, "gzip"])
            .WithSummary("The event log as XES (IEEE 1849), gzip-compressed with gzip=true.");
        v1.MapPost("/logs", UploadAsync).RequireAuthorization(p => p.RequireRole(Roles.Editors)).WithName("MiningUploadLog")
            .WithSummary("Uploads an XES log (plain or gzip); analyse it with log=<id> on every mining endpoint.");
        v1.MapGet("/logs", (UploadedLogs logs) => TypedResults.Ok(logs.All().Select(UploadedLogDto.From).ToList()))
            .WithName("MiningListLogs").WithSummary("The uploaded logs kept in memory.");
        return app;
    }

    private static async Task<IResult> MapAsync(HttpContext http, MiningLogs logs, TimeProvider clock, CancellationToken ct)
    {
        var q = new MiningQuery(http.Request.Query, clock);
        var activities = q.Share("activities", 1);
        var paths = q.Share("paths", 1);
        var (log, problem) = await LogAsync(q, logs, ct);
        return problem ?? TypedResults.Ok(MapDto.From(ProcessMap.Build(log!, activities, paths), activities, paths));
    }

    private static async Task<IResult> MapSvgAsync(HttpContext http, MiningLogs logs, ProcessMapRenderer renderer, TimeProvider clock, CancellationToken ct)
    {
        var q = new MiningQuery(http.Request.Query, clock);
        var activities = q.Share("activities", 1);
        var paths = q.Share("paths", 1);
        var (log, problem) = await LogAsync(q, logs, ct);
        if (problem is not null)
        {
            return problem;
        }
        var svg = await renderer.RenderAsync(ProcessMap.Build(log!, activities, paths), ct);
        return svg is null
            ? Problems.Create(StatusCodes.Status503ServiceUnavailable, "No layout engine", "Graphviz dot is not installed on the server (apt-get install graphviz); the map is still at /v1/mining/map as JSON.")
            : Results.Text(svg, "image/svg+xml", Encoding.UTF8);
    }

    private static async Task<IResult> VariantsAsync(HttpContext http, MiningLogs logs, TimeProvider clock, CancellationToken ct)
    {
        var q = new MiningQuery(http.Request.Query, clock);
        var limit = q.Whole("limit", 50, 1, 10_000);
        var (log, problem) = await LogAsync(q, logs, ct);
        if (problem is not null)
        {
            return problem;
        }
        var variants = TraceVariants.Compute(log!);
        return TypedResults.Ok(new VariantsDto(variants.CaseCount, variants.Variants.Count,
            [.. variants.Variants.Take(limit).Select((v, i) => new VariantDto(i + 1, v.Activities, v.Count, v.Share))]));
    }

    private static async Task<IResult> DiscoverAsync(HttpContext http, MiningLogs logs, TimeProvider clock, CancellationToken ct)
    {
        var q = new MiningQuery(http.Request.Query, clock);
        var noise = q.Share("noise", 0);
        var (log, problem) = await LogAsync(q, logs, ct);
        return problem ?? TypedResults.Ok(MiningAnalysis.Discover(log!, noise));
    }

    private static async Task<IResult> ModelPnmlAsync(HttpContext http, MiningLogs logs, TimeProvider clock, CancellationToken ct)
    {
        var q = new MiningQuery(http.Request.Query, clock);
        var noise = q.Share("noise", 0);
        var (log, problem) = await LogAsync(q, logs, ct);
        if (problem is not null)
        {
            return problem;
        }
        var net = ProcessTreeToPetriNet.Convert(InductiveMiner.Discover(log!, new InductiveMinerOptions { NoiseThreshold = noise }));
        return Results.File(Encoding.UTF8.GetBytes(PnmlWriter.WriteToString(net)), "application/xml", "model.pnml");
    }

    private static async Task<IResult> ConformanceAsync(HttpContext http, MiningLogs logs, MiningModels models, MiningAnalysis analysis, TimeProvider clock, CancellationToken ct)
    {
        var q = new MiningQuery(http.Request.Query, clock);
        var top = q.Whole("variants", 20, 0, 1000);
        var (log, problem) = await LogAsync(q, logs, ct);
        if (problem is not null)
        {
            return problem;
        }
        var (net, name, modelProblem) = await models.ResolveAsync(http, q, log!, ct);
        return modelProblem ?? TypedResults.Ok(analysis.Check(log!, net!, name, top, ct));
    }

    private static async Task<IResult> OverTimeAsync(HttpContext http, MiningLogs logs, MiningModels models, MiningAnalysis analysis, TimeProvider clock, CancellationToken ct)
    {
        var q = new MiningQuery(http.Request.Query, clock);
        var by = q.Text("by")?.ToLowerInvariant() ?? "day";
        if (by is not ("day" or "version"))
        {
            q.Errors.Add("by: day or version");
        }
        var (log, problem) = await LogAsync(q, logs, ct);
        if (problem is not null)
        {
            return problem;
        }
        var (net, name, modelProblem) = await models.ResolveAsync(http, q, log!, ct);
        return modelProblem ?? TypedResults.Ok(analysis.OverTime(log!, net!, name, by == "version", ct));
    }

    private static async Task<IResult> ExportXesAsync(HttpContext http, MiningLogs logs, TimeProvider clock, CancellationToken ct)
    {
        var q = new MiningQuery(http.Request.Query, clock);
        var gzip = q.Bool("gzip") ?? false;
        var (log, problem) = await LogAsync(q, logs, ct);
        if (problem is not null)
        {
            return problem;
        }
        var buffer = new MemoryStream();
        XesWriter.Write(log!, buffer, gzip);
        return Results.File(buffer.ToArray(), gzip ? "application/gzip" : "application/xml", gzip ? "log.xes.gz" : "log.xes");
    }

    private static async Task<IResult> UploadAsync(HttpContext http, UploadedLogs uploads, IOptions<MiningOptions> options, CancellationToken ct)
    {
        var limit = options.Value.MaxUploadBytes;
        var bytes = await BodyReader.ReadAsync(http.Request.BodyReader, limit, ct);
        if (bytes is null)
        {
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, "Log too large", $"An uploaded log is at most {limit} bytes (Waymark:Mining:MaxUploadBytes).");
        }
        if (bytes.Length == 0)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "No log", "Send the XES file (plain or gzip) as the request body.");
        }
        EventLog log;
        try
        {
            log = XesReader.Read(new MemoryStream(bytes));
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or System.Xml.XmlException)
        {
            return MalformedProblem("XES", e);
        }
        var name = http.Request.Query["name"].ToString() is { Length: > 0 } n ? n : "upload.xes";
        var entry = uploads.Add(name, log);
        return TypedResults.Created($"/v1/mining/map?log={entry.Id}", UploadedLogDto.From(entry));
    }

    internal static IResult MalformedProblem(string format, Exception e) =>
        Problems.Create(StatusCodes.Status400BadRequest, $"Malformed {format}", e.Message,
            ("line", e is XesFormatException x && x.LineNumber > 0 ? x.LineNumber : null),
            ("position", e is XesFormatException y && y.LinePosition > 0 ? y.LinePosition : null));

    private static async Task<(EventLog? Log, IResult? Problem)> LogAsync(MiningQuery q, MiningLogs logs, CancellationToken ct)
    {
        if (q.Errors.Count > 0)
        {
            return (null, Problems.Create(StatusCodes.Status400BadRequest, "Invalid query", string.Join("; ", q.Errors)));
        }
        var log = await logs.GetAsync(q, ct);
        return log is null
            ? (null, Problems.Create(StatusCodes.Status404NotFound, "No such log", $"No uploaded log '{q.LogId}' (uploads are kept in memory until a restart; upload it again with POST /v1/mining/logs)."))
            : (log, null);
    }
}
