using Waymark.Core.Enrichment;
using Xunit;

namespace Waymark.Core.Tests.Enrichment;

public class UserAgentParserTests
{
    private const string ChromeWindows =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    private const string ChromeMac =
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    private const string ChromeAndroidPhone =
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36";
    private const string ChromeAndroidTablet =
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    private const string EdgeWindows =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80";
    private const string SafariIPadDesktopMode =
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";

    [Theory]
    [InlineData(ChromeWindows, "Chrome", "124", "Windows", "10", "desktop")]
    [InlineData(ChromeMac, "Chrome", "124", "macOS", "10.15", "desktop")]
    [InlineData(ChromeAndroidPhone, "Chrome", "124", "Android", "10", "mobile")]
    [InlineData(ChromeAndroidTablet, "Chrome", "124", "Android", "10", "tablet")]
    [InlineData(EdgeWindows, "Edge", "124", "Windows", "10", "desktop")]
    [InlineData(SafariIPadDesktopMode, "Safari", "17", "macOS", "10.15", "desktop")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "Safari", "17", "iOS", "17.5", "mobile")]
    [InlineData("Mozilla/5.0 (iPad; CPU OS 16_7_8 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
        "Safari", "16", "iPadOS", "16.7", "tablet")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/125.0.6422.80 Mobile/15E148 Safari/604.1",
        "Chrome", "125", "iOS", "17.5", "mobile")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0", "Firefox", "126", "Linux", null, "desktop")]
    [InlineData("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0", "Firefox", "126", "Linux", null, "desktop")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:126.0) Gecko/20100101 Firefox/126.0", "Firefox", "126", "macOS", "10.15", "desktop")]
    [InlineData("Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:109.0) Gecko/20100101 Firefox/115.0", "Firefox", "115", "Windows", "7", "desktop")]
    [InlineData("Mozilla/5.0 (Android 14; Mobile; rv:126.0) Gecko/126.0 Firefox/126.0", "Firefox", "126", "Android", "14", "mobile")]
    [InlineData("Mozilla/5.0 (Android 14; Tablet; rv:126.0) Gecko/126.0 Firefox/126.0", "Firefox", "126", "Android", "14", "tablet")]
    [InlineData("Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
        "Samsung Internet", "25", "Android", "14", "mobile")]
    [InlineData("Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Safari/537.36",
        "Samsung Internet", "24", "Android", "13", "tablet")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0",
        "Opera", "110", "Windows", "10", "desktop")]
    [InlineData("Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UQ1A.240205.004; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36",
        "Chrome WebView", "124", "Android", "14", "mobile")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Waymark/1.2.0 Chrome/120.0.6099.291 Electron/28.3.3 Safari/537.36",
        "Electron", "28", "Windows", "10", "desktop")]
    [InlineData("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36 EdgA/124.0.2478.64",
        "Edge", "124", "Android", "14", "mobile")]
    [InlineData("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
        "Chrome", "124", "ChromeOS", null, "desktop")]
    [InlineData("Mozilla/5.0 (Linux; Android 10; CUBOT P40) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
        "Chrome", "124", "Android", "10", "mobile")]
    [InlineData("curl/8.5.0", "Other", null, null, null, "unknown")]
    public void Parse_RealUserAgent_ReadsBrowserOsAndDevice(string ua, string browser, string? browserVersion, string? os, string? osVersion, string device)
    {
        var info = UserAgentParser.Parse(ua);

        Assert.Equal(new ClientInfo(browser, browserVersion, os, osVersion, device), info);
    }

    [Theory]
    [InlineData("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Googlebot", "2")]
    [InlineData("Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.201 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Googlebot", "2")]
    [InlineData("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "Bingbot", "2")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36", "HeadlessChrome", "124")]
    [InlineData("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", "Other", null)]
    [InlineData("Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)", "Other", null)]
    [InlineData("ia_archiver-crawler", "Other", null)]
    public void Parse_Crawler_IsBot(string ua, string browser, string? version)
    {
        var info = UserAgentParser.Parse(ua, new ClientHints(Mobile: "?1"));

        Assert.Equal("bot", info.DeviceClass);
        Assert.Equal(browser, info.Browser);
        Assert.Equal(version, info.BrowserVersion);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_NoUserAgentNoHints_IsUnknown(string? ua)
    {
        var info = UserAgentParser.Parse(ua);

        Assert.Equal(new ClientInfo(null, null, null, null, "unknown"), info);
    }

    [Fact]
    public void Parse_WindowsHintsWithPlatformVersion13OrMore_IsWindows11()
    {
        var hints = new ClientHints(
            Brands: "\"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\", \"Not-A.Brand\";v=\"99\"",
            Mobile: "?0",
            Platform: "\"Windows\"",
            PlatformVersion: "\"15.0.0\"");

        var info = UserAgentParser.Parse(ChromeWindows, hints);

        Assert.Equal(new ClientInfo("Chrome", "124", "Windows", "11", "desktop"), info);
    }

    [Theory]
    [InlineData("\"10.0.0\"", "10")]
    [InlineData("\"1.0.0\"", "10")]
    [InlineData("\"0.3.0\"", "8.1")]
    [InlineData("\"0.1.0\"", "7")]
    [InlineData("\"garbage\"", null)]
    public void Parse_WindowsPlatformVersionHint_MapsToWindowsRelease(string platformVersion, string? expected)
    {
        var info = UserAgentParser.Parse(ChromeWindows, new ClientHints(Platform: "\"Windows\"", PlatformVersion: platformVersion));

        Assert.Equal(expected, info.OsVersion);
    }

    [Fact]
    public void Parse_MacHints_ReplaceFrozenMacVersion()
    {
        var info = UserAgentParser.Parse(ChromeMac, new ClientHints(Platform: "\"macOS\"", PlatformVersion: "\"14.5.0\""));

        Assert.Equal("macOS", info.Os);
        Assert.Equal("14.5", info.OsVersion);
    }

    [Fact]
    public void Parse_AndroidHints_ReplaceReducedAndroidVersion()
    {
        var hints = new ClientHints(Mobile: "?1", Platform: "\"Android\"", PlatformVersion: "\"14.0.0\"");

        var info = UserAgentParser.Parse(ChromeAndroidPhone, hints);

        Assert.Equal(new ClientInfo("Chrome", "124", "Android", "14", "mobile"), info);
    }

    [Fact]
    public void Parse_AndroidNotMobileHint_IsTablet()
    {
        var info = UserAgentParser.Parse(ChromeAndroidPhone, new ClientHints(Mobile: "?0", Platform: "\"Android\""));

        Assert.Equal("tablet", info.DeviceClass);
    }

    [Fact]
    public void Parse_MobileHintOnDesktopUserAgent_HintWins()
    {
        var info = UserAgentParser.Parse(SafariIPadDesktopMode, new ClientHints(Mobile: "?1"));

        Assert.Equal("mobile", info.DeviceClass);
    }

    [Fact]
    public void Parse_BrandHint_WinsOverUserAgentBrowser()
    {
        var hints = new ClientHints(Brands: "\"Not/A)Brand\";v=\"8\", \"Chromium\";v=\"126\", \"Microsoft Edge\";v=\"126\"");

        var info = UserAgentParser.Parse(ChromeWindows, hints);

        Assert.Equal("Edge", info.Browser);
        Assert.Equal("126", info.BrowserVersion);
    }

    [Fact]
    public void Parse_OnlyChromiumBrand_KeepsUserAgentBrowser()
    {
        const string electron = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.291 Electron/28.3.3 Safari/537.36";
        var hints = new ClientHints(Brands: "\"Not_A Brand\";v=\"8\", \"Chromium\";v=\"120\"");

        var info = UserAgentParser.Parse(electron, hints);

        Assert.Equal("Electron", info.Browser);
        Assert.Equal("28", info.BrowserVersion);
    }

    [Fact]
    public void Parse_HintsWithoutUserAgent_UsesHints()
    {
        var hints = new ClientHints("\"Google Chrome\";v=\"124\"", "?0", "\"Linux\"", "\"6.5.0\"");

        var info = UserAgentParser.Parse(null, hints);

        Assert.Equal(new ClientInfo("Chrome", "124", "Linux", null, "desktop"), info);
    }

    [Theory]
    [InlineData("\"Google Chrome")]
    [InlineData(";;;,,,\"\"\"")]
    [InlineData("Google Chrome;v=124")]
    public void Parse_MalformedBrandHint_KeepsUserAgentBrowser(string brands)
    {
        var info = UserAgentParser.Parse(EdgeWindows, new ClientHints(Brands: brands));

        Assert.Equal("Edge", info.Browser);
        Assert.Equal("124", info.BrowserVersion);
    }

    [Fact]
    public void Parse_BrandHintWithoutVersion_DropsVersionOfOtherBrowser()
    {
        var info = UserAgentParser.Parse(ChromeWindows, new ClientHints(Brands: "\"Microsoft Edge\";v=\"\""));

        Assert.Equal("Edge", info.Browser);
        Assert.Null(info.BrowserVersion);
    }
}
