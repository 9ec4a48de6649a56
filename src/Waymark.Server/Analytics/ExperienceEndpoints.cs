using Waymark.Server.Accounts;
using Waymark.Server.Http;
using Waymark.Server.Store;

namespace Waymark.Server.Analytics;

public sealed record SegmentBody(string? Query);

public sealed record SegmentDto(string Name, string Query, string Author, DateTimeOffset Saved);

public sealed record DigestSent(IReadOnlyList<string> To, string Answer);

/// <summary>
/// /v1/experience: satisfaction, pages, speed, errors and third parties of an
/// app over a range and a segment (or a saved one), as JSON or, with
/// <c>format=csv</c>, as the part's table; the digest; saved segments and noise marks.
/// </summary>
public static class ExperienceEndpoints
{
    public static IServiceCollection AddExperience(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<ExperienceOptions>().Bind(config);
        services.AddOptions<DigestOptions>().Bind(config.GetSection("Digest"));
        services.AddSingleton<ExperienceService>();
        services.AddSingleton<DigestService>();
        services.AddHostedService<DigestScheduler>();
        return services;
    }

    public static IEndpointRouteBuilder MapExperience(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1/experience").WithTags("Experience");
        var edit = Roles.Editors;
        string[] scoped = ["app", "from", "to", "segment", "format", .. Segment.Fields];
        const string Scope = " Query: app (required), from, to (default the last 14 days), segment (a saved one), and the segment fields channel, version, browser, os, device, country, touchpoint, visitor (new|returning), identified (yes|no), prop (key:value).";
        v1.MapGet("", (HttpContext h, ExperienceService s, CancellationToken ct) => PartAsync(h, s, r => r, null, ct))
            .WithName("Experience").WithQuery([.. scoped]).WithSummary("The whole experience report." + Scope);
        v1.MapGet("/satisfaction", (HttpContext h, ExperienceService s, CancellationToken ct) => PartAsync(h, s, r => r.Satisfaction, r => h.Request.Query["table"].ToString() switch
        {
            "groups" => ExperienceCsv.Groups(r.Satisfaction),
            "apdex" => ExperienceCsv.Apdex(r.Satisfaction),
            _ => ExperienceCsv.Satisfaction(r.Satisfaction),
        }, ct)).WithName("Satisfaction").WithQuery([.. scoped, "table"]).WithSummary("Experience shares per day (the days that moved marked), per hour and per group; Apdex per action, page, app and channel. CSV: table=days|groups|apdex." + Scope);
        v1.MapGet("/pages", (HttpContext h, ExperienceService s, CancellationToken ct) => PartAsync(h, s, r => r.Pages, r => ExperienceCsv.Pages(r.Pages), ct))
            .WithName("Pages").WithQuery([.. scoped]).WithSummary("Per page or screen: views, load p50/p75/p95, web vitals p75 with rating shares (mobile and desktop apart), time on page, bounce, exit rate, errors per view." + Scope);
        v1.MapGet("/speed", (HttpContext h, ExperienceService s, CancellationToken ct) => PartAsync(h, s, r => r.Speed, r => ExperienceCsv.Speed(r.Speed), ct))
            .WithName("Speed").WithQuery([.. scoped]).WithSummary("Conversion by landing-page load time and the change in conversion per extra 100 ms with its 95 % interval (logistic regression, docs/experience.md), beside 100 ms = 1 %." + Scope);
        v1.MapGet("/errors", (HttpContext h, ExperienceService s, CancellationToken ct) => PartAsync(h, s,
            r => h.Request.Query["noise"] == "include" ? r.Errors : r.Errors.Where(e => !e.Noise).ToList(), r => ExperienceCsv.Errors(r.Errors), ct))
            .WithName("Errors").WithQuery([.. scoped, "noise"]).WithSummary("Error groups by fingerprint, the ones that cost the most conversions first; noise=include lists the ones marked as noise too." + Scope);
        v1.MapGet("/errors/{fingerprint}", async (string fingerprint, HttpContext h, ExperienceService s, CancellationToken ct) =>
        {
            var errors = new List<string>();
            if (await s.ScopeAsync(h.Request, errors, ct) is not { } scope)
            {
                return Bad(errors);
            }
            var report = await s.ReportAsync(scope, ct);
            return report.Errors.FirstOrDefault(e => e.Fingerprint == fingerprint) is { } row
                ? Results.Ok(row)
                : Problems.Create(404, "No such error", $"No error with fingerprint '{fingerprint}' in this range and segment.");
        }).WithName("Error").WithQuery([.. scoped]).WithSummary("One error group: first and last seen, occurrences, sessions, customers, versions, browsers, its cost and example sessions." + Scope);
        v1.MapGet("/third-parties", (HttpContext h, ExperienceService s, CancellationToken ct) => PartAsync(h, s, r => r.ThirdParties, r => ExperienceCsv.ThirdParties(r.ThirdParties), ct))
            .WithName("ThirdParties").WithQuery([.. scoped]).WithSummary("Third-party hosts and endpoints: calls, failure rate, p50/p95/p99, sessions touched and hurt, their conversion, the cost, the daily trend." + Scope);
        v1.MapPut("/errors/{fingerprint}/noise", (string fingerprint, string? app, HttpContext h, IExperienceSettings settings, ExperienceService s, TimeProvider clock, CancellationToken ct) =>
            MarkAsync(fingerprint, app, true, h, settings, s, clock, ct)).RequireAuthorization(p => p.RequireRole(edit))
            .WithName("MarkNoise").WithSummary("Marks an error group as known noise (?app=): hidden from rankings and digests.");
        v1.MapDelete("/errors/{fingerprint}/noise", (string fingerprint, string? app, HttpContext h, IExperienceSettings settings, ExperienceService s, TimeProvider clock, CancellationToken ct) =>
            MarkAsync(fingerprint, app, false, h, settings, s, clock, ct)).RequireAuthorization(p => p.RequireRole(edit))
            .WithName("UnmarkNoise").WithSummary("Takes the noise mark off an error group (?app=).");
        v1.MapGet("/digest", async (string? app, string? format, DateTimeOffset? end, DigestService digests, CancellationToken ct) =>
        {
            if (string.IsNullOrEmpty(app))
            {
                return Bad(["app: required"]);
            }
            var d = await digests.BuildAsync(app, end, ct);
            return format switch
            {
                "html" => Results.Content(Digest.Html(d), "text/html; charset=utf-8"),
                "text" => Results.Text(Digest.Text(d)),
                _ => Results.Ok(new { d.App, d.From, d.To, d.Title, d.Lines, Trend = d.Trend.Select(t => new { t.Day, t.Sessions, t.Satisfied, t.Frustrated }) }),
            };
        }).WithName("Digest").WithSummary("The CX digest of the 24 hours that end at 'end' (default now): what moved, the biggest drop and its likely causes. format=html|text|json.");
        v1.MapPost("/digest/send", async (string? app, string? to, DateTimeOffset? end, DigestService digests, Microsoft.Extensions.Options.IOptions<DigestOptions> o, CancellationToken ct) =>
        {
            var recipients = to is { Length: > 0 } ? to.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() : o.Value.To;
            var errors = new List<string>();
            if (string.IsNullOrEmpty(app))
            {
                errors.Add("app: required");
            }
            if (recipients.Count == 0)
            {
                errors.Add("to: give recipients or configure Waymark:Experience:Digest:To");
            }
            errors.AddRange(recipients.Where(r => !MimeKit.MailboxAddress.TryParse(r, out _) || !r.Contains('@', StringComparison.Ordinal)).Select(r => $"to: '{r}' is not an e-mail address"));
            if (errors.Count > 0)
            {
                return Bad(errors);
            }
            var d = await digests.BuildAsync(app!, end, ct);
            try
            {
                return Results.Ok(new DigestSent(recipients, await digests.SendAsync(d, recipients, ct)));
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or MailKit.ProtocolException or MailKit.CommandException or System.Net.Sockets.SocketException)
            {
                return Problems.Create(502, "Not sent", "The digest could not be sent: " + e.Message);
            }
        }).RequireAuthorization(p => p.RequireRole(edit)).WithName("SendDigest").WithSummary("Mails the digest now (?app=, to= a comma-separated list, else the configured recipients).");
        app.MapSegments(edit);
        return app;
    }

