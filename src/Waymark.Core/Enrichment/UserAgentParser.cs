namespace Waymark.Core.Enrichment;

/// <summary>
/// Reads browser, OS and device class from a User-Agent and, where the browser
/// sends them, the UA client hints, which win: they are not frozen the way the
/// reduced User-Agent is (Windows 11 and Android 14 still say "NT 10.0" and
/// "Android 10"). Ordered tables of ordinal substrings, no Regex: it runs for every beacon.
/// </summary>
public static partial class UserAgentParser
{
    /// <summary>A UA matches when it contains <c>Token</c> and <c>VersionToken</c> and not <c>Unless</c>;
    /// the major version is read after <c>VersionToken</c>, or after <c>Token</c> when there is none.</summary>
    private readonly record struct Rule(string Token, string Name, string? VersionToken = null, string? Unless = null);

    // Named crawlers; any other automated client is caught by s_botWords.
    private static readonly Rule[] s_bots =
    [
        new("Googlebot", "Googlebot"),
        new("bingbot", "Bingbot"),
        new("HeadlessChrome/", "HeadlessChrome"),
        new("YandexBot", "YandexBot"),
        new("DuckDuckBot", "DuckDuckBot"),
        new("Baiduspider", "Baiduspider"),
        new("Applebot", "Applebot"),
        new("facebookexternalhit", "Facebook"),
        new("Chrome-Lighthouse", "Lighthouse"),
    ];

    // Matched case-insensitively. "bot" is also in the CUBOT phone brand, which IsBot skips.
    private static readonly string[] s_botWords = ["bot", "crawler", "spider", "headless", "lighthouse", "slurp"];

    // First match wins, so every browser that also says "Chrome/" or "Safari/" comes before them.
    private static readonly Rule[] s_browsers =
    [
        new("Electron/", "Electron"),
        new("EdgA/", "Edge"),
        new("EdgiOS/", "Edge"),
        new("Edg/", "Edge"),
        new("Edge/", "Edge"),
        new("OPR/", "Opera"),
        new("OPiOS/", "Opera"),
        new("OPT/", "Opera"),
        new("SamsungBrowser/", "Samsung Internet"),
        new("FxiOS/", "Firefox"),
        new("Firefox/", "Firefox"),
        new("CriOS/", "Chrome"),
        new("; wv)", "Chrome WebView", VersionToken: "Chrome/"),
        new("Chrome/", "Chrome"),
        // The old Android stock browser also says "Version/… Safari/".
        new("Safari/", "Safari", VersionToken: "Version/", Unless: "Android"),
    ];

    // iOS says "like Mac OS X" and Android says "Linux": both come before those.
    private static readonly Rule[] s_systems =
    [
        new("Windows NT ", "Windows"),
        new("iPhone", "iOS", VersionToken: "iPhone OS "),
        new("iPod", "iOS", VersionToken: "iPhone OS "),
        new("iPad", "iPadOS", VersionToken: "CPU OS "),
        new("Android", "Android", VersionToken: "Android "),
        new("CrOS ", "ChromeOS"),
        new("Macintosh", "macOS", VersionToken: "Mac OS X "),
        new("Linux", "Linux"),
    ];

    private static readonly (string NtVersion, string Name)[] s_windowsVersions =
    [
        ("10", "10"), ("6.3", "8.1"), ("6.2", "8"), ("6.1", "7"), ("6", "Vista"), ("5.1", "XP"), ("5.2", "XP"),
    ];

    /// <summary>Reads a User-Agent string and optional client hints.</summary>
    /// <param name="userAgent">The User-Agent header; null or empty is allowed.</param>
    /// <param name="hints">The Sec-CH-UA headers, when the browser sent them.</param>
    public static ClientInfo Parse(string? userAgent, ClientHints hints = default)
    {
        var ua = userAgent.AsSpan().Trim();
        if (ua.IsEmpty && hints == default)
        {
            return ClientInfo.Unknown;
        }

        var os = Match(ua, s_systems, fullVersion: true, out var osVersion);
        osVersion = os switch
        {
            "Windows" => WindowsName(osVersion),
            // The CrOS number is a platform build ("14541.0.0"), not the version users know.
            "ChromeOS" or "Linux" => null,
            _ => osVersion,
        };

        var bot = Match(ua, s_bots, fullVersion: false, out var botVersion);
        if (bot is not null || IsBot(ua))
        {
            // A crawler's own hints, if any, describe the machine it runs on, which nobody asked about.
            return new ClientInfo(bot ?? "Other", botVersion, os, osVersion, DeviceClasses.Bot);
        }

        var browser = Match(ua, s_browsers, fullVersion: false, out var browserVersion);
        if (browser is null && !ua.IsEmpty)
        {
            browser = "Other";
        }
        var device = DeviceFromUserAgent(ua, os);

        ApplyHints(hints, ref browser, ref browserVersion, ref os, ref osVersion, ref device);
        return new ClientInfo(browser, browserVersion, os, osVersion, device);
    }

