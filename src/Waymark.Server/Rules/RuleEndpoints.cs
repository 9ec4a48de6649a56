using System.Globalization;
using Waymark.Core.Rules;
using Waymark.Server.Accounts;
using Waymark.Server.Apps;
using Waymark.Server.Http;
using Waymark.Server.Store;

namespace Waymark.Server.Rules;

/// <summary>A rule as the API lists it.</summary>
public sealed record RuleDto(
    string Id, int Version, string? Description, bool Enabled, int Priority, double Holdout, string Pattern,
    int? CapPerSession, int? CapPerDay, long AttributionWindowSeconds, IReadOnlyList<RuleActionDto> Actions, int Line)
{
    public static RuleDto From(Rule r) => new(r.Id, r.Version, r.Description, r.Enabled, r.Priority, r.Holdout, r.PatternKind,
        r.Caps.PerSession, r.Caps.PerDay, (long)r.AttributionWindow.TotalSeconds,
        [.. r.Actions.Select(a => new RuleActionDto(a.Type, a.Params, ConsentLevels.Name(a.Consent)))], r.Line);
}

public sealed record RuleActionDto(string Type, IReadOnlyDictionary<string, string> Params, string Consent);

/// <summary>An app's rule document and its rules.</summary>
public sealed record RuleDocumentDto(string App, long Revision, string Author, DateTimeOffset Saved, string Text, IReadOnlyList<RuleDto> Rules);

/// <summary>A firing with what happened to it.</summary>
public sealed record FiringDto(RuleFiring Firing, IReadOnlyList<RuleFiringEvent> Events);

/// <summary>/v1/rules: an app's rule document (YAML or JSON) read, checked, saved, deleted; per rule its history and its proof.</summary>
public static class RuleEndpoints
{
    public static IEndpointRouteBuilder MapRuleEndpoints(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1/rules").WithTags("Rules");
        var edit = new[] { Roles.Developer, Roles.Admin };
        v1.MapGet("", Get).WithName("GetRules").WithSummary("An app's rule document (?app=) and the rules it defines.");
        v1.MapPut("", SaveAsync).WithName("SaveRules").RequireAuthorization(p => p.RequireRole(edit))
            .WithSummary("Replaces an app's rule document (?app=; body YAML or JSON). A document that does not parse or names something unknown is refused whole: 400 with every error's line, column, path and reason.");
        v1.MapPost("/check", Check).ReadsOnly().WithName("CheckRules").WithSummary("Checks a rule document (?app=; body YAML or JSON) without saving it.");
        v1.MapDelete("", DeleteAsync).WithName("DeleteRules").RequireAuthorization(p => p.RequireRole(edit)).WithSummary("Removes an app's rules (?app=): a revision that deletes.");
        v1.MapGet("/revisions", RevisionsAsync).WithName("RuleRevisions").WithSummary("Every saved revision of an app's rule document (?app=), newest first.");
        v1.MapGet("/{id}", GetRule).WithName("GetRule").WithSummary("One rule of an app (?app=).");
        v1.MapGet("/{id}/history", HistoryAsync).WithName("RuleHistory")
            .WithSummary("A rule's firings, newest first (?app=, from, to, customer, limit): matched with its outcome (fired, held-out, capped, suppressed, no-consent) and reason, then delivered, failed, shown, accepted.");
        v1.MapGet("/{id}/proof", ProofAsync).WithName("RuleProof")
            .WithSummary("A rule's proof (?app=, from, to; default the last 30 days): conversion of acted-on against held-out customers within the rule's attribution window, the uplift with its 95 % interval.");
        return app;
    }

    private static IResult Get(string? app, RuleBook book)
    {
        if (string.IsNullOrEmpty(app))
        {
            return AppRequired();
        }
        return book.Find(app) is { } r ? TypedResults.Ok(Dto(r.Document, r.Set)) : NoRules(app);
    }

