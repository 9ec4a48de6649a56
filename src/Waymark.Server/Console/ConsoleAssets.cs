using System.Security.Cryptography;
using System.Text;

namespace Waymark.Server.Console;

/// <summary>
/// The console's own stylesheet and script: small, versioned by their hash,
/// served from memory (the console lives in its folder; the project's
/// wwwroot is not its own).
/// </summary>
internal static partial class ConsoleAssets
{
    public const string CssPath = "/console/console.css";
    public const string JsPath = "/console/console.js";

    private static readonly byte[] s_css = Encoding.UTF8.GetBytes(Css);
    private static readonly byte[] s_js = Encoding.UTF8.GetBytes(Js);

    /// <summary>Content hashes, appended to the URLs so a browser never keeps an old copy.</summary>
    public static readonly string CssVersion = Version(s_css);
    public static readonly string JsVersion = Version(s_js);

    public static string CssUrl => CssPath + "?v=" + CssVersion;
    public static string JsUrl => JsPath + "?v=" + JsVersion;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(CssPath, (HttpContext http) => Serve(http, s_css, "text/css; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(JsPath, (HttpContext http) => Serve(http, s_js, "text/javascript; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
    }

    private static IResult Serve(HttpContext http, byte[] body, string type)
    {
        http.Response.Headers.CacheControl = http.Request.Query.ContainsKey("v") ? "public, max-age=31536000, immutable" : "no-cache";
        return Results.Bytes(body, type);
    }

    private static string Version(byte[] body) => Convert.ToHexStringLower(SHA256.HashData(body))[..12];
}
