using System.Globalization;

namespace Waymark.Core.Enrichment;

public static partial class UserAgentParser
{
    // Sec-CH-UA lists the browser's own brand next to "Chromium" and a GREASE brand
    // ("Not-A.Brand"); the first of these found wins. "Chromium" alone says nothing
    // the UA did not (Electron and most forks send just that), so it is not here.
    private static readonly (string Brand, string Name)[] s_brands =
    [
        ("Microsoft Edge", "Edge"),
        ("Opera", "Opera"),
        ("Opera GX", "Opera"),
        ("Samsung Internet", "Samsung Internet"),
        ("Android WebView", "Chrome WebView"),
        ("Brave", "Brave"),
        ("Google Chrome", "Chrome"),
    ];

    private static readonly (string Platform, string Os)[] s_platforms =
    [
        ("Windows", "Windows"),
        ("macOS", "macOS"),
        ("Android", "Android"),
        ("Chrome OS", "ChromeOS"),
        ("ChromeOS", "ChromeOS"),
        ("Chromium OS", "ChromeOS"),
        ("Linux", "Linux"),
        ("iOS", "iOS"),
    ];

    // Real lists have three or four entries; the bound is for hostile headers.
    private const int MaxBrands = 16;

    private static void ApplyHints(
        ClientHints hints, ref string? browser, ref string? browserVersion, ref string? os, ref string? osVersion, ref string device)
    {
        if (hints.Brands is not null && FindBrand(hints.Brands, out var brand, out var version))
        {
            browserVersion = version ?? (brand == browser ? browserVersion : null);
            browser = brand;
        }

        var platform = Unquote(hints.Platform);
        foreach (var (hint, name) in s_platforms)
        {
            if (platform.Equals(hint, StringComparison.OrdinalIgnoreCase))
            {
                if (os != name)
                {
                    osVersion = null;
                }
                os = name;
                var platformVersion = Unquote(hints.PlatformVersion);
                if (!platformVersion.IsEmpty && name != "ChromeOS" && name != "Linux")
                {
                    osVersion = name == "Windows" ? WindowsFromPlatformVersion(platformVersion) : ReadVersion(platformVersion);
                }
                break;
            }
        }

        var mobile = hints.Mobile.AsSpan().Trim();
        if (mobile.SequenceEqual("?1"))
        {
            device = DeviceClasses.Mobile;
        }
        else if (mobile.SequenceEqual("?0"))
        {
            // An Android browser that is not "mobile" runs on a tablet (or a phone asking for desktop sites).
            device = os == "Android" ? DeviceClasses.Tablet : DeviceClasses.Desktop;
        }
    }

    /// <summary>
    /// Sec-CH-UA-Platform-Version on Windows: 13 and above is Windows 11, 1 to 10 is
    /// Windows 10, 0.1/0.2/0.3 are 7/8/8.1 (learn.microsoft.com, "Detect Windows 11 using User-Agent Client Hints").
    /// </summary>
    private static string? WindowsFromPlatformVersion(ReadOnlySpan<char> version)
    {
        var dot = version.IndexOf('.');
        var majorSpan = dot < 0 ? version : version[..dot];
        if (!int.TryParse(majorSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var major))
        {
            return null;
        }
        if (major >= 13)
        {
            return "11";
        }
        if (major >= 1)
        {
            return "10";
        }
        var minor = dot < 0 ? ReadOnlySpan<char>.Empty : version[(dot + 1)..];
        return minor.StartsWith("1") ? "7" : minor.StartsWith("2") ? "8" : minor.StartsWith("3") ? "8.1" : null;
    }

    /// <summary>Finds the most specific known brand in a Sec-CH-UA list (RFC 8941 list of strings with a "v" parameter).</summary>
    private static bool FindBrand(string list, out string name, out string? version)
    {
        var best = -1;
        ReadOnlySpan<char> bestVersion = default;
        var rest = list.AsSpan();
        for (var n = 0; n < MaxBrands; n++)
        {
            rest = rest.TrimStart(" \t,");
            if (rest.Length < 2 || rest[0] != '"')
            {
                break;
            }
            var close = rest[1..].IndexOf('"');
            if (close < 0)
            {
                break;
            }
            var brand = rest.Slice(1, close);
            rest = rest[(close + 2)..];
            // GREASE brands may hold ';' and '=' but never a comma, and parameters never do either.
            var end = rest.IndexOf(',');
            var parameters = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[end..];

            for (var i = 0; i < s_brands.Length && (best < 0 || i < best); i++)
            {
                if (brand.SequenceEqual(s_brands[i].Brand))
                {
                    best = i;
                    var v = parameters.IndexOf("v=", StringComparison.Ordinal);
                    bestVersion = v < 0 ? default : parameters[(v + 2)..].TrimStart('"');
                    break;
                }
            }
        }
        if (best < 0)
        {
            name = "";
            version = null;
            return false;
        }
        name = s_brands[best].Name;
        version = ReadMajor(bestVersion);
        return true;
    }

    private static ReadOnlySpan<char> Unquote(string? value) => value.AsSpan().Trim().Trim('"');
}
