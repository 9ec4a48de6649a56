using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Waymark.Server.Http;
using Waymark.Server.Apps;

namespace Waymark.Server.Agent;

/// <summary>Where the browser agent's bundle is (section Waymark:Agent).</summary>
public sealed class AgentOptions
{
    /// <summary>The IIFE bundle; by default the copy the build puts beside the server.</summary>
    public string? BundlePath { get; set; }

    /// <summary>How long browsers and CDNs may cache the bundle, seconds.</summary>
    public int MaxAgeSeconds { get; set; } = 3600;
}

/// <summary>
/// The browser agent, loaded once into memory with a gzip copy: served at a
/// stable versioned path with an ETag and caching headers, plus a snippet
/// to paste into pages.
/// </summary>
public sealed class AgentBundle
{
    public const string Path = "/agent/v1/waymark.js";

    public AgentBundle(IOptions<AgentOptions> options)
    {
        var path = options.Value.BundlePath is { Length: > 0 } p ? p : System.IO.Path.Combine(AppContext.BaseDirectory, "agent", "waymark.js");
        if (!File.Exists(path))
        {
            return;
        }
        Raw = File.ReadAllBytes(path);
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(Raw);
        }
        Gzip = buffer.ToArray();
        ETag = "\"" + Convert.ToHexStringLower(SHA256.HashData(Raw))[..16] + "\"";
    }

    public byte[]? Raw { get; }
    public byte[]? Gzip { get; }
    public string? ETag { get; }
}

public static class AgentEndpoints
{
    public static IEndpointRouteBuilder MapAgent(this IEndpointRouteBuilder app)
    {
        app.MapGet(AgentBundle.Path, ServeBundle).WithTags("Agent").WithSummary("The browser agent (script-tag build).");
        app.MapGet("/agent/v1/snippet", Snippet).WithTags("Agent").WithSummary("The snippet to paste into an app's pages.");
        return app;
    }

    private static IResult ServeBundle(HttpContext http, AgentBundle bundle, IOptions<AgentOptions> options)
    {
        if (bundle.Raw is null)
        {
            return Problems.Create(StatusCodes.Status404NotFound, "Agent not built",
                "The browser agent bundle is missing. Build it with `npm run build` in agent/ (the run and test commands do).");
        }
        var headers = http.Response.Headers;
        headers.CacheControl = $"public, max-age={options.Value.MaxAgeSeconds}";
        headers.ETag = bundle.ETag;
        headers.Vary = "Accept-Encoding";
        headers.AccessControlAllowOrigin = "*";
        headers["Cross-Origin-Resource-Policy"] = "cross-origin";
        if (http.Request.Headers.IfNoneMatch.ToString() == bundle.ETag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        var gzip = http.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
        if (gzip)
        {
            headers.ContentEncoding = "gzip";
        }
        return Results.Bytes(gzip ? bundle.Gzip! : bundle.Raw, "text/javascript; charset=utf-8");
    }

    private static IResult Snippet(HttpContext http, string? app, AppRegistry apps)
    {
        var a = app is null ? apps.All.FirstOrDefault() : apps.Find(app);
        if (a is null)
        {
            return Problems.Create(StatusCodes.Status404NotFound, "No such app", "Name a configured app: /agent/v1/snippet?app=<id>.");
        }
        var origin = $"{http.Request.Scheme}://{http.Request.Host}";
        var snippet = $$"""
            <script>
              (function (w, d, src) {
                var wm = (w.waymark = w.waymark || { q: [] });
                if (!wm.q) return;
                ["init", "identify", "track", "conversion", "consent", "setTag", "endSession", "flush"].forEach(function (m) {
                  wm[m] = wm[m] || function () { wm.q.push([m, [].slice.call(arguments)]); };
                });
                var s = d.createElement("script");
                s.async = true;
                s.src = src;
                d.head.appendChild(s);
              })(window, document, {{Js(origin + AgentBundle.Path)}});
              waymark.init({ app: {{Js(a.Id)}}, key: {{Js(a.IngestKey)}} });
            </script>

            """;
        return Results.Text(snippet, "text/plain; charset=utf-8");
    }

    private static string Js(string s) => System.Text.Json.JsonSerializer.Serialize(s);
}