    private static void MapSegments(this IEndpointRouteBuilder app, string[] edit)
    {
        var v1 = app.MapGroup("/v1/segments").WithTags("Experience");
        v1.MapGet("", async (string? app, IExperienceSettings settings, CancellationToken ct) => string.IsNullOrEmpty(app)
            ? Bad(["app: required"])
            : Results.Ok((await settings.ListSettingsAsync(app, SettingKinds.Segment, ct)).Select(s => new SegmentDto(s.Key, s.Value, s.Author, s.Saved))))
            .WithName("Segments").WithSummary("The app's saved segments (?app=).");
        v1.MapPut("/{name}", async (string name, string? app, SegmentBody body, HttpContext h, IExperienceSettings settings, ExperienceService s, TimeProvider clock, CancellationToken ct) =>
        {
            var errors = new List<string>();
            if (string.IsNullOrEmpty(app))
            {
                errors.Add("app: required");
            }
            if (name.Length is 0 or > 80 || name.Any(char.IsControl))
            {
                errors.Add("name: 1 to 80 characters, no control characters");
            }
            var segment = Segment.FromQuery(body.Query ?? "", errors);
            if (errors.Count > 0)
            {
                return Bad(errors);
            }
            var saved = new StoredSetting(app!, SettingKinds.Segment, name, segment.ToQuery(), h.User.Identity?.Name ?? "api", clock.GetUtcNow());
            await settings.SaveSettingAsync(saved, ct);
            s.Invalidate(app!);
            return Results.Ok(new SegmentDto(saved.Key, saved.Value, saved.Author, saved.Saved));
        }).RequireAuthorization(p => p.RequireRole(edit)).WithName("SaveSegment").WithSummary("Saves a segment under a name (?app=; body {\"query\": \"browser=Safari&device=mobile\"}).");
        v1.MapDelete("/{name}", async (string name, string? app, HttpContext h, IExperienceSettings settings, TimeProvider clock, CancellationToken ct) =>
            string.IsNullOrEmpty(app) ? Bad(["app: required"])
            : await settings.RemoveSettingAsync(app, SettingKinds.Segment, name, h.User.Identity?.Name ?? "api", clock.GetUtcNow(), ct)
                ? Results.NoContent()
                : Problems.Create(404, "No such segment", $"No saved segment '{name}' in app '{app}'."))
            .RequireAuthorization(p => p.RequireRole(edit)).WithName("DeleteSegment").WithSummary("Removes a saved segment (?app=).");
    }

