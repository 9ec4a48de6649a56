using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Waymark.Server.Http;

namespace Waymark.Server.Accounts;

/// <summary>
/// The console's forms: sign-in (password, then the authenticator's code when
/// the account has a second factor) and the owner's second-factor set-up at
/// /account. Every form carries an antiforgery token; wrong passwords and
/// wrong codes count alike towards the lockout.
/// </summary>
public static class SignInEndpoints
{
    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder app)
    {
        app.MapPost("/auth/signin", SignInAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        var totp = app.MapGroup("/auth/totp").DisableAntiforgery().ExcludeFromDescription();
        totp.MapPost("/begin", BeginAsync);
        totp.MapPost("/confirm", ConfirmAsync);
        totp.MapPost("/remove", RemoveAsync);
        return app;
    }

    private static async Task<IResult> SignInAsync(HttpContext http, AccountService accounts, SignInThrottle throttle, SecondFactor factor)
    {
        if (await FormAsync(http) is not { } form)
        {
            return NotAForm();
        }
        var returnUrl = SafeReturn(form["returnUrl"].ToString());
        // The form's antiforgery token: a page elsewhere cannot sign this browser in to an account of its choosing.
        if (!await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
        {
            return Results.Redirect("/signin?failed=stale&ReturnUrl=" + Uri.EscapeDataString(returnUrl));
        }
        var address = http.Connection.RemoteIpAddress;
        var ticket = form["ticket"].ToString();
        if (ticket.Length > 0)
        {
            // Second step: the password was right (the ticket says so); now the code.
            if (factor.ReadTicket(ticket) is not { } name || await accounts.FindAsync(name, http.RequestAborted) is not { } holder)
            {
                return Results.Redirect("/signin?failed=stale&ReturnUrl=" + Uri.EscapeDataString(returnUrl));
            }
            if (throttle.RetryAfter(name, address) is { } waiting)
            {
                return Throttled(http, waiting);
            }
            if (!await factor.VerifyAsync(name, form["code"].ToString(), http.RequestAborted))
            {
                return throttle.Failed(name, address) is { } locked
                    ? Throttled(http, locked)
                    : Results.Redirect(CodeStep(ticket, returnUrl) + "&failed=code");
            }
            throttle.Succeeded(name);
            await SignInCookieAsync(http, holder, setupRequired: false);
            return Results.Redirect(returnUrl);
        }
        var username = form["username"].ToString();
        if (throttle.RetryAfter(username, address) is { } wait)
        {
            return Throttled(http, wait);
        }
        var account = await accounts.VerifyAsync(username, form["password"].ToString(), http.RequestAborted);
        if (account is null)
        {
            if (throttle.Failed(username, address) is { } locked)
            {
                return Throttled(http, locked);
            }
            return Results.Redirect("/signin?failed=1&returnUrl=" + Uri.EscapeDataString(returnUrl));
        }
        if (await factor.IsEnabledAsync(account.Username, http.RequestAborted))
        {
            return Results.Redirect(CodeStep(factor.Ticket(account.Username), returnUrl));
        }
        throttle.Succeeded(username);
        if (factor.RequiredForAdmins && account.Role == Roles.Admin)
        {
            await SignInCookieAsync(http, account, setupRequired: true);
            return Results.Redirect("/account?required=1");
        }
        await SignInCookieAsync(http, account, setupRequired: false);
        return Results.Redirect(returnUrl);
    }

    private static async Task<IResult> BeginAsync(HttpContext http, SecondFactor factor)
    {
        if (await OwnFormAsync(http) is not { } name)
        {
            return Results.Redirect("/account?failed=stale");
        }
        await factor.PendingAsync(name, renew: true, http.RequestAborted);
        return Results.Redirect("/account?setup=1");
    }

    private static async Task<IResult> ConfirmAsync(HttpContext http, SecondFactor factor, AccountService accounts)
    {
        if (await OwnFormAsync(http) is not { } name)
        {
            return Results.Redirect("/account?failed=stale");
        }
        if (!await factor.ConfirmAsync(name, http.Request.Form["code"].ToString(), http.RequestAborted))
        {
            return Results.Redirect("/account?setup=1&failed=code");
        }
        // A cookie that was waiting for the set-up is replaced by a full one.
        if (http.User.HasClaim(SecondFactor.SetupClaim, SecondFactor.SetupRequired) && await accounts.FindAsync(name, http.RequestAborted) is { } account)
        {
            await SignInCookieAsync(http, account, setupRequired: false);
        }
        return Results.Redirect("/account?enabled=1");
    }

    private static async Task<IResult> RemoveAsync(HttpContext http, SecondFactor factor)
    {
        if (await OwnFormAsync(http) is not { } name)
        {
            return Results.Redirect("/account?failed=stale");
        }
        if (factor.RequiredForAdmins && http.User.IsInRole(Roles.Admin))
        {
            return Results.Redirect("/account?failed=required");
        }
        return await factor.RemoveAsync(name, http.Request.Form["code"].ToString(), name, http.RequestAborted)
            ? Results.Redirect("/account?removed=1")
            : Results.Redirect("/account?failed=code");
    }

    /// <summary>The signed-in person's name when this is their own form (cookie and antiforgery token); null otherwise.</summary>
    private static async Task<string?> OwnFormAsync(HttpContext http)
    {
        if (http.User.Identity is not { IsAuthenticated: true, AuthenticationType: CookieAuthenticationDefaults.AuthenticationScheme, Name: { } name } ||
            await FormAsync(http) is null ||
            !await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
        {
            return null;
        }
        return name;
    }

    private static async Task<IFormCollection?> FormAsync(HttpContext http) =>
        http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : null;

    private static IResult NotAForm() => Problems.Create(StatusCodes.Status415UnsupportedMediaType, "Not a form",
        "Sign in with the form's fields username, password and returnUrl (application/x-www-form-urlencoded); scripts use a token or Basic credentials.");

    private static string CodeStep(string ticket, string returnUrl) =>
        "/signin?step=code&ticket=" + Uri.EscapeDataString(ticket) + "&ReturnUrl=" + Uri.EscapeDataString(returnUrl);

    private static async Task SignInCookieAsync(HttpContext http, Account account, bool setupRequired)
    {
        var principal = TokenAuthenticationHandler.Principal(account.Username, account.Role, CookieAuthenticationDefaults.AuthenticationScheme);
        if (setupRequired)
        {
            ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(SecondFactor.SetupClaim, SecondFactor.SetupRequired));
        }
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
    }

    /// <summary>A local path to go back to after sign-in; "/" for anything else (an open redirect otherwise).</summary>
    private static string SafeReturn(string returnUrl) =>
        Uri.IsWellFormedUriString(returnUrl, UriKind.Relative) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) ? returnUrl : "/";

    private static IResult Throttled(HttpContext http, TimeSpan wait)
    {
        http.Response.Headers.RetryAfter = SignInThrottle.Seconds(wait);
        return Problems.Create(StatusCodes.Status429TooManyRequests, "Too many failed sign-ins",
            $"Too many wrong passwords or codes for this account or address; try again after {SignInThrottle.Seconds(wait)} seconds.");
    }
}
