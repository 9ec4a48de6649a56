using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;

namespace Waymark.Server.Collect.Otlp;

/// <summary>The JSON values of OTLP: names in two spellings, hex ids, 64-bit integers as strings, enums.</summary>
internal sealed partial class OtlpJsonReader
{
    // The proto names of the fields read, for senders that use them.
    private static readonly FrozenDictionary<string, string> s_snake = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["resourceLogs"] = "resource_logs", ["resourceSpans"] = "resource_spans", ["scopeLogs"] = "scope_logs",
        ["scopeSpans"] = "scope_spans", ["logRecords"] = "log_records", ["timeUnixNano"] = "time_unix_nano",
        ["observedTimeUnixNano"] = "observed_time_unix_nano", ["severityNumber"] = "severity_number",
        ["severityText"] = "severity_text", ["eventName"] = "event_name", ["traceId"] = "trace_id", ["spanId"] = "span_id",
        ["parentSpanId"] = "parent_span_id", ["startTimeUnixNano"] = "start_time_unix_nano",
        ["endTimeUnixNano"] = "end_time_unix_nano", ["stringValue"] = "string_value", ["boolValue"] = "bool_value",
        ["intValue"] = "int_value", ["doubleValue"] = "double_value", ["arrayValue"] = "array_value",
        ["kvlistValue"] = "kvlist_value", ["bytesValue"] = "bytes_value",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Runs a step of reading; a fault in it is placed under <paramref name="name"/>.</summary>
    private static T Within<T>(string name, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (OtlpFormatException ex)
        {
            throw ex.At(name);
        }
    }

    private static void Within(string name, Action read) => Within(name, () =>
    {
        read();
        return 0;
    });

    /// <summary>A field by its lowerCamelCase name, else by its proto name; null when absent or null.</summary>
    private static JsonElement? Get(JsonElement obj, string camel)
    {
        if (obj.TryGetProperty(camel, out var v) || (s_snake.TryGetValue(camel, out var snake) && obj.TryGetProperty(snake, out v)))
        {
            return v.ValueKind == JsonValueKind.Null ? null : v;
        }
        return null;
    }

    private static JsonElement.ArrayEnumerator Array(JsonElement obj, string name)
    {
        if (Get(obj, name) is not { } v)
        {
            return default;
        }
        if (v.ValueKind != JsonValueKind.Array)
        {
            throw new OtlpFormatException($"must be an array, not {Kind(v.ValueKind)}", name);
        }
        return v.EnumerateArray();
    }

    private static string? String(JsonElement obj, string name) => Get(obj, name) is { } v ? Text(v, name) : null;

    private static string Text(JsonElement v, string? name)
    {
        if (v.ValueKind != JsonValueKind.String)
        {
            throw new OtlpFormatException($"must be a string, not {Kind(v.ValueKind)}", name);
        }
        try
        {
            return v.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new OtlpFormatException("not valid UTF-8", name);
        }
    }

    private static string? HexId(JsonElement obj, string name)
    {
        if (String(obj, name) is not { Length: > 0 } hex)
        {
            return null;
        }
        if (hex.Length > 64 || hex.Length % 2 != 0 || !hex.All(char.IsAsciiHexDigit))
        {
            throw new OtlpFormatException("must be hex digits (OTLP/JSON encodes trace and span ids as hex, not base64)", name);
        }
        return hex.ToLowerInvariant();
    }

    private static ulong UInt64(JsonElement obj, string name)
    {
        if (Get(obj, name) is not { } v)
        {
            return 0;
        }
        if (v.ValueKind == JsonValueKind.Number && v.TryGetUInt64(out var n) ||
            v.ValueKind == JsonValueKind.String && ulong.TryParse(v.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out n))
        {
            return n;
        }
        throw new OtlpFormatException("must be an unsigned 64-bit integer, as a string or a number", name);
    }

    private static long Int64(JsonElement v)
    {
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ||
            v.ValueKind == JsonValueKind.String && long.TryParse(v.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n))
        {
            return n;
        }
        throw new OtlpFormatException("must be a 64-bit integer, as a string or a number");
    }

    private static int Enum(JsonElement obj, string name, FrozenDictionary<string, int> names)
    {
        if (Get(obj, name) is not { } v)
        {
            return 0;
        }
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n))
        {
            return n;
        }
        if (v.ValueKind == JsonValueKind.String && names.TryGetValue(v.GetString()!, out n))
        {
            return n;
        }
        throw new OtlpFormatException("must be the enum's integer value", name);
    }

    private static void Expect(JsonElement v, JsonValueKind kind)
    {
        if (v.ValueKind != kind)
        {
            throw new OtlpFormatException($"must be {Kind(kind)}, not {Kind(v.ValueKind)}");
        }
    }

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string FirstSentence(string message)
    {
        var i = message.IndexOf(". ", StringComparison.Ordinal);
        return i > 0 ? message[..i] : message.TrimEnd('.');
    }
}