    private static string? Match(ReadOnlySpan<char> ua, Rule[] rules, bool fullVersion, out string? version)
    {
        foreach (var rule in rules)
        {
            var at = ua.IndexOf(rule.Token, StringComparison.Ordinal);
            if (at < 0 || (rule.Unless is not null && ua.Contains(rule.Unless, StringComparison.Ordinal)))
            {
                continue;
            }
            var versionAt = rule.VersionToken is null ? at + rule.Token.Length : ua.IndexOf(rule.VersionToken, StringComparison.Ordinal);
            if (versionAt < 0)
            {
                continue;
            }
            if (rule.VersionToken is not null)
            {
                versionAt += rule.VersionToken.Length;
            }
            version = fullVersion ? ReadVersion(ua[versionAt..]) : ReadMajor(ua[versionAt..]);
            return rule.Name;
        }
        version = null;
        return null;
    }

    private static bool IsBot(ReadOnlySpan<char> ua)
    {
        foreach (var word in s_botWords)
        {
            var rest = ua;
            var at = rest.IndexOf(word, StringComparison.OrdinalIgnoreCase);
            while (at >= 0)
            {
                var isCubot = word == "bot" && at >= 2 && rest.Slice(at - 2, 2).Equals("cu", StringComparison.OrdinalIgnoreCase);
                if (!isCubot)
                {
                    return true;
                }
                rest = rest[(at + word.Length)..];
                at = rest.IndexOf(word, StringComparison.OrdinalIgnoreCase);
            }
        }
        return false;
    }

    private static string DeviceFromUserAgent(ReadOnlySpan<char> ua, string? os)
    {
        // An iPad in its default desktop mode says "Macintosh" and stays desktop here:
        // nothing in the UA tells it apart from a Mac, and Safari sends no client hints.
        if (os == "iPadOS")
        {
            return DeviceClasses.Tablet;
        }
        if (ua.Contains("Mobi", StringComparison.Ordinal))
        {
            return DeviceClasses.Mobile;
        }
        // Android phones say "Mobile"; Google asks tablets not to.
        if (os == "Android")
        {
            return DeviceClasses.Tablet;
        }
        if (os is "Windows" or "macOS" or "Linux" or "ChromeOS")
        {
            return DeviceClasses.Desktop;
        }
        return ua.Contains("Tablet", StringComparison.Ordinal) ? DeviceClasses.Tablet : DeviceClasses.Unknown;
    }

    private static string? WindowsName(string? ntVersion)
    {
        foreach (var (nt, name) in s_windowsVersions)
        {
            if (nt == ntVersion)
            {
                return name;
            }
        }
        return null;
    }

    /// <summary>The leading digits: "124.0.6367.60" → "124".</summary>
    private static string? ReadMajor(ReadOnlySpan<char> s)
    {
        if (!s.IsEmpty && s[0] is '/' or ' ')
        {
            s = s[1..];
        }
        var n = CountDigits(s);
        return n == 0 ? null : s[..n].ToString();
    }

    /// <summary>"17_5_1" or "17.5.1" → "17.5"; "10.0" → "10"; "14.0.0" → "14".</summary>
    private static string? ReadVersion(ReadOnlySpan<char> s)
    {
        var major = CountDigits(s);
        if (major == 0)
        {
            return null;
        }
        if (s.Length > major + 1 && s[major] is '.' or '_')
        {
            var minorSpan = s[(major + 1)..];
            var minor = CountDigits(minorSpan);
            if (minor > 0 && minorSpan[..minor].ContainsAnyExcept('0'))
            {
                return string.Concat(s[..major], ".", minorSpan[..minor]);
            }
        }
        return s[..major].ToString();
    }

    // Six digits is more than any real version; the bound keeps a hostile header from being copied whole.
    private static int CountDigits(ReadOnlySpan<char> s)
    {
        var n = 0;
        while (n < s.Length && n < 6 && char.IsAsciiDigit(s[n]))
        {
            n++;
        }
        return n;
    }
}
