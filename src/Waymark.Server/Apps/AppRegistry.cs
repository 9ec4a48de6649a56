using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Waymark.Core.Sessions;

namespace Waymark.Server.Apps;

/// <summary>The configured apps, by id.</summary>
public sealed class AppRegistry
{
    private readonly Dictionary<string, AppOptions> _apps;

    public AppRegistry(IOptions<List<AppOptions>> apps)
    {
        _apps = apps.Value.ToDictionary(a => a.Id, StringComparer.Ordinal);
    }

    public IEnumerable<AppOptions> All => _apps.Values;

    public AppOptions? Find(string id) => _apps.GetValueOrDefault(id);

    /// <summary>Whether a key is the app's ingest key (or its server key), compared in constant time.</summary>
    public static bool KeyMatches(AppOptions app, string? key, bool serverKeyOnly = false)
    {
        if (key is null)
        {
            return false;
        }
        var given = Encoding.UTF8.GetBytes(key);
        var server = app.ServerKey is { Length: > 0 } s && CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(s));
        return server || (!serverKeyOnly && CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(app.IngestKey)));
    }

    public ApdexThresholds Apdex(string app) =>
        _apps.TryGetValue(app, out var a)
            ? new ApdexThresholds { ViewMs = a.ApdexViewMs, ActionMs = a.ApdexActionMs }
            : new ApdexThresholds();

    /// <summary>Whether a browser page of this origin may send beacons for the app.</summary>
    public static bool OriginAllowed(AppOptions app, string origin) =>
        app.AllowedOrigins.Exists(o => o == "*" || string.Equals(o.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether any app allows the origin (for CORS preflight, which does not name the app).</summary>
    public bool AnyAllowsOrigin(string origin) => _apps.Values.Any(a => OriginAllowed(a, origin));
}

/// <summary>The Apdex thresholds of each app (from the app options).</summary>
public sealed class ApdexThresholdsProvider(Func<string, ApdexThresholds> lookup)
{
    public ApdexThresholds For(string app) => lookup(app);
}
