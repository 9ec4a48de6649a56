using Microsoft.AspNetCore.Authorization;

namespace Waymark.Server.Accounts;

/// <summary>
/// What an API token may do on top of its role: <c>read</c> only reads (GET,
/// HEAD); <c>ingest-admin</c> also changes what shapes collection and actions
/// (rules, journey maps, segments, noise marks, digests) but never the admin
/// endpoints (accounts, tokens, a customer's export and erasure, the audit
/// log); <c>admin</c> adds nothing the role does not allow and takes nothing away.
/// </summary>
public static class TokenScopes
{
    public const string Read = "read";
    public const string IngestAdmin = "ingest-admin";
    public const string Admin = "admin";

    /// <summary>The claim a token's principal carries its scope in; cookie and Basic sign-ins have none.</summary>
    public const string Claim = "waymark:scope";

    public static readonly IReadOnlyList<string> All = [Read, IngestAdmin, Admin];

    public static bool IsScope(string? scope) => scope is not null && All.Contains(scope);

    /// <summary>Why this scope may not call the endpoint, or null when it may.</summary>
    public static string? Refusal(string scope, string method, Endpoint? endpoint)
    {
        var reads = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);
        if (scope == Read && !reads && endpoint?.Metadata.GetMetadata<ReadsOnlyMetadata>() is null)
        {
            return "This token's scope is 'read': it may only read (GET). Make a token with the scope ingest-admin or admin to change things.";
        }
        if (scope != Admin && NeedsAdmin(endpoint))
        {
            return $"This token's scope is '{scope}': the admin endpoints (accounts, tokens, a customer's export and erasure, the audit log) need a token with the scope admin.";
        }
        return null;
    }

    /// <summary>Marks a POST that only computes an answer (a funnel, a check), so a read token may call it.</summary>
    public static TBuilder ReadsOnly<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(ReadsOnlyMetadata.Instance);

    private static bool NeedsAdmin(Endpoint? endpoint) =>
        endpoint?.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a =>
            a.Policy == AccountsSetup.AdminPolicy || a.Roles == Roles.Admin) == true;

    /// <summary>Refuses with 403 and the reason what a token's scope does not allow; runs after authorization.</summary>
    public static IApplicationBuilder UseTokenScopes(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.User.FindFirst(Claim)?.Value is { } scope && Refusal(scope, http.Request.Method, http.GetEndpoint()) is { } why)
        {
            await Http.Problems.Create(StatusCodes.Status403Forbidden, "Outside the token's scope", why).ExecuteAsync(http);
            return;
        }
        await next(http);
    });
}

/// <summary>See <see cref="TokenScopes.ReadsOnly"/>.</summary>
public sealed class ReadsOnlyMetadata
{
    public static readonly ReadsOnlyMetadata Instance = new();
}
