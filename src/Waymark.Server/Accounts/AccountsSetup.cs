using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Waymark.Server.Store;
using Waymark.Server.Http;

namespace Waymark.Server.Accounts;

/// <summary>
/// Everything but the collectors needs an account: the console signs in with
/// a cookie, scripts with a token or Basic credentials. Operators, analysts
/// and developers read; admins also manage accounts and tokens.
/// </summary>
public static class AccountsSetup
{
    public const string AdminPolicy = "admin";
    private const string Smart = "smart";

    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<AccountOptions>().Bind(config)
            .Validate(o => o.Tokens.TrueForAll(t => t.Token.Length >= 16 && Roles.IsRole(t.Role) && TokenScopes.IsScope(t.Scope)),
                "Configured tokens (Waymark:Auth:Tokens) need 16 characters or more, a role (operator, analyst, developer or admin) and a scope (read, ingest-admin or admin).")
            .ValidateOnStart();
        services.AddOptions<ThrottleOptions>().Bind(config.GetSection("Throttle")).ValidateDataAnnotations()
            .Validate(o => o.Window > TimeSpan.Zero && o.Lockout > TimeSpan.Zero, "Waymark:Auth:Throttle Window and Lockout must be positive.")
            .ValidateOnStart();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<SecondFactor>();
        services.AddHostedService<FirstAdmin>();
        services.AddAuthentication(Smart)
            .AddPolicyScheme(Smart, "cookie or token", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.Count > 0 ? TokenAuthenticationHandler.SchemeName : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.Cookie.Name = "waymark";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.LoginPath = "/signin";
                o.AccessDeniedPath = "/denied";
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromMinutes(config.GetValue<int?>("SessionMinutes") ?? 480);
                o.Events.OnRedirectToLogin = ctx => ApiOr(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => ApiOr(ctx, StatusCodes.Status403Forbidden);
            });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(AdminPolicy, p => p.RequireRole(Roles.Admin));
        return services;
    }

    /// <summary>
    /// A console page sends the visitor to the sign-in page; everything else
    /// (the API, the metrics endpoint, any other endpoint) answers 401/403.
    /// </summary>
    private static Task ApiOr(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        var page = ctx.HttpContext.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is not null;
        if (!page || ctx.Request.Path.StartsWithSegments("/v1") || ctx.Request.Path.StartsWithSegments("/openapi"))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder app)
    {
        app.MapSignIn();
        app.MapPost("/auth/signout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/signin");
        }).DisableAntiforgery().ExcludeFromDescription();
        app.MapGet("/v1/me", (HttpContext http) => TypedResults.Ok(new
        {
            name = http.User.Identity?.Name,
            role = http.User.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value,
        })).WithTags("Accounts").WithSummary("Who the caller is.");

        var admin = app.MapGroup("/v1/admin").WithTags("Accounts").RequireAuthorization(AdminPolicy);
        admin.MapGet("/accounts", async (AccountService accounts, CancellationToken ct) => TypedResults.Ok(await accounts.ListAsync(ct))).WithSummary("Accounts (admin).");
        admin.MapPost("/accounts", async (NewAccount body, AccountService accounts, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(body.Username) || body.Password is not { Length: >= 10 } || !Roles.IsRole(body.Role))
            {
                return Problems.Create(StatusCodes.Status400BadRequest, "Invalid account",
                    "Give a username, a password of 10 characters or more, and a role: operator, analyst, developer or admin.");
            }
            return await accounts.CreateAsync(body.Username.Trim(), body.Password, body.Role!, ct)
                ? Results.Created($"/v1/admin/accounts/{body.Username.Trim()}", new { username = body.Username.Trim(), role = body.Role })
                : Problems.Create(StatusCodes.Status409Conflict, "Name taken", $"An account '{body.Username}' exists.");
        }).WithSummary("Create an account (admin).");
        admin.MapPost("/tokens", CreateTokenAsync)
            .WithSummary("Create an API token (admin): {name, role, scope: read|ingest-admin|admin (default read), expiresDays (default 90, 0 = never)}; the token is shown once.");
        admin.MapGet("/tokens", async (AccountService accounts, CancellationToken ct) => TypedResults.Ok(await accounts.ListTokensAsync(ct)))
            .WithSummary("API tokens (admin), never their values; id is the start of the token's hash.");
        admin.MapDelete("/tokens/{id}", async (string id, AccountService accounts, CancellationToken ct) =>
            await accounts.RevokeTokenAsync(id, ct) ? Results.NoContent() : Problems.Create(StatusCodes.Status404NotFound, "No such token", $"No token has the id '{id}' (GET /v1/admin/tokens lists them)."))
            .WithSummary("Revoke an API token (admin).");
        admin.MapDelete("/accounts/{name}/totp", async (string name, HttpContext http, SecondFactor factor, CancellationToken ct) =>
            await factor.RemoveAsync(name, code: null, by: http.User.Identity?.Name ?? "admin", ct)
                ? Results.NoContent()
                : Problems.Create(StatusCodes.Status404NotFound, "No second factor", $"Account '{name}' has no second factor set up."))
            .WithSummary("Remove an account's second factor (admin), for a person who lost their authenticator; they set a new one up at /account.");
        return app;
    }

    public sealed record NewAccount(string? Username, string? Password, string? Role);

    public sealed record NewToken(string? Name, string? Role, string? Scope, int? ExpiresDays);

    private static async Task<IResult> CreateTokenAsync(NewToken body, AccountService accounts, TimeProvider clock, CancellationToken ct)
    {
        var scope = body.Scope ?? TokenScopes.Read;
        if (!Roles.IsRole(body.Role) || string.IsNullOrWhiteSpace(body.Name) || !TokenScopes.IsScope(scope) || body.ExpiresDays is < 0 or > 3650)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid token",
                "Give a name, a role (operator, analyst, developer or admin), a scope (read, ingest-admin or admin; default read) and expiresDays from 0 (never) to 3650 (default 90).");
        }
        var days = body.ExpiresDays ?? 90;
        DateTimeOffset? expires = days == 0 ? null : clock.GetUtcNow().AddDays(days);
        var token = await accounts.CreateTokenAsync(body.Name.Trim(), body.Role!, scope, expires, ct);
        return Results.Ok(new { name = body.Name.Trim(), role = body.Role, scope, expires, token });
    }
}

/// <summary>Creates the first admin on first start and prints its password once.</summary>
internal sealed class FirstAdmin(AccountService accounts, IOptions<AccountOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await accounts.EnsureAdminAsync(options.Value.AdminPassword, cancellationToken) is { } password)
        {
            global::System.Console.WriteLine("Waymark created the first account: admin / " + password + "  (shown once; keep it, or set Waymark:Auth:AdminPassword)");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
