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

    private static async Task<IResult> ExportAsync(string id, string? app, HttpContext http, ICustomerData data, IAuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        if (Parse(id, app) is { } bad)
        {
            return bad;
        }
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        var doc = await data.ExportCustomerAsync(app!, id[..colon], id[(colon + 1)..], ct);
        if (doc is null)
        {
            return NotFound(id, app!);
        }
        doc["exported"] = clock.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        await audit.AddAuditAsync(new AuditEntry(clock.GetUtcNow(), Actor(http), "exported", app!, id, null), ct);
        return Results.Text(doc.ToJsonString(), "application/json");
    }

    private static async Task<IResult> EraseAsync(string id, string? app, HttpContext http, ICustomerData data, IAuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        if (Parse(id, app) is { } bad)
        {
            return bad;
        }
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        var receipt = await data.EraseCustomerAsync(app!, id[..colon], id[(colon + 1)..], clock.GetUtcNow(), ct);
        if (receipt is null)
        {
            return NotFound(id, app!);
        }
        var rows = string.Join(", ", receipt.RowsRemoved.Select(kv => $"{kv.Key} {kv.Value}"));
        await audit.AddAuditAsync(new AuditEntry(receipt.At, Actor(http), "erased", app!, id, rows), ct);
        return TypedResults.Ok(receipt);
    }

    internal static string Actor(HttpContext http) => http.User.Identity?.Name ?? "unknown";

    private static IResult? Parse(string id, string? app)
    {
        if (string.IsNullOrEmpty(app))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid query", "app: required");
        }
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 || colon == id.Length - 1
            ? Problems.Create(StatusCodes.Status400BadRequest, "Invalid customer id", "A customer id is kind:key as GET /v1/customers answers it, e.g. user:3f2a….")
            : null;
    }

    private static IResult NotFound(string id, string app) =>
        Problems.Create(StatusCodes.Status404NotFound, "No such customer", $"No visitor of app '{app}' is linked to '{id}'.");
}
