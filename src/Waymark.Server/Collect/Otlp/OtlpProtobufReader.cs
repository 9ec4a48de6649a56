using Google.Protobuf;

namespace Waymark.Server.Collect.Otlp;

/// <summary>
/// Reads ExportLogsServiceRequest and ExportTraceServiceRequest in the binary
/// protobuf encoding, by the field numbers of opentelemetry-proto (common/v1,
/// resource/v1, logs/v1, trace/v1). Each loop consumes at least one byte of a
/// body already bounded in size; records, attributes, span events and value
/// nesting have their own bounds (<see cref="OtlpOptions"/>).
/// </summary>
internal sealed class OtlpProtobufReader(OtlpOptions options)
{
    public OtlpExport ReadLogs(byte[] body) => Read(body, logs: true);

    public OtlpExport ReadTraces(byte[] body) => Read(body, logs: false);

    private OtlpExport Read(byte[] body, bool logs)
    {
        var export = new OtlpExport();
        try
        {
            var request = new ProtoMessage(body, 0, body.Length);
            while (request.Next())
            {
                // ExportLogsServiceRequest.resource_logs = 1; ExportTraceServiceRequest.resource_spans = 1
                if (request.Field == 1)
                {
                    ReadResourceData(request.Message(), export, logs);
                }
                else
                {
                    request.Skip();
                }
            }
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new OtlpFormatException("the body is not a valid protobuf message (" + ex.Message.TrimEnd('.') + ")");
        }
        return export;
    }

    // ResourceLogs / ResourceSpans: resource = 1, scope_logs / scope_spans = 2.
    private void ReadResourceData(ProtoMessage m, OtlpExport export, bool logs)
    {
        var resource = new OtlpResource();
        while (m.Next())
        {
            switch (m.Field)
            {
                case 1:
                    var r = m.Message();
                    while (r.Next())
                    {
                        // Resource.attributes = 1
                        if (r.Field == 1)
                        {
                            ReadAttribute(r, resource.Attributes);
                        }
                        else
                        {
                            r.Skip();
                        }
                    }
                    break;
                case 2:
                    ReadScopeData(m.Message(), resource, export, logs);
                    break;
                default:
                    m.Skip();
                    break;
            }
        }
    }

    // ScopeLogs / ScopeSpans: scope = 1, log_records / spans = 2.
    private void ReadScopeData(ProtoMessage m, OtlpResource resource, OtlpExport export, bool logs)
    {
        var scope = new OtlpScope();
        while (m.Next())
        {
            switch (m.Field)
            {
                case 1:
                    ReadScope(m.Message(), scope);
                    break;
                case 2 when export.Logs.Count + export.Spans.Count >= options.MaxRecords:
                    export.OverLimit++;
                    m.Skip();
                    break;
                case 2 when logs:
                    var log = new OtlpLogRecord { Resource = resource, Scope = scope };
                    ReadLogRecord(m.Message(), log);
                    export.Logs.Add(log);
                    break;
                case 2:
                    var span = new OtlpSpan { Resource = resource, Scope = scope };
                    ReadSpan(m.Message(), span);
                    export.Spans.Add(span);
                    break;
                default:
                    m.Skip();
                    break;
            }
        }
    }

    // InstrumentationScope: name = 1, version = 2, attributes = 3.
    private void ReadScope(ProtoMessage m, OtlpScope scope)
    {
        while (m.Next())
        {
            switch (m.Field)
            {
                case 1: scope.Name = m.String(); break;
                case 2: scope.Version = m.String(); break;
                case 3: ReadAttribute(m, scope.Attributes); break;
                default: m.Skip(); break;
            }
        }
    }

    // LogRecord: time_unix_nano = 1 (fixed64), severity_number = 2, severity_text = 3, body = 5,
    // attributes = 6, trace_id = 9, span_id = 10, observed_time_unix_nano = 11 (fixed64), event_name = 12.
    private void ReadLogRecord(ProtoMessage m, OtlpLogRecord log)
    {
        while (m.Next())
        {
            switch (m.Field)
            {
                case 1: log.TimeUnixNano = m.Fixed64(); break;
                case 2: log.SeverityNumber = m.Int32(); break;
                case 3: log.SeverityText = m.String(); break;
                case 5: log.Body = ReadValue(m.Message(), 1); break;
                case 6: ReadAttribute(m, log.Attributes); break;
                case 9: log.TraceId = m.HexId(); break;
                case 10: log.SpanId = m.HexId(); break;
                case 11: log.ObservedTimeUnixNano = m.Fixed64(); break;
                case 12: log.EventName = m.String(); break;
                default: m.Skip(); break;
            }
        }
    }

