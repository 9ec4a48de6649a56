using Waymark.Server.Accounts;
using Waymark.Server.Http;
using Waymark.Server.Store;

namespace Waymark.Server.Privacy;

/// <summary>A customer's rights (export, erasure) and the audit log, for admins.</summary>
public static class PrivacyEndpoints
{
    public static IEndpointRouteBuilder MapPrivacy(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/v1").WithTags("Privacy").RequireAuthorization(AccountsSetup.AdminPolicy);
        admin.MapGet("/customers/{id}/export", ExportAsync).WithName("ExportCustomer")
            .WithSummary("A customer's data as one JSON document (GDPR art. 15), admin. The id is a customer's id as GET /v1/customers gives it (kind:key).");
        admin.MapPost("/customers/{id}/erase", EraseAsync).WithName("EraseCustomer")
            .WithSummary("Erase a customer from every table and file (GDPR art. 17), admin; answers the receipt.");
        admin.MapGet("/admin/audit", async (string? customer, int? limit, IAuditLog audit, CancellationToken ct) =>
            TypedResults.Ok(await audit.ListAuditAsync(customer, limit ?? 200, ct)))
            .WithName("ListAudit").WithSummary("Who viewed, exported or erased which customer, newest first (admin).");
        return app;
    }

    private static async Task<IResult> ExportAsync(string id, string? app, HttpContext http, CustomerRights rights, CancellationToken ct)
    {
        if (Parse(id, app) is { } bad)
        {
            return bad;
        }
        return await rights.ExportAsync(Actor(http), app!, id, ct) is { } doc
            ? Results.Text(doc.ToJsonString(), "application/json")
            : NotFound(id, app!);
    }

    private static async Task<IResult> EraseAsync(string id, string? app, HttpContext http, CustomerRights rights, CancellationToken ct)
    {
        if (Parse(id, app) is { } bad)
        {
            return bad;
        }
        return await rights.EraseAsync(Actor(http), app!, id, ct) is { } receipt ? TypedResults.Ok(receipt) : NotFound(id, app!);
    }

    internal static string Actor(HttpContext http) => http.User.Identity?.Name ?? "unknown";

    private static IResult? Parse(string id, string? app)
    {
        if (string.IsNullOrEmpty(app))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid query", "app: required");
        }
        return !CustomerRights.IsCustomerId(id)
            ? Problems.Create(StatusCodes.Status400BadRequest, "Invalid customer id", "A customer id is kind:key as GET /v1/customers answers it, e.g. user:3f2a….")
            : null;
    }

    private static IResult NotFound(string id, string app) =>
        Problems.Create(StatusCodes.Status404NotFound, "No such customer", $"No visitor of app '{app}' is linked to '{id}'.");
}
