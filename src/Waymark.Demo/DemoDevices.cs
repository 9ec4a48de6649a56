using System.Globalization;
using Waymark.Core.Events;

namespace Waymark.Demo;

/// <summary>A browser or app install: one visitor id, the person behind it, and whether the site knows them.</summary>
internal sealed class DemoVisitor(BatchContext context, string customerTag, Place place)
{
    /// <summary>The batch context without session, user tag and receive time.</summary>
    public BatchContext Context { get; } = context;

    /// <summary>The customer this device belongs to, whether or not they have logged in on it yet.</summary>
    public string CustomerTag { get; } = customerTag;

    public Place Place { get; } = place;

    /// <summary>Logged in on this device before: the client sends the tag from the start.</summary>
    public bool Known { get; set; }
}

/// <summary>Draws realistic device, browser and app facts, as the server's enrichment would report them.</summary>
internal static class DemoDevices
{
    private static readonly (string Item, double Weight)[] s_webClasses = [("desktop", 0.50), ("mobile", 0.42), ("tablet", 0.08)];

    public static string VisitorId(DemoRandom rng) => "v-" + rng.Hex(16);

    public static string SessionId(DemoRandom rng) => "s-" + rng.Hex(16);

    /// <summary>An anonymised IPv4 address (its /24), in a range that fits the country.</summary>
    public static string Ip(DemoRandom rng, Place place) =>
        string.Create(CultureInfo.InvariantCulture, $"{place.IpFirstOctet}.{rng.Next(256)}.{rng.Next(256)}.0");

    public static BatchContext Web(DemoRandom rng, string app, Place place)
    {
        var deviceClass = rng.Pick(s_webClasses);
        var (os, osVersion, browser, model) = deviceClass switch
        {
            "desktop" => rng.Chance(0.68)
                ? ("Windows", rng.Chance(0.55) ? "10" : "11", rng.Pick<string>([("Chrome", 0.60), ("Edge", 0.27), ("Firefox", 0.13)]), (string?)null)
                : ("macOS", "10.15", rng.Pick<string>([("Safari", 0.52), ("Chrome", 0.40), ("Firefox", 0.08)]), null),
            "mobile" => rng.Chance(0.55)
                ? ("iOS", rng.Pick<string>([("18.1", 0.45), ("18.2", 0.30), ("17.6", 0.25)]), rng.Chance(0.86) ? "Safari" : "Chrome", "iPhone")
                : ("Android", rng.Pick<string>([("14", 0.45), ("15", 0.30), ("13", 0.25)]), rng.Chance(0.92) ? "Chrome" : "Firefox",
                    rng.Pick<string>(["Pixel 8", "SM-S921B", "SM-A546B", "Pixel 7a", "moto g84 5G"])),
            _ => rng.Chance(0.7)
                ? ("iPadOS", rng.Pick<string>([("18.1", 0.5), ("17.6", 0.5)]), rng.Chance(0.9) ? "Safari" : "Chrome", "iPad")
                : ("Android", "14", "Chrome", rng.Pick<string>(["SM-X710", "Lenovo TB-X606F"])),
        };
        var version = browser switch
        {
            "Safari" => osVersion.StartsWith("17", StringComparison.Ordinal) ? "17" : "18",
            "Firefox" => rng.Pick<string>(["133", "132", "128"]),
            "Edge" => rng.Pick<string>(["131", "130"]),
            _ => rng.Pick<string>([("131", 0.6), ("130", 0.3), ("129", 0.1)]),
        };
        return new BatchContext
        {
            App = app, Channel = "web", Visitor = VisitorId(rng), Received = default, DeviceClass = deviceClass,
            Browser = browser, BrowserVersion = version, Os = os, OsVersion = osVersion, Model = model,
            Locale = place.Locale, Country = place.Country, City = place.City, Ip = Ip(rng, place),
        };
    }

    public static BatchContext App(DemoRandom rng, string app, Place place)
    {
        var tablet = rng.Chance(0.1);
        var ios = rng.Chance(0.56);
        var (os, osVersion, model) = (ios, tablet) switch
        {
            (true, false) => ("iOS", rng.Pick<string>([("18.1", 0.45), ("18.2", 0.30), ("17.6", 0.25)]),
                rng.Pick<string>(["iPhone 16", "iPhone 15", "iPhone 14", "iPhone 13", "iPhone SE"])),
            (true, true) => ("iPadOS", "18.1", "iPad Air"),
            (false, false) => ("Android", rng.Pick<string>([("14", 0.45), ("15", 0.30), ("13", 0.25)]),
                rng.Pick<string>(["Pixel 8", "SM-S921B", "SM-A546B", "Pixel 7a", "moto g84 5G"])),
            _ => ("Android", "14", "SM-X710"),
        };
        return new BatchContext
        {
            App = app, Channel = "mobile", Visitor = VisitorId(rng), Received = default, DeviceClass = tablet ? "tablet" : "mobile",
            Os = os, OsVersion = osVersion, Model = model,
            AppVersion = rng.Pick<string>([("5.3.0", 0.58), ("5.2.1", 0.32), ("5.1.4", 0.10)]),
            Locale = place.Locale, Country = place.Country, City = place.City, Ip = Ip(rng, place),
        };
    }

    /// <summary>A shared device in a store or at an airport: its touchpoint is where it stands.</summary>
    public static BatchContext Terminal(DemoRandom rng, string app, string channel, Site site, string touchpoint, string appVersion) => new()
    {
        App = app, Channel = channel, Visitor = VisitorId(rng), Received = default, DeviceClass = "kiosk",
        Os = "Windows", OsVersion = "10", Model = channel == "kiosk" ? "Elo 22 I-Series" : "IER 920",
        AppVersion = appVersion, Locale = site.Place.Locale, Country = site.Place.Country, City = site.Place.City,
        Ip = Ip(rng, site.Place), Touchpoint = touchpoint,
    };
}