    private static async Task<IResult> PartAsync(HttpContext h, ExperienceService s, Func<ExperienceReport, object> part, Func<ExperienceReport, string>? csv, CancellationToken ct)
    {
        var errors = new List<string>();
        var format = h.Request.Query["format"].ToString();
        if (format is not ("" or "json" or "csv") || (format == "csv" && csv is null))
        {
            errors.Add(csv is null ? "format: json" : "format: json or csv");
        }
        if (await s.ScopeAsync(h.Request, errors, ct) is not { } scope || errors.Count > 0)
        {
            return Bad(errors);
        }
        var report = await s.ReportAsync(scope, ct);
        return format == "csv"
            ? Results.Text(csv!(report), "text/csv; charset=utf-8")
            : Results.Ok(part(report));
    }

    private static async Task<IResult> MarkAsync(string fingerprint, string? app, bool noise, HttpContext h, IExperienceSettings settings, ExperienceService s, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(app) || fingerprint.Length is 0 or > 64)
        {
            return Bad([string.IsNullOrEmpty(app) ? "app: required" : "fingerprint: 1 to 64 characters"]);
        }
        var who = h.User.Identity?.Name ?? "api";
        if (noise)
        {
            await settings.SaveSettingAsync(new StoredSetting(app, SettingKinds.Noise, fingerprint, "", who, clock.GetUtcNow()), ct);
        }
        else
        {
            await settings.RemoveSettingAsync(app, SettingKinds.Noise, fingerprint, who, clock.GetUtcNow(), ct);
        }
        s.Invalidate(app);
        return Results.Ok(new { fingerprint, noise });
    }

    private static IResult Bad(IReadOnlyList<string> errors) =>
        Problems.Create(400, "Bad request", string.Join("; ", errors), ("errors", errors));
}
