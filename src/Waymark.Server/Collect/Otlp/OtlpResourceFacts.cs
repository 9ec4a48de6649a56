using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using Waymark.Core.Enrichment;
using Waymark.Core.Events;
using Waymark.Core.Protocol;

namespace Waymark.Server.Collect.Otlp;

/// <summary>
/// What an OpenTelemetry resource says about the app, the channel, the device
/// and the visitor, read once per resource of an export.
/// </summary>
internal sealed class OtlpResourceFacts
{
    private const int MaxId = 128;

    public required string? AppId { get; init; }
    /// <summary>The key the resource carries (waymark.key), for exporters that cannot set headers.</summary>
    public required string? Key { get; init; }
    public required string Channel { get; init; }
    /// <summary>An id of the device, the install or the browser that outlives sessions; null when the resource has none.</summary>
    public required string? Visitor { get; init; }
    /// <summary>service.instance.id: the last resort for a visitor when there is no session either.</summary>
    public required string? Instance { get; init; }
    public required ClientHints? Hints { get; init; }
    /// <summary>Whether the request's User-Agent is the client's (a browser's), not an SDK's HTTP stack.</summary>
    public required bool HeaderUserAgentIsClient { get; init; }
    public required string? UserAgent { get; init; }
    public required string? DeviceClass { get; init; }
    public required string? Os { get; init; }
    public required string? OsVersion { get; init; }
    public required string? Model { get; init; }
    public required string? AppVersion { get; init; }
    public required string? Locale { get; init; }
    public required string? Touchpoint { get; init; }
    /// <summary>The resource's waymark.consent: none, analytics (or anonymous), full.</summary>
    public string? Consent { get; init; }

    public static OtlpResourceFacts Read(OtlpResource resource, string? headerApp)
    {
        var a = resource.Attributes;
        string? Get(string key) => OtlpAttributes.String(a, key);
        var sdk = Get("telemetry.sdk.language")?.ToLowerInvariant();
        var os = Get("os.name") ?? OsOfType(Get("os.type"));
        var isBrowser = Get("user_agent.original") is not null || Get("browser.platform") is not null ||
                        OtlpAttributes.Find(a, "browser.brands") is not null || Get("browser.language") is not null;
        var isMobileOs = os is not null && (os.Equals("iOS", StringComparison.OrdinalIgnoreCase) || os.Equals("iPadOS", StringComparison.OrdinalIgnoreCase) ||
                                            os.Equals("Android", StringComparison.OrdinalIgnoreCase));
        var channel = Channels.Normalize(Get("waymark.channel")) ?? sdk switch
        {
            "webjs" => "web",
            "swift" or "objc" or "android" or "kotlin" => "mobile",
            _ when isMobileOs && !isBrowser => "mobile",
            _ when isBrowser || sdk is null => "web",
            _ => "server",
        };
        var model = Get("device.model.name") ?? Get("device.model.identifier");
        var identifier = Get("device.model.identifier");
        string? deviceClass = null;
        if (channel == "mobile")
        {
            deviceClass = identifier?.StartsWith("iPad", StringComparison.Ordinal) == true || string.Equals(os, "iPadOS", StringComparison.OrdinalIgnoreCase)
                ? DeviceClasses.Tablet
                : DeviceClasses.Mobile;
        }
        var visitor = Get("waymark.visitor") ?? Get("device.id") ?? Get("app.installation.id") ?? Get("user.id") ?? Get("enduser.id");
        return new OtlpResourceFacts
        {
            // The app: the resource's own word, the header, or a service named like a configured app.
            AppId = Get("waymark.app") ?? headerApp ?? Get("service.name"),
            Key = Get("waymark.key"),
            Channel = channel,
            Visitor = visitor is null ? null : Id("", visitor),
            Instance = Get("service.instance.id") is { } instance ? Id("otel-instance-", instance) : null,
            Hints = ReadHints(a),
            HeaderUserAgentIsClient = channel == "web",
            UserAgent = Truncate(Get("user_agent.original"), 1024),
            DeviceClass = deviceClass,
            Os = Truncate(os, 64),
            OsVersion = Truncate(Get("os.version"), 64),
            Model = Truncate(model, 128),
            AppVersion = Truncate(Get("service.version"), 64),
            Locale = Truncate(Get("browser.language"), 35),
            Touchpoint = Truncate(Get("waymark.touchpoint"), 128),
            Consent = Truncate(Get("waymark.consent"), 32),
        };
    }

    /// <summary>The batch header of one (visitor, session, user) of this resource.</summary>
    public BeaconHeader Header(string app, string visitor, string? session, string? user) => new()
    {
        App = app,
        Channel = Channel,
        Visitor = visitor,
        Session = session,
        User = user,
        UserAgent = UserAgent,
        DeviceClass = DeviceClass,
        Os = Os,
        OsVersion = OsVersion,
        Model = Model,
        AppVersion = AppVersion,
        Locale = Locale,
        Touchpoint = Touchpoint,
        Consent = Consent,
    };

    /// <summary>An id of at most 128 printable characters: longer ones, and ones with control characters, are replaced by their hash.</summary>
    public static string Id(string prefix, string raw) =>
        prefix.Length + raw.Length <= MaxId && !raw.AsSpan().ContainsAnyInRange('\u0000', '\u001f') && !raw.AsSpan().ContainsAnyInRange('\u007f', '\u009f')
            ? prefix + raw
            : prefix + Convert.ToHexStringLower(XxHash128.Hash(MemoryMarshal.AsBytes(raw.AsSpan())));

    private static string? Truncate(string? s, int max) => s is null || s.Length <= max ? s : s[..max];

    /// <summary>os.type values (windows, linux, darwin, …) as the UA parser names them.</summary>
    private static string? OsOfType(string? type) => type?.ToLowerInvariant() switch
    {
        null => null,
        "windows" => "Windows",
        "linux" => "Linux",
        "darwin" => "macOS",
        _ => type,
    };

    /// <summary>
    /// The browser.* attributes (navigator.userAgentData) as the Sec-CH-UA
    /// headers would carry them, for the same parser. browser.brands items
    /// are "Brand version", e.g. "Google Chrome 124".
    /// </summary>
    private static ClientHints? ReadHints(List<OtlpAttribute> a)
    {
        var brands = OtlpAttributes.Find(a, "browser.brands");
        var platform = OtlpAttributes.String(a, "browser.platform");
        var mobile = OtlpAttributes.Find(a, "browser.mobile")?.AsBool();
        if (brands?.Items is null && platform is null && mobile is null)
        {
            return null;
        }
        string? header = null;
        if (brands?.Items is { } items)
        {
            var sb = new StringBuilder();
            foreach (var item in items.Take(16))
            {
                if (item.AsString() is not { Length: > 0 and <= 128 } s)
                {
                    continue;
                }
                var space = s.LastIndexOf(' ');
                var (brand, version) = space > 0 ? (s[..space].Trim(), s[(space + 1)..]) : (s.Trim(), "");
                sb.Append(sb.Length > 0 ? ", " : "").Append('"').Append(brand.Replace("\"", "", StringComparison.Ordinal)).Append("\";v=\"")
                  .Append(version.Replace("\"", "", StringComparison.Ordinal)).Append('"');
            }
            header = sb.Length > 0 ? sb.ToString() : null;
        }
        return new ClientHints(header, mobile is null ? null : mobile.Value ? "?1" : "?0", platform is null ? null : "\"" + platform.Replace("\"", "", StringComparison.Ordinal) + "\"");
    }
}
