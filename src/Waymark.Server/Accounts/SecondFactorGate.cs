using Microsoft.AspNetCore.Authorization;

namespace Waymark.Server.Accounts;

/// <summary>
/// While an admin who must have a second factor has none yet, their sign-in
/// opens nothing but the set-up page (/account), its forms and what needs no
/// account: a console page sends them there, anything else answers 403 with
/// the reason.
/// </summary>
public static class SecondFactorGate
{
    public static IApplicationBuilder UseSecondFactorGate(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.User.HasClaim(SecondFactor.SetupClaim, SecondFactor.SetupRequired) && !Open(http))
        {
            var path = http.Request.Path;
            if (HttpMethods.IsGet(http.Request.Method) && !path.StartsWithSegments("/v1") && !path.StartsWithSegments("/_blazor"))
            {
                http.Response.Redirect("/account?required=1");
                return;
            }
            await Http.Problems.Create(StatusCodes.Status403Forbidden, "Second factor needed",
                "Admins must sign in with a second factor here: set one up at /account first.").ExecuteAsync(http);
            return;
        }
        await next(http);
    });

    private static bool Open(HttpContext http)
    {
        var path = http.Request.Path;
        return path.StartsWithSegments("/account") || path.StartsWithSegments("/auth") ||
               path.StartsWithSegments("/_framework") || path.StartsWithSegments("/_content") ||
               http.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null;
    }
}
