using Microsoft.Extensions.Options;
using Waymark.Core.Identity;
using Waymark.Core.Sessions;
using Waymark.Server.Store;
using Waymark.Server.Http;
using Waymark.Server.Privacy;
using Waymark.Server.Ingest;

namespace Waymark.Server.Query;

public sealed record LinkDto(string Id, string Kind, string Key, string Visitor, string? Session, string Channel, string Source,
    DateTimeOffset At, bool Undone, DateTimeOffset? UndoneAt, string? UndoneReason)
{
    public static LinkDto From(LinkInfo l) => new(l.Id, l.Kind, l.Key, l.Visitor, l.Session, l.Channel, l.Source, l.At, l.UndoneAt is not null, l.UndoneAt, l.UndoneReason);
}

public sealed record CustomerDto(string Id, string App, IReadOnlyList<string> Channels, IReadOnlyList<LinkDto> Links, IReadOnlyList<SessionDto> Sessions);

public sealed record UndoRequest(string? Reason);

/// <summary>One customer across channels, and undoing a link.</summary>
public static class CustomerEndpoints
{
    public static IEndpointRouteBuilder MapCustomers(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").WithTags("Customers");
        v1.MapGet("/customers", GetCustomerAsync).WithQuery("app", "user", "email", "phone", "loyalty", "hashed")
            .WithName("GetCustomer")
            .WithSummary("One customer's journey: every session of every linked visitor, across channels, in time order. Name the customer by user, email, phone or loyalty (hashed=true when the value is already a SHA-256).");
        v1.MapPost("/links/{id}/undo", UndoLinkAsync)
            .WithName("UndoLink")
            .WithSummary("Undo one identity link: the sessions it brought leave the customer. The link stays, marked undone.");
        return app;
    }

    private static async Task<IResult> GetCustomerAsync(
        HttpContext http, IIdentityLinks customers, Enricher enricher, CustomerRights rights, CancellationToken cancellationToken)
    {
        var q = http.Request.Query;
        var app = q["app"].ToString();
        if (app.Length == 0)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid query", "app: required");
        }
        var named = IdentityKeys.Kinds.Where(k => q[k].ToString().Length > 0).ToList();
        if (named.Count != 1)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid query", "Name the customer by exactly one of user, email, phone, loyalty.");
        }
        var kind = named[0];
        var hashed = string.Equals(q["hashed"], "true", StringComparison.OrdinalIgnoreCase);
        var key = enricher.IdentityKey(kind, q[kind].ToString(), hashed);
        if (key is null)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid query", $"{kind}: a hashed value must be the 64 lower-case hex digits of a SHA-256.");
        }
        var journey = await customers.GetCustomerAsync(app, kind, key, cancellationToken);
        if (journey is null)
        {
            return Problems.Create(StatusCodes.Status404NotFound, "No such customer", $"No visitor of app '{app}' was ever linked to that {kind}.");
        }
        await rights.ViewedAsync(http.User.Identity?.Name ?? "unknown", app, journey.Id, "api", cancellationToken);
        return TypedResults.Ok(new CustomerDto(
            journey.Id, app,
            [.. journey.Sessions.Select(s => s.Channel).Distinct()],
            [.. journey.Links.Select(LinkDto.From)],
            [.. journey.Sessions.Select(s => SessionDto.From(s))]));
    }

    private static async Task<IResult> UndoLinkAsync(
        string id, string? app, UndoRequest? body, IIdentityLinks customers, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(app))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid query", "app: required");
        }
        var link = await customers.UndoLinkAsync(app, id, body?.Reason, clock.GetUtcNow(), cancellationToken);
        return link is null
            ? Problems.Create(StatusCodes.Status404NotFound, "No such link", $"No link '{id}' in app '{app}'.")
            : TypedResults.Ok(LinkDto.From(link));
    }
}
