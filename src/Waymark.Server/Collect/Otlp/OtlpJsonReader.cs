using System.Globalization;
using System.Text.Json;

namespace Waymark.Server.Collect.Otlp;

/// <summary>
/// Reads ExportLogsServiceRequest and ExportTraceServiceRequest in the OTLP
/// JSON encoding: the protobuf JSON mapping with lowerCamelCase names (the
/// original snake_case names are accepted too), trace and span ids as hex,
/// enums as integers (their names are accepted too), 64-bit integers as
/// strings or numbers. Unknown fields are ignored. A fault names its JSON path.
/// </summary>
internal sealed partial class OtlpJsonReader(OtlpOptions options)
{
    public OtlpExport ReadLogs(byte[] body) => Read(body, logs: true);

    public OtlpExport ReadTraces(byte[] body) => Read(body, logs: false);

    private OtlpExport Read(byte[] body, bool logs)
    {
        JsonDocument doc;
        // An attribute's value lies 10 deep; each AnyValue level nests four more (value,
        // kvlistValue, values, the pair). One level to spare, so the AnyValue check speaks first.
        var maxDepth = 14 + 4 * (options.MaxValueDepth + 1);
        try
        {
            doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = maxDepth });
        }
        catch (JsonException ex) when (ex.Message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase))
        {
            throw new OtlpFormatException($"an AnyValue is nested deeper than {options.MaxValueDepth} arrays or key-value lists (the JSON is nested deeper than {maxDepth})");
        }
        catch (JsonException ex)
        {
            throw new OtlpFormatException("the body is not valid UTF-8 JSON (" + FirstSentence(ex.Message) + ")");
        }
        using (doc)
        {
            var export = new OtlpExport();
            var root = doc.RootElement;
            Expect(root, JsonValueKind.Object);
            var (resourceName, scopeName, recordName) = logs
                ? ("resourceLogs", "scopeLogs", "logRecords")
                : ("resourceSpans", "scopeSpans", "spans");
            var r = 0;
            foreach (var resourceData in Array(root, resourceName))
            {
                try
                {
                    ReadResourceData(resourceData, export, logs, scopeName, recordName);
                }
                catch (OtlpFormatException ex)
                {
                    throw ex.At($"{resourceName}[{r}]");
                }
                r++;
            }
            return export;
        }
    }

    private void ReadResourceData(JsonElement resourceData, OtlpExport export, bool logs, string scopeName, string recordName)
    {
        Expect(resourceData, JsonValueKind.Object);
        var resource = new OtlpResource();
        if (Get(resourceData, "resource") is { } res)
        {
            Within("resource", () =>
            {
                Expect(res, JsonValueKind.Object);
                ReadAttributes(res, resource.Attributes);
            });
        }
        var s = 0;
        foreach (var scopeData in Array(resourceData, scopeName))
        {
            var at = s++;
            try
            {
                Expect(scopeData, JsonValueKind.Object);
                var scope = new OtlpScope();
                if (Get(scopeData, "scope") is { } sc)
                {
                    Within("scope", () =>
                    {
                        Expect(sc, JsonValueKind.Object);
                        scope.Name = String(sc, "name");
                        scope.Version = String(sc, "version");
                        ReadAttributes(sc, scope.Attributes);
                    });
                }
                var i = 0;
                foreach (var record in Array(scopeData, recordName))
                {
                    if (export.Logs.Count + export.Spans.Count >= options.MaxRecords)
                    {
                        export.OverLimit++;
                        continue;
                    }
                    try
                    {
                        Expect(record, JsonValueKind.Object);
                        if (logs)
                        {
                            export.Logs.Add(ReadLogRecord(record, new OtlpLogRecord { Resource = resource, Scope = scope }));
                        }
                        else
                        {
                            export.Spans.Add(ReadSpan(record, new OtlpSpan { Resource = resource, Scope = scope }));
                        }
                    }
                    catch (OtlpFormatException ex)
                    {
                        throw ex.At($"{recordName}[{i}]");
                    }
                    i++;
                }
            }
            catch (OtlpFormatException ex)
            {
                throw ex.At($"{scopeName}[{at}]");
            }
        }
    }

    private OtlpLogRecord ReadLogRecord(JsonElement e, OtlpLogRecord log)
    {
        log.TimeUnixNano = UInt64(e, "timeUnixNano");
        log.ObservedTimeUnixNano = UInt64(e, "observedTimeUnixNano");
        log.SeverityNumber = Enum(e, "severityNumber", OtlpEnums.Severity);
        log.SeverityText = String(e, "severityText");
        log.EventName = String(e, "eventName");
        log.TraceId = HexId(e, "traceId");
        log.SpanId = HexId(e, "spanId");
        if (Get(e, "body") is { } body)
        {
            log.Body = Within("body", () => ReadValue(body, 1));
        }
        ReadAttributes(e, log.Attributes);
        return log;
    }

    private OtlpSpan ReadSpan(JsonElement e, OtlpSpan span)
    {
        span.TraceId = HexId(e, "traceId");
        span.SpanId = HexId(e, "spanId");
        span.ParentSpanId = HexId(e, "parentSpanId");
        span.Name = String(e, "name");
        span.Kind = Enum(e, "kind", OtlpEnums.SpanKind);
        span.StartTimeUnixNano = UInt64(e, "startTimeUnixNano");
        span.EndTimeUnixNano = UInt64(e, "endTimeUnixNano");
        ReadAttributes(e, span.Attributes);
        var i = 0;
        foreach (var ev in Array(e, "events"))
        {
            if (span.Events.Count >= options.MaxSpanEvents)
            {
                break;
            }
            Within($"events[{i++}]", () =>
            {
                Expect(ev, JsonValueKind.Object);
                var spanEvent = new OtlpSpanEvent { TimeUnixNano = UInt64(ev, "timeUnixNano"), Name = String(ev, "name") };
                ReadAttributes(ev, spanEvent.Attributes);
                span.Events.Add(spanEvent);
            });
        }
        if (Get(e, "status") is { } status)
        {
            Within("status", () =>
            {
                Expect(status, JsonValueKind.Object);
                span.StatusCode = Enum(status, "code", OtlpEnums.StatusCode);
                span.StatusMessage = String(status, "message");
            });
        }
        return span;
    }

    private void ReadAttributes(JsonElement owner, List<OtlpAttribute> into, int depth = 1, string name = "attributes")
    {
        var i = 0;
        foreach (var kv in Array(owner, name))
        {
            if (into.Count >= options.MaxAttributes)
            {
                break;
            }
            try
            {
                Expect(kv, JsonValueKind.Object);
                var key = String(kv, "key");
                var value = OtlpValue.Empty;
                if (Get(kv, "value") is { } v)
                {
                    try
                    {
                        value = ReadValue(v, depth);
                    }
                    catch (OtlpFormatException ex)
                    {
                        throw ex.At("value");
                    }
                }
                if (key is not null)
                {
                    into.Add(new OtlpAttribute(key, value));
                }
            }
            catch (OtlpFormatException ex)
            {
                throw ex.At($"{name}[{i}]");
            }
            i++;
        }
    }

    private OtlpValue ReadValue(JsonElement v, int depth)
    {
        if (depth > options.MaxValueDepth)
        {
            throw new OtlpFormatException($"an AnyValue is nested deeper than {options.MaxValueDepth} arrays or key-value lists");
        }
        Expect(v, JsonValueKind.Object);
        if (Get(v, "stringValue") is { } s)
        {
            return new OtlpValue { Kind = OtlpValueKind.String, String = Text(s, "stringValue") };
        }
        if (Get(v, "boolValue") is { } b)
        {
            return b.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? new OtlpValue { Kind = OtlpValueKind.Bool, Bool = b.GetBoolean() }
                : throw new OtlpFormatException("must be true or false", "boolValue");
        }
        if (Get(v, "intValue") is { } n)
        {
            return new OtlpValue { Kind = OtlpValueKind.Int, Int = Within("intValue", () => Int64(n)) };
        }
        if (Get(v, "doubleValue") is { } d)
        {
            return d.ValueKind == JsonValueKind.Number && d.TryGetDouble(out var x) ||
                   d.ValueKind == JsonValueKind.String && double.TryParse(d.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out x)
                ? new OtlpValue { Kind = OtlpValueKind.Double, Double = x }
                : throw new OtlpFormatException("must be a number", "doubleValue");
        }
        if (Get(v, "arrayValue") is { } array)
        {
            return Within("arrayValue", () =>
            {
                Expect(array, JsonValueKind.Object);
                var items = new List<OtlpValue>();
                var i = 0;
                foreach (var item in Array(array, "values"))
                {
                    if (items.Count >= options.MaxAttributes)
                    {
                        break;
                    }
                    items.Add(Within($"values[{i++}]", () => ReadValue(item, depth + 1)));
                }
                return new OtlpValue { Kind = OtlpValueKind.Array, Items = items };
            });
        }
        if (Get(v, "kvlistValue") is { } list)
        {
            return Within("kvlistValue", () =>
            {
                Expect(list, JsonValueKind.Object);
                var fields = new List<OtlpAttribute>();
                ReadAttributes(list, fields, depth + 1, "values");
                return new OtlpValue { Kind = OtlpValueKind.KeyValueList, Fields = fields };
            });
        }
        if (Get(v, "bytesValue") is { } bytes)
        {
            return Within("bytesValue", () =>
            {
                try
                {
                    return new OtlpValue { Kind = OtlpValueKind.Bytes, Bytes = Convert.FromBase64String(Text(bytes, null)) };
                }
                catch (FormatException)
                {
                    throw new OtlpFormatException("must be base64");
                }
            });
        }
        return OtlpValue.Empty;
    }
}