    private static async Task<IResult> SaveAsync(HttpContext http, string? app, AppRegistry apps, RuleDocuments documents, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(app))
        {
            return AppRequired();
        }
        if (apps.Find(app) is null)
        {
            return Problems.Create(StatusCodes.Status404NotFound, "No such app", $"No app '{app}' is configured.");
        }
        var text = await new StreamReader(http.Request.Body).ReadToEndAsync(cancellationToken);
        var (parsed, saved) = await documents.SaveAsync(app, text, http.User.Identity?.Name ?? "?", cancellationToken);
        return saved is null ? Refused(parsed) : TypedResults.Ok(Dto(saved, parsed.Rules!));
    }

    private static async Task<IResult> Check(HttpContext http, RuleBook book, CancellationToken cancellationToken)
    {
        var parsed = book.Parse(await new StreamReader(http.Request.Body).ReadToEndAsync(cancellationToken));
        return parsed.Rules is null ? Refused(parsed) : TypedResults.Ok(new { rules = parsed.Rules.Rules.Select(RuleDto.From).ToList() });
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, string? app, RuleDocuments documents, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(app))
        {
            return AppRequired();
        }
        return await documents.DeleteAsync(app, http.User.Identity?.Name ?? "?", cancellationToken) ? Results.NoContent() : NoRules(app);
    }

    private static async Task<IResult> RevisionsAsync(string? app, IRuleStore store, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(app) ? AppRequired() : TypedResults.Ok(await store.ListRuleRevisionsAsync(app, cancellationToken));

    private static IResult GetRule(string id, string? app, RuleBook book)
    {
        if (string.IsNullOrEmpty(app))
        {
            return AppRequired();
        }
        return FindRule(book, app, id) is { } rule ? TypedResults.Ok(RuleDto.From(rule)) : NoRule(app, id);
    }

    private static async Task<IResult> HistoryAsync(
        string id, string? app, DateTimeOffset? from, DateTimeOffset? to, string? customer, int? limit, IRuleHistory history, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(app))
        {
            return AppRequired();
        }
        var firings = await history.ListFiringsAsync(new RuleFiringQuery(app, id, from, to, customer, Math.Clamp(limit ?? 100, 1, 1000)), cancellationToken);
        var events = (await history.ListFiringEventsAsync(app, [.. firings.Select(f => f.FiringId)], cancellationToken)).ToLookup(e => e.FiringId);
        return TypedResults.Ok(firings.Select(f => new FiringDto(f, [.. events[f.FiringId]])).ToList());
    }

    private static async Task<IResult> ProofAsync(
        string id, string? app, DateTimeOffset? from, DateTimeOffset? to, RuleBook book, IRuleHistory history, ISessionEvents sessions, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(app))
        {
            return AppRequired();
        }
        var rule = FindRule(book, app, id);
        if (rule is null)
        {
            return NoRule(app, id);
        }
        var end = to ?? clock.GetUtcNow();
        var start = from ?? end.AddDays(-30);
        if (start >= end)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid query", "from: must be before to");
        }
        return TypedResults.Ok(await RuleProof.ComputeAsync(history, sessions, app, id, rule.AttributionWindow, start, end, cancellationToken));
    }

    internal static Rule? FindRule(RuleBook book, string app, string id) => book.Find(app)?.Set.Rules.FirstOrDefault(r => r.Id == id);

    private static RuleDocumentDto Dto(StoredRuleDocument d, RuleSet set) =>
        new(d.App, d.Revision, d.Author, d.Saved, d.Text, [.. set.Rules.Select(RuleDto.From)]);

    /// <summary>400 naming every error: the first in the detail, all in <c>errors</c> (line, column, path, message).</summary>
    private static IResult Refused(RuleParseResult parsed) =>
        Problems.Create(StatusCodes.Status400BadRequest, "Invalid rules",
            parsed.Errors.Count == 1 ? parsed.Errors[0].ToString() : parsed.Errors[0] + " (and " + (parsed.Errors.Count - 1).ToString(CultureInfo.InvariantCulture) + " more)",
            ("errors", parsed.Errors.Select(e => new { line = e.Line, column = e.Column, path = e.Path, message = e.Message }).ToList()));

    private static IResult AppRequired() => Problems.Create(StatusCodes.Status400BadRequest, "Invalid query", "app: required");

    private static IResult NoRules(string app) => Problems.Create(StatusCodes.Status404NotFound, "No rules", $"App '{app}' has no rules.");

    private static IResult NoRule(string app, string id) => Problems.Create(StatusCodes.Status404NotFound, "No such rule", $"App '{app}' has no rule '{id}'.");
}
