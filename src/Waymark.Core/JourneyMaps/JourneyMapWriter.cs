using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Waymark.Core.JourneyMaps;

/// <summary>
/// Writes a map as YAML or JSON in the schema <see cref="JourneyMapReader"/>
/// reads (docs/journey-maps.md): reading what was written gives the same map.
/// Fields left at their defaults are not written.
/// </summary>
public static class JourneyMapWriter
{
    private static readonly JsonWriterOptions s_json = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The map as a YAML document (every text double-quoted, so no value is read as something else).</summary>
    public static string ToYaml(JourneyMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var y = new StringBuilder();
        Line(y, 0, "id", map.Id);
        Line(y, 0, "goal", map.Goal);
        y.Append("version: ").Append(map.Version.ToString(CultureInfo.InvariantCulture)).Append('\n');
        Line(y, 0, "description", map.Description);
        Line(y, 0, "owner", map.Owner);
        Line(y, 0, "conversion", map.Conversion);
        if (map.Kpis.Count > 0)
        {
            y.Append("kpis:\n");
            foreach (var k in map.Kpis)
            {
                y.Append("  - name: ").Append(Quote(k.Name)).Append('\n');
                Line(y, 4, "target", k.Target);
                Line(y, 4, "description", k.Description);
            }
        }
        y.Append("stages:\n");
        foreach (var s in map.Stages)
        {
            y.Append("  - name: ").Append(Quote(s.Name)).Append('\n');
            Line(y, 4, "description", s.Description);
            y.Append("    touchpoints:\n");
            foreach (var t in s.Touchpoints)
            {
                y.Append("      - id: ").Append(Quote(t.Id)).Append('\n');
                Line(y, 8, "name", t.Name);
                Line(y, 8, "channel", t.Channel);
                y.Append("        match:\n");
                Line(y, 10, "page", t.Match.Page);
                Line(y, 10, "screen", t.Match.Screen);
                Line(y, 10, "event", t.Match.Event);
                if (t.Match.Properties.Count > 0)
                {
                    y.Append("          properties:\n");
                    foreach (var (key, value) in t.Match.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
                    {
                        y.Append(' ', 12).Append(Quote(key)).Append(": ").Append(Quote(value)).Append('\n');
                    }
                }
                if (t.ExpectedDuration is { } d)
                {
                    y.Append("        expectedDuration: ").Append(FormatDuration(d)).Append('\n');
                }
                Line(y, 8, "expectation", t.Expectation);
                List(y, 8, "systems", t.Systems);
                Line(y, 8, "department", t.Department);
                List(y, 8, "kpis", t.Kpis);
                if (t.Optional)
                {
                    y.Append("        optional: true\n");
                }
                if (t.Repeatable)
                {
                    y.Append("        repeatable: true\n");
                }
            }
        }
        return y.ToString();
    }

    /// <summary>The map as an indented JSON document.</summary>
    public static string ToJson(JourneyMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, s_json))
        {
            w.WriteStartObject();
            w.WriteString("id", map.Id);
            w.WriteString("goal", map.Goal);
            w.WriteNumber("version", map.Version);
            Opt(w, "description", map.Description);
            Opt(w, "owner", map.Owner);
            Opt(w, "conversion", map.Conversion);
            if (map.Kpis.Count > 0)
            {
                w.WriteStartArray("kpis");
                foreach (var k in map.Kpis)
                {
                    w.WriteStartObject();
                    w.WriteString("name", k.Name);
                    Opt(w, "target", k.Target);
                    Opt(w, "description", k.Description);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteStartArray("stages");
            foreach (var s in map.Stages)
            {
                w.WriteStartObject();
                w.WriteString("name", s.Name);
                Opt(w, "description", s.Description);
                w.WriteStartArray("touchpoints");
                foreach (var t in s.Touchpoints)
                {
                    Touchpoint(w, t);
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Touchpoint(Utf8JsonWriter w, Touchpoint t)
    {
        w.WriteStartObject();
        w.WriteString("id", t.Id);
        w.WriteString("name", t.Name);
        w.WriteString("channel", t.Channel);
        w.WriteStartObject("match");
        Opt(w, "page", t.Match.Page);
        Opt(w, "screen", t.Match.Screen);
        Opt(w, "event", t.Match.Event);
        if (t.Match.Properties.Count > 0)
        {
            w.WriteStartObject("properties");
            foreach (var (key, value) in t.Match.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                w.WriteString(key, value);
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
        if (t.ExpectedDuration is { } d)
        {
            w.WriteString("expectedDuration", FormatDuration(d));
        }
        Opt(w, "expectation", t.Expectation);
        OptList(w, "systems", t.Systems);
        Opt(w, "department", t.Department);
        OptList(w, "kpis", t.Kpis);
        if (t.Optional)
        {
            w.WriteBoolean("optional", true);
        }
        if (t.Repeatable)
        {
            w.WriteBoolean("repeatable", true);
        }
        w.WriteEndObject();
    }

    /// <summary>A duration as the reader reads it: 1h30m, 90s, 250ms.</summary>
    public static string FormatDuration(TimeSpan d)
    {
        var ms = (long)Math.Round(d.TotalMilliseconds);
        if (ms <= 0)
        {
            return "0s";
        }
        var s = new StringBuilder();
        foreach (var (unit, size) in new[] { ("d", 86_400_000L), ("h", 3_600_000L), ("m", 60_000L), ("s", 1000L), ("ms", 1L) })
        {
            if (ms >= size)
            {
                s.Append((ms / size).ToString(CultureInfo.InvariantCulture)).Append(unit);
                ms %= size;
            }
        }
        return s.ToString();
    }

    private static void Line(StringBuilder y, int indent, string key, string? value)
    {
        if (value is not null)
        {
            y.Append(' ', indent).Append(key).Append(": ").Append(Quote(value)).Append('\n');
        }
    }

    private static void List(StringBuilder y, int indent, string key, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            y.Append(' ', indent).Append(key).Append(": [").AppendJoin(", ", values.Select(Quote)).Append("]\n");
        }
    }

    /// <summary>A YAML double-quoted scalar; JSON string escaping is valid in it.</summary>
    private static string Quote(string value) => JsonSerializer.Serialize(value, s_quote);

    private static readonly JsonSerializerOptions s_quote = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static void Opt(Utf8JsonWriter w, string key, string? value)
    {
        if (value is not null)
        {
            w.WriteString(key, value);
        }
    }

    private static void OptList(Utf8JsonWriter w, string key, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            w.WriteStartArray(key);
            foreach (var v in values)
            {
                w.WriteStringValue(v);
            }
            w.WriteEndArray();
        }
    }
}
