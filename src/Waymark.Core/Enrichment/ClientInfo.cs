namespace Waymark.Core.Enrichment;

/// <summary>What a User-Agent and its client hints say about the browser, the OS and the device.</summary>
/// <param name="Browser">Chrome, Edge, Firefox, Safari, Opera, Samsung Internet, Chrome WebView, Electron, Brave,
/// a crawler's name for bots, "Other" for an unrecognised client, or null when nothing was sent.</param>
/// <param name="BrowserVersion">The browser's major version, e.g. "124".</param>
/// <param name="Os">Windows, macOS, iOS, iPadOS, Android, Linux or ChromeOS; null when unknown.</param>
/// <param name="OsVersion">At most major.minor, without a zero minor: "10", "17.5", "14".</param>
/// <param name="DeviceClass">"desktop", "mobile", "tablet", "bot" or "unknown".</param>
public sealed record ClientInfo(string? Browser, string? BrowserVersion, string? Os, string? OsVersion, string DeviceClass)
{
    /// <summary>Nothing is known about the client.</summary>
    public static ClientInfo Unknown { get; } = new(null, null, null, null, DeviceClasses.Unknown);
}

/// <summary>The User-Agent client hint headers as received (structured-field values, quotes included).</summary>
/// <param name="Brands">Sec-CH-UA, e.g. <c>"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"</c>.</param>
/// <param name="Mobile">Sec-CH-UA-Mobile: "?1" or "?0".</param>
/// <param name="Platform">Sec-CH-UA-Platform, e.g. <c>"Windows"</c>.</param>
/// <param name="PlatformVersion">Sec-CH-UA-Platform-Version, e.g. <c>"15.0.0"</c>.</param>
public readonly record struct ClientHints(
    string? Brands = null,
    string? Mobile = null,
    string? Platform = null,
    string? PlatformVersion = null);

/// <summary>The values of <see cref="ClientInfo.DeviceClass"/>.</summary>
public static class DeviceClasses
{
    public const string Desktop = "desktop";
    public const string Mobile = "mobile";
    public const string Tablet = "tablet";
    public const string Bot = "bot";
    public const string Unknown = "unknown";
}