    // Span: trace_id = 1, span_id = 2, parent_span_id = 4, name = 5, kind = 6,
    // start_time_unix_nano = 7, end_time_unix_nano = 8 (fixed64), attributes = 9, events = 11, status = 15.
    private void ReadSpan(ProtoMessage m, OtlpSpan span)
    {
        while (m.Next())
        {
            switch (m.Field)
            {
                case 1: span.TraceId = m.HexId(); break;
                case 2: span.SpanId = m.HexId(); break;
                case 4: span.ParentSpanId = m.HexId(); break;
                case 5: span.Name = m.String(); break;
                case 6: span.Kind = m.Int32(); break;
                case 7: span.StartTimeUnixNano = m.Fixed64(); break;
                case 8: span.EndTimeUnixNano = m.Fixed64(); break;
                case 9: ReadAttribute(m, span.Attributes); break;
                case 11 when span.Events.Count < options.MaxSpanEvents:
                    span.Events.Add(ReadSpanEvent(m.Message()));
                    break;
                case 15:
                    // Status: message = 2, code = 3.
                    var s = m.Message();
                    while (s.Next())
                    {
                        switch (s.Field)
                        {
                            case 2: span.StatusMessage = s.String(); break;
                            case 3: span.StatusCode = s.Int32(); break;
                            default: s.Skip(); break;
                        }
                    }
                    break;
                default: m.Skip(); break;
            }
        }
    }

    // Span.Event: time_unix_nano = 1 (fixed64), name = 2, attributes = 3.
    private OtlpSpanEvent ReadSpanEvent(ProtoMessage m)
    {
        var e = new OtlpSpanEvent();
        while (m.Next())
        {
            switch (m.Field)
            {
                case 1: e.TimeUnixNano = m.Fixed64(); break;
                case 2: e.Name = m.String(); break;
                case 3: ReadAttribute(m, e.Attributes); break;
                default: m.Skip(); break;
            }
        }
        return e;
    }

    /// <summary>A KeyValue (key = 1, value = 2) into a list, unless the list is full.</summary>
    private void ReadAttribute(ProtoMessage m, List<OtlpAttribute> into, int depth = 1)
    {
        if (into.Count >= options.MaxAttributes)
        {
            m.Skip();
            return;
        }
        var kv = m.Message();
        string? key = null;
        var value = OtlpValue.Empty;
        while (kv.Next())
        {
            switch (kv.Field)
            {
                case 1: key = kv.String(); break;
                case 2: value = ReadValue(kv.Message(), depth); break;
                default: kv.Skip(); break;
            }
        }
        if (key is not null)
        {
            into.Add(new OtlpAttribute(key, value));
        }
    }

    // AnyValue: string_value = 1, bool_value = 2, int_value = 3, double_value = 4,
    // array_value = 5 (ArrayValue.values = 1), kvlist_value = 6 (KeyValueList.values = 1), bytes_value = 7.
    private OtlpValue ReadValue(ProtoMessage m, int depth)
    {
        if (depth > options.MaxValueDepth)
        {
            throw new OtlpFormatException($"an AnyValue is nested deeper than {options.MaxValueDepth} arrays or key-value lists");
        }
        var value = OtlpValue.Empty;
        while (m.Next())
        {
            switch (m.Field)
            {
                case 1: value = new OtlpValue { Kind = OtlpValueKind.String, String = m.String() }; break;
                case 2: value = new OtlpValue { Kind = OtlpValueKind.Bool, Bool = m.Bool() }; break;
                case 3: value = new OtlpValue { Kind = OtlpValueKind.Int, Int = m.Int64() }; break;
                case 4: value = new OtlpValue { Kind = OtlpValueKind.Double, Double = m.Double() }; break;
                case 5:
                    var items = new List<OtlpValue>();
                    var array = m.Message();
                    while (array.Next())
                    {
                        if (array.Field == 1 && items.Count < options.MaxAttributes)
                        {
                            items.Add(ReadValue(array.Message(), depth + 1));
                        }
                        else
                        {
                            array.Skip();
                        }
                    }
                    value = new OtlpValue { Kind = OtlpValueKind.Array, Items = items };
                    break;
                case 6:
                    var fields = new List<OtlpAttribute>();
                    var list = m.Message();
                    while (list.Next())
                    {
                        if (list.Field == 1)
                        {
                            ReadAttribute(list, fields, depth + 1);
                        }
                        else
                        {
                            list.Skip();
                        }
                    }
                    value = new OtlpValue { Kind = OtlpValueKind.KeyValueList, Fields = fields };
                    break;
                case 7: value = new OtlpValue { Kind = OtlpValueKind.Bytes, Bytes = m.Bytes() }; break;
                default: m.Skip(); break;
            }
        }
        return value;
    }
}
