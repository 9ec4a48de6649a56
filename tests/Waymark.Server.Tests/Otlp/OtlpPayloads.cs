using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text.Json;
using Google.Protobuf;

namespace Waymark.Server.Tests.Otlp;

/// <summary>An attribute; the value is a string, long, double, bool, object[] (array), Kv[] (key-value list) or null.</summary>
public sealed record Kv(string Key, object? Value);

public sealed record LogRec(DateTimeOffset Time, string? EventName = null, object? Body = null, Kv[]? Attributes = null, int Severity = 9, bool NameAsAttribute = false);

public sealed record SpanEvt(DateTimeOffset Time, string Name, Kv[] Attributes);

public sealed record SpanRec(
    string TraceId, string SpanId, string Name, int Kind, DateTimeOffset Start, double DurationMs,
    Kv[]? Attributes = null, int StatusCode = 0, string? ParentSpanId = null, SpanEvt[]? Events = null);

/// <summary>One resource with its records (logs or spans), under one scope.</summary>
public sealed record Batch(Kv[] Resource, LogRec[]? Logs = null, SpanRec[]? Spans = null, string Scope = "waymark-tests");

/// <summary>
/// Builds OTLP export requests as an SDK's exporter would: JSON with
/// Utf8JsonWriter (hex ids, int64 as strings, enums as integers) and protobuf
/// with CodedOutputStream by the field numbers of opentelemetry-proto.
/// </summary>
public static class OtlpPayloads
{
    public const int SpanInternal = 1;
    public const int Client = 3;
    public const int Error = 2;

    public static ulong Nanos(DateTimeOffset t) => (ulong)(t - DateTimeOffset.UnixEpoch).Ticks * 100;

