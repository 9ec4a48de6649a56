using System.Globalization;
using MudBlazor;
using Waymark.Core.Sessions;

namespace Waymark.Server.Console.Data;

/// <summary>How the console writes numbers, durations, channels and classes (invariant culture, compact).</summary>
public static class Fmt
{
    private static readonly CultureInfo s_c = CultureInfo.InvariantCulture;

    public static string Ms(double? ms) => ms switch
    {
        null => "–",
        < 1000 => Math.Round(ms.Value).ToString("0", s_c) + " ms",
        < 60_000 => (ms.Value / 1000).ToString("0.0#", s_c) + " s",
        _ => Duration(TimeSpan.FromMilliseconds(ms.Value)),
    };

    public static string Duration(TimeSpan d) => d.TotalSeconds switch
    {
        < 1 => Math.Round(d.TotalMilliseconds).ToString("0", s_c) + " ms",
        < 60 => d.TotalSeconds.ToString("0.#", s_c) + " s",
        < 3600 => $"{(int)d.TotalMinutes} min {d.Seconds} s",
        _ => $"{(int)d.TotalHours} h {d.Minutes} min",
    };

    public static string Num(long n) => n.ToString("#,0", s_c);

    /// <summary>"1 page", "5 pages".</summary>
    public static string Count(long n, string one, string? many = null) => Num(n) + " " + (n == 1 ? one : many ?? one + "s");

    public static string Pct(double share) => (share * 100).ToString(share is > 0 and < 0.1 ? "0.0" : "0", s_c) + " %";

    public static string Score(double? score) => score is { } s ? s.ToString("0.00", s_c) : "–";

    public static string Money(double v) => v.ToString("#,0", s_c);

    public static string Experience(Experience e) => ExperienceScore.Name(e);

    public static string Apdex(ApdexClass c) => c switch
    {
        ApdexClass.Satisfied => "satisfied",
        ApdexClass.Tolerating => "tolerating",
        _ => "frustrated",
    };

    public static string ChannelLabel(string channel) => channel switch
    {
        "web" => "Web",
        "mobile" => "App",
        "kiosk" => "Kiosk",
        "checkin" => "Check-in",
        "contact-center" => "Contact centre",
        "chat" => "Chat",
        "email" => "E-mail",
        "social" => "Social",
        "server" => "Server",
        _ => channel,
    };

    public static string ChannelIcon(string channel) => channel switch
    {
        "web" => Icons.Material.Outlined.Language,
        "mobile" => Icons.Material.Outlined.PhoneIphone,
        "kiosk" => Icons.Material.Outlined.Storefront,
        "checkin" => Icons.Material.Outlined.FlightTakeoff,
        "contact-center" => Icons.Material.Outlined.HeadsetMic,
        "chat" => Icons.Material.Outlined.Chat,
        "email" => Icons.Material.Outlined.Email,
        "social" => Icons.Material.Outlined.Forum,
        "server" => Icons.Material.Outlined.Dns,
        _ => Icons.Material.Outlined.Devices,
    };

    public static string DeviceLabel(string? device) => device switch
    {
        null or "" or "unknown" => "unknown device",
        _ => device,
    };

    /// <summary>A customer's name for a heading: the user tag, or the kind and the start of a hashed key.</summary>
    public static string Customer(string id)
    {
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return id;
        }
        var kind = id[..colon];
        var key = id[(colon + 1)..];
        return kind == "user" ? key : kind + " " + Cut(key, 12);
    }

    /// <summary>A long id cut for a list (the full one is in the link and the title).</summary>
    public static string Cut(string id, int keep = 14) => id.Length <= keep ? id : id[..keep] + "…";
}
