using System.Globalization;

namespace Waymark.Server.Collect.Otlp;

// The part of OTLP (opentelemetry-proto logs/v1, trace/v1, common/v1,
// resource/v1) that Waymark reads. Both the JSON and the protobuf readers fill
// these, so that the mapping onto Waymark events is written once.

/// <summary>The kinds of an OTLP AnyValue.</summary>
internal enum OtlpValueKind : byte
{
    Empty,
    String,
    Bool,
    Int,
    Double,
    Bytes,
    Array,
    KeyValueList,
}

/// <summary>An OTLP AnyValue.</summary>
internal sealed class OtlpValue
{
    public static readonly OtlpValue Empty = new();

    public OtlpValueKind Kind { get; init; }
    public string? String { get; init; }
    public bool Bool { get; init; }
    public long Int { get; init; }
    public double Double { get; init; }
    public byte[]? Bytes { get; init; }
    public List<OtlpValue>? Items { get; init; }
    public List<OtlpAttribute>? Fields { get; init; }

    /// <summary>Text of a scalar (numbers in invariant culture); null for an array, a list or nothing.</summary>
    public string? AsString() => Kind switch
    {
        OtlpValueKind.String => String,
        OtlpValueKind.Bool => Bool ? "true" : "false",
        OtlpValueKind.Int => Int.ToString(CultureInfo.InvariantCulture),
        OtlpValueKind.Double => Double.ToString("R", CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>A finite number from a number or a numeric string.</summary>
    public double? AsDouble() => Kind switch
    {
        OtlpValueKind.Int => Int,
        OtlpValueKind.Double when double.IsFinite(Double) => Double,
        OtlpValueKind.String when double.TryParse(String, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
        _ => null,
    };

    public bool? AsBool() => Kind switch
    {
        OtlpValueKind.Bool => Bool,
        OtlpValueKind.String when bool.TryParse(String, out var b) => b,
        _ => null,
    };

    /// <summary>A field of a key-value list value (event bodies carry their payload so).</summary>
    public OtlpValue? Field(string key) => Fields is null ? null : OtlpAttributes.Find(Fields, key);
}

/// <summary>An OTLP KeyValue.</summary>
internal readonly record struct OtlpAttribute(string Key, OtlpValue Value);

/// <summary>Look-ups in attribute lists (at most <see cref="OtlpOptions.MaxAttributes"/> long: a linear search).</summary>
internal static class OtlpAttributes
{
    public static OtlpValue? Find(List<OtlpAttribute> attributes, string key)
    {
        foreach (var a in attributes)
        {
            if (string.Equals(a.Key, key, StringComparison.Ordinal))
            {
                return a.Value;
            }
        }
        return null;
    }

    public static string? String(List<OtlpAttribute> attributes, string key) =>
        Find(attributes, key)?.AsString() is { Length: > 0 } s ? s : null;

    public static double? Number(List<OtlpAttribute> attributes, string key) => Find(attributes, key)?.AsDouble();
}

/// <summary>An OTLP Resource.</summary>
internal sealed class OtlpResource
{
    public List<OtlpAttribute> Attributes { get; } = [];
}

/// <summary>An OTLP InstrumentationScope.</summary>
internal sealed class OtlpScope
{
    public static readonly OtlpScope None = new();

    public string? Name { get; set; }
    public string? Version { get; set; }
    public List<OtlpAttribute> Attributes { get; } = [];
}

/// <summary>A record with the resource and scope it came with.</summary>
internal abstract class OtlpRecord
{
    public required OtlpResource Resource { get; init; }
    public required OtlpScope Scope { get; init; }
    public List<OtlpAttribute> Attributes { get; } = [];
    /// <summary>Lower-case hex, as OTLP/JSON writes it; null when not set.</summary>
    public string? TraceId { get; set; }
    public string? SpanId { get; set; }

    /// <summary>An attribute of the record, else of its scope, else of its resource.</summary>
    public string? Lookup(string key) =>
        OtlpAttributes.String(Attributes, key) ?? OtlpAttributes.String(Scope.Attributes, key) ?? OtlpAttributes.String(Resource.Attributes, key);
}

/// <summary>An OTLP LogRecord.</summary>
internal sealed class OtlpLogRecord : OtlpRecord
{
    public ulong TimeUnixNano { get; set; }
    public ulong ObservedTimeUnixNano { get; set; }
    public int SeverityNumber { get; set; }
    public string? SeverityText { get; set; }
    public OtlpValue? Body { get; set; }
    /// <summary>LogRecord.event_name (field 12), newer SDKs; older ones send the attribute event.name.</summary>
    public string? EventName { get; set; }
}

/// <summary>An OTLP Span.</summary>
internal sealed class OtlpSpan : OtlpRecord
{
    public const int KindInternal = 1;
    public const int KindClient = 3;
    public const int StatusError = 2;

    public string? ParentSpanId { get; set; }
    public string? Name { get; set; }
    public int Kind { get; set; }
    public ulong StartTimeUnixNano { get; set; }
    public ulong EndTimeUnixNano { get; set; }
    public List<OtlpSpanEvent> Events { get; } = [];
    public int StatusCode { get; set; }
    public string? StatusMessage { get; set; }
}

/// <summary>An OTLP Span.Event.</summary>
internal sealed class OtlpSpanEvent
{
    public ulong TimeUnixNano { get; set; }
    public string? Name { get; set; }
    public List<OtlpAttribute> Attributes { get; } = [];
}

/// <summary>One export request, read.</summary>
internal sealed class OtlpExport
{
    public List<OtlpLogRecord> Logs { get; } = [];
    public List<OtlpSpan> Spans { get; } = [];
    /// <summary>Records past <see cref="OtlpOptions.MaxRecords"/>: counted, not read.</summary>
    public int OverLimit { get; set; }
}

/// <summary>The request is not OTLP, or breaks a bound: answered 400 with the reason.</summary>
/// <param name="reason">What is wrong.</param>
/// <param name="path">Where, as a JSON path below the request (e.g. resourceSpans[0].scopeSpans[1].spans[2].kind).</param>
internal sealed class OtlpFormatException(string reason, string? path = null) : Exception(path is null ? reason : path + ": " + reason)
{
    public string Reason { get; } = reason;
    public string? Path { get; } = path;

    /// <summary>The same fault one level up: paths are built on the way out, so reading builds no strings.</summary>
    public OtlpFormatException At(string parent) =>
        new(Reason, Path is null ? parent : Path.StartsWith('[') ? parent + Path : parent + "." + Path);
}
