using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Waymark.Server.Accounts;

/// <summary>
/// API access without a browser: <c>Authorization: Bearer &lt;token&gt;</c> (a token
/// from configuration or made in the console) or <c>Basic</c> with an
/// account's name and password (checked once, then remembered for a few
/// minutes: a password hash is deliberately slow).
/// </summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AccountService accounts,
    IOptions<AccountOptions> accountOptions,
    SignInThrottle throttle,
    SecondFactor factor,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "token";

    /// <summary>Where a throttled request keeps its wait for the challenge (429 rather than 401).</summary>
    private const string ThrottledItem = "waymark.throttled";

    private const string RefusedItem = "waymark.refused";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        var address = Context.Connection.RemoteIpAddress;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            if (throttle.RetryAfter(null, address) is { } wait)
            {
                return Throttled(wait);
            }
            var token = header[7..].Trim();
            var hash = AccountService.TokenHash(token);
            foreach (var t in accountOptions.Value.Tokens)
            {
                if (t.Token.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(AccountService.TokenHash(t.Token)), Encoding.ASCII.GetBytes(hash)))
                {
                    return t.Expires is { } e && e <= clock.GetUtcNow()
                        ? Refused($"This token expired at {e.UtcDateTime:yyyy-MM-dd HH:mm} UTC.")
                        : Success("token:" + t.Name, t.Role, t.Scope);
                }
            }
            var check = await accounts.CheckTokenAsync(token, Context.RequestAborted);
            if (check.Token is { } found)
            {
                return Success("token:" + found.Name, found.Role, found.Scope);
            }
            if (check.Refusal is { } why)
            {
                return Refused(why);
            }
            return throttle.Failed(null, address) is { } locked ? Throttled(locked) : Refused("Unknown token.");
        }
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            }
            catch (FormatException)
            {
                return Refused("Malformed Basic credentials: base64 of name:password.");
            }
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? null : decoded[..colon];
            if (throttle.RetryAfter(name, address) is { } wait)
            {
                return Throttled(wait);
            }
            // Basic cannot carry a second factor: an account that has one (or must) uses a token instead.
            // Asked before the password is checked, so the answer says nothing of the password.
            if (name is not null && await accounts.FindAsync(name, Context.RequestAborted) is { } holder &&
                await factor.GuardsAsync(holder.Username, holder.Role, Context.RequestAborted))
            {
                return Refused($"Account '{holder.Username}' signs in with a second factor, which Basic credentials cannot carry; use an API token (Admin, API tokens).");
            }
            var key = AccountService.TokenHash(header);
            var now = clock.GetUtcNow();
            if (accounts.BasicCache.TryGetValue(key, out var cached) && cached.Until > now)
            {
                return AuthenticateResult.Success(new AuthenticationTicket(cached.Principal, SchemeName));
            }
            if (colon < 0 || await accounts.VerifyAsync(name!, decoded[(colon + 1)..], Context.RequestAborted) is not { } account)
            {
                return throttle.Failed(name, address) is { } locked ? Throttled(locked) : Refused("Wrong name or password.");
            }
            throttle.Succeeded(name);
            var result = Success(account.Username, account.Role);
            if (accounts.BasicCache.Count > 10_000)
            {
                accounts.BasicCache.Clear();
            }
            accounts.BasicCache[key] = (result.Principal!, now.AddMinutes(5));
            return result;
        }
        return AuthenticateResult.NoResult();
    }

    /// <summary>A refusal whose reason the 401 answer carries.</summary>
    private AuthenticateResult Refused(string why)
    {
        Context.Items[RefusedItem] = why;
        return AuthenticateResult.Fail(why);
    }

    private AuthenticateResult Throttled(TimeSpan wait)
    {
        Context.Items[ThrottledItem] = wait;
        return AuthenticateResult.Fail("Too many failed sign-ins.");
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[ThrottledItem] is TimeSpan wait)
        {
            Response.Headers.RetryAfter = SignInThrottle.Seconds(wait);
            await Http.Problems.Create(StatusCodes.Status429TooManyRequests, "Too many failed sign-ins",
                $"Too many wrong passwords or tokens for this account or address; try again after {SignInThrottle.Seconds(wait)} seconds.").ExecuteAsync(Context);
            return;
        }
        Response.Headers.WWWAuthenticate = "Bearer, Basic realm=\"Waymark\"";
        if (Context.Items[RefusedItem] is string why)
        {
            await Http.Problems.Create(StatusCodes.Status401Unauthorized, "Not signed in", why).ExecuteAsync(Context);
            return;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
    }

    private static AuthenticateResult Success(string name, string role, string? scope = null)
    {
        var principal = Principal(name, role, SchemeName);
        if (scope is not null)
        {
            ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(TokenScopes.Claim, scope));
        }
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    public static ClaimsPrincipal Principal(string name, string role, string scheme) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], scheme));
}
