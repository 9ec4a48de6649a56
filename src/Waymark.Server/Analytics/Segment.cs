using System.Text;
using System.Text.Json;
using Waymark.Server.Store;

namespace Waymark.Server.Analytics;

/// <summary>
/// Which sessions an analysis looks at: every field that is set must match.
/// Written as a query string (<c>channel=web&amp;browser=Safari&amp;prop=locale:de-DE</c>),
/// which is also how a saved segment is stored and shared by URL.
/// </summary>
public sealed record Segment(
    string? Channel = null, string? Version = null, string? Browser = null, string? Os = null, string? Device = null,
    string? Country = null, string? Touchpoint = null, string? Visitor = null, string? Identified = null, string? Prop = null)
{
    /// <summary>The query-string fields, in the order <see cref="ToQuery"/> writes them.</summary>
    public static readonly string[] Fields = ["channel", "version", "browser", "os", "device", "country", "touchpoint", "visitor", "identified", "prop"];

    public static Segment All { get; } = new();

    public bool IsEmpty => this == All;

    /// <summary>The segment of a query string's fields; errors name the field and what it takes.</summary>
    public static Segment Parse(Func<string, string?> get, List<string> errors)
    {
        string? F(string name)
        {
            var v = get(name);
            if (v is null || v.Length == 0)
            {
                return null;
            }
            if (v.Length > 200)
            {
                errors.Add($"{name}: at most 200 characters");
                return null;
            }
            return v;
        }
        var s = new Segment(F("channel"), F("version"), F("browser"), F("os"), F("device"), F("country"), F("touchpoint"), F("visitor"), F("identified"), F("prop"));
        if (s.Visitor is not (null or "new" or "returning"))
        {
            errors.Add("visitor: new or returning");
        }
        if (s.Identified is not (null or "yes" or "no"))
        {
            errors.Add("identified: yes or no");
        }
        if (s.Prop is { } p && (p.IndexOf(':', StringComparison.Ordinal) is var i && (i <= 0 || i == p.Length - 1)))
        {
            errors.Add("prop: key:value (a property of any event of the session)");
        }
        return s;
    }

    /// <summary>This segment's fields, and <paramref name="under"/>'s where this one sets none (a request on top of a saved segment).</summary>
    public Segment Over(Segment under) => new(
        Channel ?? under.Channel, Version ?? under.Version, Browser ?? under.Browser, Os ?? under.Os, Device ?? under.Device,
        Country ?? under.Country, Touchpoint ?? under.Touchpoint, Visitor ?? under.Visitor, Identified ?? under.Identified, Prop ?? under.Prop);

    /// <summary>The segment of a saved query string.</summary>
    public static Segment FromQuery(string query, List<string> errors)
    {
        var q = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query.StartsWith('?') ? query : "?" + query);
        return Parse(n => q.TryGetValue(n, out var v) ? v.ToString() : null, errors);
    }

    /// <summary>The fields that are set, as a query string without the leading '?'.</summary>
    public string ToQuery()
    {
        var sb = new StringBuilder();
        foreach (var (name, value) in Pairs())
        {
            sb.Append(sb.Length == 0 ? "" : "&").Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }
        return sb.ToString();
    }

    /// <summary>The fields that are set, in order.</summary>
    public IEnumerable<(string Name, string Value)> Pairs()
    {
        string?[] values = [Channel, Version, Browser, Os, Device, Country, Touchpoint, Visitor, Identified, Prop];
        for (var i = 0; i < Fields.Length; i++)
        {
            if (values[i] is { } v)
            {
                yield return (Fields[i], v);
            }
        }
    }

    /// <summary>Whether the session belongs to the segment; <paramref name="returning"/> says whether its visitor was seen before.</summary>
    public bool Matches(SessionWithEvents s, bool returning)
    {
        var x = s.Session;
        return Eq(Channel, x.Channel) && Eq(Version, x.AppVersion) && Eq(Browser, x.Browser) && Eq(Os, x.Os) && Eq(Device, x.DeviceClass)
            && Eq(Country, x.Country) && Eq(Touchpoint, x.Touchpoint ?? x.EntryPage)
            && (Visitor is null || (Visitor == "returning") == returning)
            && (Identified is null || (Identified == "yes") == (x.UserTag is not null))
            && (Prop is null || HasProperty(s, Prop));
    }

    private static bool Eq(string? want, string? have) => want is null || string.Equals(want, have, StringComparison.OrdinalIgnoreCase);

    private static bool HasProperty(SessionWithEvents s, string prop)
    {
        var i = prop.IndexOf(':', StringComparison.Ordinal);
        var (key, value) = (prop[..i], prop[(i + 1)..]);
        foreach (var e in s.Events)
        {
            if (e.Event.Props is not { Length: > 0 } json || !json.Contains(key, StringComparison.Ordinal))
            {
                continue;
            }
            try
            {
                using var doc = JsonDocument.Parse(json);
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(key, out var v)
                    && string.Equals(v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText(), value, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
            catch (JsonException)
            {
                // Props are validated JSON at ingest; a stored value that is not is no match.
            }
        }
        return false;
    }
}
