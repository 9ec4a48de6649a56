using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Waymark.Client.Internal;

/// <summary>
/// Writes event fields within the limits of protocol v1 (docs/protocol.md):
/// a field over its limit would make the server reject the whole event, so
/// text is cut, durations are clamped and extra properties are left out.
/// </summary>
internal static class EventJson
{
    public const int MaxText = 2048;
    public const int MaxStack = 16 * 1024;
    public const int MaxId = 128;
    public const int MaxProps = 32;
    public const int MaxPropName = 64;
    public const int MaxPropValue = 512;
    public const double MaxDurationMs = 86_400_000;
    public const double MaxValue = 1e15;

    /// <summary>Relaxed escaping: the output is JSON for the server, never HTML; control characters (and so newlines) are still escaped.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Cut(string s, int max)
    {
        if (s.Length <= max)
        {
            return s;
        }
        // Do not split a surrogate pair: half of one is not valid UTF-16.
        return s[..(char.IsHighSurrogate(s[max - 1]) ? max - 1 : max)];
    }

    public static void Text(Utf8JsonWriter w, string name, string? value, int max = MaxText)
    {
        if (value is not null)
        {
            w.WriteString(name, Cut(value, max));
        }
    }

    public static void Duration(Utf8JsonWriter w, string name, TimeSpan? duration)
    {
        if (duration is { } d)
        {
            w.WriteNumber(name, Math.Round(Math.Clamp(d.TotalMilliseconds, 0, MaxDurationMs), 1));
        }
    }

    public static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            w.WriteNumber(name, Math.Clamp(v, -MaxValue, MaxValue));
        }
    }

    /// <summary>A flat object of at most 32 names to strings, numbers or booleans; other values are written as their invariant text.</summary>
    public static void Props(Utf8JsonWriter w, IEnumerable<KeyValuePair<string, object?>>? props)
    {
        if (props is null)
        {
            return;
        }
        var n = 0;
        foreach (var (name, value) in props)
        {
            if (value is null || string.IsNullOrEmpty(name) || name.Length > MaxPropName)
            {
                continue;
            }
            if (n == 0)
            {
                w.WriteStartObject("props");
            }
            switch (value)
            {
                case string s:
                    w.WriteString(name, Cut(s, MaxPropValue));
                    break;
                case bool b:
                    w.WriteBoolean(name, b);
                    break;
                case byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal:
                    var d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                    if (double.IsFinite(d))
                    {
                        w.WriteNumber(name, d);
                    }
                    else
                    {
                        w.WriteString(name, d.ToString(CultureInfo.InvariantCulture));
                    }
                    break;
                case DateTimeOffset t:
                    w.WriteString(name, t.ToString("O", CultureInfo.InvariantCulture));
                    break;
                case DateTime t:
                    w.WriteString(name, t.ToString("O", CultureInfo.InvariantCulture));
                    break;
                case IFormattable f:
                    w.WriteString(name, Cut(f.ToString(null, CultureInfo.InvariantCulture), MaxPropValue));
                    break;
                default:
                    w.WriteString(name, Cut(value.ToString() ?? "", MaxPropValue));
                    break;
            }
            if (++n == MaxProps)
            {
                break;
            }
        }
        if (n > 0)
        {
            w.WriteEndObject();
        }
    }
}
