namespace Waymark.Server.Privacy;

/// <summary>
/// Headers every response carries (section Waymark:Security). The console's
/// scripts are files served by Waymark itself, so the policy allows no inline
/// script and no eval; styles may be inline (MudBlazor sets style attributes).
/// </summary>
public sealed class SecurityHeaderOptions
{
    /// <summary>The Content-Security-Policy; the default allows only Waymark's own scripts, styles, images and connections.</summary>
    public string ContentSecurityPolicy { get; set; } = DefaultPolicy;

    /// <summary>Strict-Transport-Security sent on HTTPS requests (also behind a proxy that sets X-Forwarded-Proto). Empty turns it off.</summary>
    public string StrictTransportSecurity { get; set; } = "max-age=31536000; includeSubDomains";

    public const string DefaultPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
}

/// <summary>Adds the security headers before the response starts.</summary>
public static class SecurityHeaders
{
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, SecurityHeaderOptions options) =>
        app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                // The collectors answer scripts on any site (CORS); a policy there restricts nothing, the rest is harmless.
                // An endpoint that set its own policy (a page a host application maps beside Waymark's) keeps it.
                if (!headers.ContainsKey("Content-Security-Policy"))
                {
                    headers.ContentSecurityPolicy = options.ContentSecurityPolicy;
                }
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
                if (http.Request.IsHttps && options.StrictTransportSecurity.Length > 0)
                {
                    headers.StrictTransportSecurity = options.StrictTransportSecurity;
                }
                return Task.CompletedTask;
            });
            return next(http);
        });
}