    public static byte[] Json(params Batch[] batches)
    {
        var logs = batches.Any(b => b.Logs is not null);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteStartArray(logs ? "resourceLogs" : "resourceSpans");
            foreach (var b in batches)
            {
                w.WriteStartObject();
                w.WriteStartObject("resource");
                WriteAttributes(w, "attributes", b.Resource);
                w.WriteEndObject();
                w.WriteStartArray(logs ? "scopeLogs" : "scopeSpans");
                w.WriteStartObject();
                w.WriteStartObject("scope");
                w.WriteString("name", b.Scope);
                w.WriteEndObject();
                w.WriteStartArray(logs ? "logRecords" : "spans");
                foreach (var l in b.Logs ?? [])
                {
                    w.WriteStartObject();
                    w.WriteString("timeUnixNano", Nanos(l.Time).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    w.WriteString("observedTimeUnixNano", Nanos(l.Time).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    w.WriteNumber("severityNumber", l.Severity);
                    if (l.EventName is not null && !l.NameAsAttribute)
                    {
                        w.WriteString("eventName", l.EventName);
                    }
                    if (l.Body is not null)
                    {
                        w.WritePropertyName("body");
                        WriteValue(w, l.Body);
                    }
                    WriteAttributes(w, "attributes", Attributes(l));
                    w.WriteEndObject();
                }
                foreach (var s in b.Spans ?? [])
                {
                    w.WriteStartObject();
                    w.WriteString("traceId", s.TraceId);
                    w.WriteString("spanId", s.SpanId);
                    if (s.ParentSpanId is not null)
                    {
                        w.WriteString("parentSpanId", s.ParentSpanId);
                    }
                    w.WriteString("name", s.Name);
                    w.WriteNumber("kind", s.Kind);
                    w.WriteString("startTimeUnixNano", Nanos(s.Start).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    w.WriteNumber("endTimeUnixNano", Nanos(s.Start.AddMilliseconds(s.DurationMs)));
                    WriteAttributes(w, "attributes", s.Attributes ?? []);
                    w.WriteStartArray("events");
                    foreach (var e in s.Events ?? [])
                    {
                        w.WriteStartObject();
                        w.WriteString("timeUnixNano", Nanos(e.Time).ToString(System.Globalization.CultureInfo.InvariantCulture));
                        w.WriteString("name", e.Name);
                        WriteAttributes(w, "attributes", e.Attributes);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteStartObject("status");
                    w.WriteNumber("code", s.StatusCode);
                    w.WriteEndObject();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return stream.ToArray();
    }

    public static byte[] Protobuf(params Batch[] batches) => Message(request =>
    {
        foreach (var b in batches)
        {
            // ExportLogsServiceRequest.resource_logs = 1 / ExportTraceServiceRequest.resource_spans = 1
            Nested(request, 1, resourceData =>
            {
                // ResourceLogs/ResourceSpans.resource = 1 → Resource.attributes = 1
                Nested(resourceData, 1, resource => WriteAttributes(resource, 1, b.Resource));
                // scope_logs / scope_spans = 2
                Nested(resourceData, 2, scopeData =>
                {
                    // scope = 1 → InstrumentationScope.name = 1
                    Nested(scopeData, 1, scope => String(scope, 1, b.Scope));
                    foreach (var l in b.Logs ?? [])
                    {
                        // log_records = 2
                        Nested(scopeData, 2, log =>
                        {
                            Fixed64(log, 1, Nanos(l.Time));
                            log.WriteTag(2, WireFormat.WireType.Varint);
                            log.WriteInt32(l.Severity);
                            if (l.Body is not null)
                            {
                                Nested(log, 5, body => WriteValue(body, l.Body));
                            }
                            WriteAttributes(log, 6, Attributes(l));
                            Fixed64(log, 11, Nanos(l.Time));
                            if (l.EventName is not null && !l.NameAsAttribute)
                            {
                                String(log, 12, l.EventName);
                            }
                        });
                    }
                    foreach (var s in b.Spans ?? [])
                    {
                        // spans = 2
                        Nested(scopeData, 2, span =>
                        {
                            Bytes(span, 1, Convert.FromHexString(s.TraceId));
                            Bytes(span, 2, Convert.FromHexString(s.SpanId));
                            if (s.ParentSpanId is not null)
                            {
                                Bytes(span, 4, Convert.FromHexString(s.ParentSpanId));
                            }
                            String(span, 5, s.Name);
                            span.WriteTag(6, WireFormat.WireType.Varint);
                            span.WriteEnum(s.Kind);
                            Fixed64(span, 7, Nanos(s.Start));
                            Fixed64(span, 8, Nanos(s.Start.AddMilliseconds(s.DurationMs)));
                            WriteAttributes(span, 9, s.Attributes ?? []);
                            foreach (var e in s.Events ?? [])
                            {
                                Nested(span, 11, ev =>
                                {
                                    Fixed64(ev, 1, Nanos(e.Time));
                                    String(ev, 2, e.Name);
                                    WriteAttributes(ev, 3, e.Attributes);
                                });
                            }
                            // status = 15 → Status.code = 3
                            Nested(span, 15, status =>
                            {
                                status.WriteTag(3, WireFormat.WireType.Varint);
                                status.WriteEnum(s.StatusCode);
                            });
                            // An unknown field (a future addition) that readers must skip.
                            String(span, 99, "ignored");
                        });
                    }
                });
            });
        }
    });

    public static byte[] Gzip(byte[] body)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(body);
        }
        return output.ToArray();
    }

    /// <summary>An export as the OTLP/HTTP exporters send it, with Waymark's headers.</summary>
    public static HttpRequestMessage Request(string path, byte[] body, bool protobuf = false, string? app = "shop", string? key = "shop-key", bool gzip = false)
    {
        var content = new ByteArrayContent(gzip ? Gzip(body) : body);
        content.Headers.ContentType = new MediaTypeHeaderValue(protobuf ? "application/x-protobuf" : "application/json");
        if (gzip)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (app is not null)
        {
            request.Headers.Add("X-Waymark-App", app);
        }
        if (key is not null)
        {
            request.Headers.Add("X-Waymark-Key", key);
        }
        return request;
    }

    private static Kv[] Attributes(LogRec l) =>
        l.NameAsAttribute && l.EventName is not null ? [new Kv("event.name", l.EventName), .. l.Attributes ?? []] : l.Attributes ?? [];

    private static void WriteAttributes(Utf8JsonWriter w, string name, Kv[] attributes)
    {
        w.WriteStartArray(name);
        foreach (var a in attributes)
        {
            w.WriteStartObject();
            w.WriteString("key", a.Key);
            w.WritePropertyName("value");
            WriteValue(w, a.Value);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteValue(Utf8JsonWriter w, object? v)
    {
        w.WriteStartObject();
        switch (v)
        {
            case string s: w.WriteString("stringValue", s); break;
            case bool b: w.WriteBoolean("boolValue", b); break;
            case int or long: w.WriteString("intValue", Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
            case double d: w.WriteNumber("doubleValue", d); break;
            case Kv[] list:
                w.WriteStartObject("kvlistValue");
                WriteAttributes(w, "values", list);
                w.WriteEndObject();
                break;
            case object[] items:
                w.WriteStartObject("arrayValue");
                w.WriteStartArray("values");
                foreach (var item in items)
                {
                    WriteValue(w, item);
                }
                w.WriteEndArray();
                w.WriteEndObject();
                break;
        }
        w.WriteEndObject();
    }

    // KeyValue: key = 1, value = 2.
    private static void WriteAttributes(CodedOutputStream o, int field, Kv[] attributes)
    {
        foreach (var a in attributes)
        {
            Nested(o, field, kv =>
            {
                String(kv, 1, a.Key);
                Nested(kv, 2, value => WriteValue(value, a.Value));
            });
        }
    }

    // AnyValue: string 1, bool 2, int 3, double 4, array 5 (values = 1), kvlist 6 (values = 1).
    private static void WriteValue(CodedOutputStream o, object? v)
    {
        switch (v)
        {
            case string s: String(o, 1, s); break;
            case bool b:
                o.WriteTag(2, WireFormat.WireType.Varint);
                o.WriteBool(b);
                break;
            case int or long:
                o.WriteTag(3, WireFormat.WireType.Varint);
                o.WriteInt64(Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case double d:
                o.WriteTag(4, WireFormat.WireType.Fixed64);
                o.WriteDouble(d);
                break;
            case Kv[] list: Nested(o, 6, kvlist => WriteAttributes(kvlist, 1, list)); break;
            case object[] items:
                Nested(o, 5, array =>
                {
                    foreach (var item in items)
                    {
                        Nested(array, 1, value => WriteValue(value, item));
                    }
                });
                break;
        }
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var stream = new MemoryStream();
        using (var o = new CodedOutputStream(stream, leaveOpen: true))
        {
            write(o);
        }
        return stream.ToArray();
    }

    private static void Nested(CodedOutputStream o, int field, Action<CodedOutputStream> write) => Bytes(o, field, Message(write));

    private static void Bytes(CodedOutputStream o, int field, byte[] bytes)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(ByteString.CopyFrom(bytes));
    }

    private static void String(CodedOutputStream o, int field, string s)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteString(s);
    }

    private static void Fixed64(CodedOutputStream o, int field, ulong value)
    {
        o.WriteTag(field, WireFormat.WireType.Fixed64);
        o.WriteFixed64(value);
    }
}
