using Waymark.Server.Accounts;
using System.Reflection;
using Waymark.Core.JourneyMaps;
using Waymark.Server.Http;
using Waymark.Server.Store;

namespace Waymark.Server.Funnels;

public sealed record JourneyMapInfoDto(string Id, string Goal, int Version, string Author, DateTimeOffset Saved);

/// <summary>/v1/journey-maps: versioned maps per app, imported and exported as YAML or JSON (docs/journey-maps.md).</summary>
public static class JourneyMapEndpoints
{
    /// <summary>The demo map every app is offered until it saves its own under that id.</summary>
    public const string DemoId = "book-a-holiday";

    private static readonly Lazy<string> s_demo = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Waymark.Server.JourneyMaps.book-a-holiday.yaml")
            ?? throw new InvalidOperationException("The demo journey map is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The YAML text of the demo map "book a holiday".</summary>
    public static string DemoYaml => s_demo.Value;

    public static IEndpointRouteBuilder MapJourneyMaps(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1/journey-maps").WithTags("Journey maps");
        v1.MapGet("", ListAsync).WithName("ListJourneyMaps").WithSummary("The latest version of every journey map of the app (the demo map 'book-a-holiday' is offered until the app has its own).");
        v1.MapPost("", ImportAsync).RequireAuthorization(p => p.RequireRole(Roles.Editors)).WithName("ImportJourneyMap").Accepts<string>("application/yaml", "application/json", "text/plain")
            .WithSummary("Import a map from its YAML or JSON document: saved as a new version of the map with the document's id. Errors name line, column and path.");
        v1.MapGet("/{id}", GetAsync).WithName("GetJourneyMap").WithSummary("A map (latest, or ?version=n) as JSON, or as its document with ?format=yaml or ?format=json (export).");
        v1.MapPut("/{id}", SaveAsync).RequireAuthorization(p => p.RequireRole(Roles.Editors)).WithName("SaveJourneyMap").Accepts<string>("application/yaml", "application/json", "text/plain")
            .WithSummary("Save a changed map (YAML or JSON document; its id must be the path's): a new version.");
        v1.MapDelete("/{id}", DeleteAsync).RequireAuthorization(p => p.RequireRole(Roles.Editors)).WithName("DeleteJourneyMap").WithSummary("Delete a map; its versions stay readable by number.");
        v1.MapGet("/{id}/versions", VersionsAsync).WithName("JourneyMapVersions").WithSummary("Every version of a map, oldest first.");
        v1.MapGet("/{id}/overlay", JourneyOverlay.GetAsync).WithName("JourneyMapOverlay")
            .WithSummary("The measured journeys over the map: per touchpoint volume, time there against the expected duration, bounce, experience and errors; stuck touchpoints flagged with why.");
        return app;
    }

    /// <summary>The map (latest or by version), the demo map when the app has never saved one under its id.</summary>
    public static async Task<JourneyMap?> LoadAsync(IJourneyMaps maps, string app, string id, int? version, TimeProvider clock, CancellationToken ct)
    {
        var stored = await maps.GetJourneyMapAsync(app, id, version, ct);
        if (stored is null && id == DemoId && version is null or 1 && (await maps.ListJourneyMapVersionsAsync(app, id, ct)).Count == 0)
        {
            return JourneyMapReader.Read(DemoYaml).Map;
        }
        return stored is null ? null : JourneyMapReader.Read(stored.Document).Map! with { Version = stored.Version };
    }

    private static async Task<IResult> ListAsync(string? app, IJourneyMaps maps, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(app))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid query", "app: required");
        }
        var list = (await maps.ListJourneyMapsAsync(app, ct)).Select(m => new JourneyMapInfoDto(m.Id, m.Goal, m.Version, m.Author, m.Saved)).ToList();
        if (list.All(m => m.Id != DemoId) && (await maps.ListJourneyMapVersionsAsync(app, DemoId, ct)).Count == 0)
        {
            var demo = JourneyMapReader.Read(DemoYaml).Map!;
            list.Insert(0, new JourneyMapInfoDto(demo.Id, demo.Goal, demo.Version, "demo", DateTimeOffset.UnixEpoch));
        }
        return TypedResults.Ok(list);
    }

    private static async Task<IResult> GetAsync(string id, string? app, int? version, string? format, IJourneyMaps maps, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(app))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid query", "app: required");
        }
        var map = await LoadAsync(maps, app, id, version, clock, ct);
        if (map is null)
        {
            return Problems.Create(StatusCodes.Status404NotFound, "No such journey map", $"No map '{id}'{(version is null ? "" : " version " + version)} in app '{app}'.");
        }
        return format?.ToLowerInvariant() switch
        {
            "yaml" => TypedResults.Text(JourneyMapWriter.ToYaml(map), "application/yaml"),
            "json" => TypedResults.Text(JourneyMapWriter.ToJson(map), "application/json"),
            null => TypedResults.Text(JourneyMapWriter.ToJson(map), "application/json"),
            _ => Problems.Create(StatusCodes.Status400BadRequest, "Invalid query", "format: yaml or json"),
        };
    }

    private static Task<IResult> ImportAsync(HttpContext http, string? app, IJourneyMaps maps, TimeProvider clock, CancellationToken ct) =>
        WriteAsync(http, app, null, maps, clock, ct);

    private static Task<IResult> SaveAsync(string id, HttpContext http, string? app, IJourneyMaps maps, TimeProvider clock, CancellationToken ct) =>
        WriteAsync(http, app, id, maps, clock, ct);

    private static async Task<IResult> WriteAsync(HttpContext http, string? app, string? id, IJourneyMaps maps, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(app))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid query", "app: required");
        }
        using var reader = new StreamReader(http.Request.Body);
        var text = await reader.ReadToEndAsync(ct);
        if (text.Length > 1_000_000)
        {
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, "Map too large", "A journey-map document is at most 1 MB.");
        }
        var parsed = JourneyMapReader.Read(text);
        if (!parsed.Ok)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid journey map", string.Join("; ", parsed.Errors.Take(20)),
                ("errors", parsed.Errors.Select(e => new { e.Line, e.Column, e.Path, e.Message }).ToArray()));
        }
        var map = parsed.Map!;
        if (id is not null && map.Id != id)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid journey map", $"id: the document's id '{map.Id}' is not the path's '{id}'.");
        }
        var saved = await maps.SaveJourneyMapAsync(app, map.Id, map.Goal, JourneyMapWriter.ToJson(map), http.User.Identity?.Name ?? "api", clock.GetUtcNow(), ct);
        return TypedResults.Ok(new JourneyMapInfoDto(saved.Id, saved.Goal, saved.Version, saved.Author, saved.Saved));
    }

    private static async Task<IResult> DeleteAsync(string id, string? app, IJourneyMaps maps, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(app))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid query", "app: required");
        }
        return await maps.DeleteJourneyMapAsync(app, id, clock.GetUtcNow(), ct)
            ? TypedResults.NoContent()
            : Problems.Create(StatusCodes.Status404NotFound, "No such journey map", $"No map '{id}' in app '{app}'.");
    }

    private static async Task<IResult> VersionsAsync(string id, string? app, IJourneyMaps maps, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(app))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid query", "app: required");
        }
        return TypedResults.Ok((await maps.ListJourneyMapVersionsAsync(app, id, ct)).Select(m => new JourneyMapInfoDto(m.Id, m.Goal, m.Version, m.Author, m.Saved)));
    }
}
