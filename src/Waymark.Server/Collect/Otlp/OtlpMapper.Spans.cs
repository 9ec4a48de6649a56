using System.Globalization;
using Waymark.Core.Events;
using Waymark.Core.Protocol;

namespace Waymark.Server.Collect.Otlp;

/// <summary>What one export's spans say about each other: which traces have a page load, which spans are one user interaction.</summary>
internal sealed class SpanIndex
{
    // An interaction span's parent chain is followed at most this far (listeners nest a few deep).
    private const int MaxNesting = 16;

    private readonly Dictionary<string, OtlpSpan> _interactions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ulong> _interactionEnd = new(StringComparer.Ordinal);

    public HashSet<string> TracesWithDocumentLoad { get; } = new(StringComparer.Ordinal);

    public static SpanIndex Of(List<OtlpSpan> spans)
    {
        var index = new SpanIndex();
        foreach (var s in spans)
        {
            if (s.Name == "documentLoad" && s.TraceId is not null)
            {
                index.TracesWithDocumentLoad.Add(s.TraceId);
            }
            if (s.SpanId is not null && OtlpMapper.IsUserInteraction(s))
            {
                index._interactions.TryAdd(s.SpanId, s);
            }
        }
        // The user-interaction instrumentation makes a span per listener of the
        // event: nested ones are the same click. The outermost is the action,
        // and it lasts until the last of them ends.
        foreach (var s in index._interactions.Values)
        {
            var root = index.InteractionRoot(s.SpanId!)!;
            index._interactionEnd[root] = Math.Max(index._interactionEnd.GetValueOrDefault(root), s.EndTimeUnixNano);
        }
        return index;
    }

    /// <summary>The outermost interaction span that <paramref name="spanId"/> is (or is nested in); null when it is none.</summary>
    public string? InteractionRoot(string spanId)
    {
        if (!_interactions.ContainsKey(spanId))
        {
            return null;
        }
        var root = spanId;
        for (var i = 0; i < MaxNesting && _interactions[root].ParentSpanId is { } parent && _interactions.ContainsKey(parent); i++)
        {
            root = parent;
        }
        return root;
    }

    /// <summary>When the interaction that <paramref name="rootSpanId"/> begins has ended, all its listeners included.</summary>
    public ulong InteractionEnd(string rootSpanId) => _interactionEnd.GetValueOrDefault(rootSpanId);
}

internal sealed partial class OtlpMapper
{
    /// <summary>
    /// Maps a span: an HTTP client span (fetch, XHR, a mobile app's HTTP call)
    /// to a request, the web instrumentation's page load to a view, a user
    /// interaction to an action, a web-vital span to a vital, and every
    /// exception event to an error. Other spans are ignored.
    /// </summary>
    public MapResult MapSpan(OtlpSpan span, SpanIndex index, List<IncomingEvent> into)
    {
        if (span.TraceId is not { Length: 32 } || span.SpanId is not { Length: 16 })
        {
            return MapResult.Reject("a span needs a 16-byte traceId and an 8-byte spanId");
        }
        if (!IsTime(span.StartTimeUnixNano))
        {
            return MapResult.Reject(TimeFault("startTimeUnixNano", span.StartTimeUnixNano));
        }
        var ts = Time(span.StartTimeUnixNano);
        var duration = Millis(span.StartTimeUnixNano, span.EndTimeUnixNano);
        var id = SpanEventId(span.TraceId, span.SpanId);
        string? Get(string key) => OtlpAttributes.String(span.Attributes, key);
        var failed = span.StatusCode == OtlpSpan.StatusError;

        IncomingEvent? main = null;
        string? rejected = null;
        string? actionOfErrors = null;
        if (span.Name == "documentLoad" || (span.Name == "documentFetch" && !index.TracesWithDocumentLoad.Contains(span.TraceId)))
        {
            var url = Get("http.url") ?? Get("url.full") ?? Get("location.href");
            main = new IncomingEvent
            {
                EventId = id, Type = EventType.View, Timestamp = ts, Url = Text(url), Name = Text(ViewName(url)), Duration = duration, Failed = failed,
            };
        }
        else if (IsUserInteraction(span) && index.InteractionRoot(span.SpanId) is { } root && root != span.SpanId)
        {
            // Another listener of the same click: the outermost span is the action.
            actionOfErrors = SpanEventId(span.TraceId, root);
        }
        else if (IsUserInteraction(span))
        {
            var target = Get("target_xpath");
            main = new IncomingEvent
            {
                EventId = id, Type = EventType.Action, Timestamp = ts, Failed = failed,
                Duration = Millis(span.StartTimeUnixNano, Math.Max(span.EndTimeUnixNano, index.InteractionEnd(span.SpanId))),
                Name = Text(ElementName(Get("target_element"), target) ?? Get("event_type")),
                Target = Text(target),
            };
        }
        else if (HttpMethod(span) is { } method && RequestUrl(Get) is { } url)
        {
            var status = (OtlpAttributes.Number(span.Attributes, "http.response.status_code") ?? OtlpAttributes.Number(span.Attributes, "http.status_code")) is { } s && s is >= 0 and <= 999
                ? (int?)s
                : null;
            if (status is null or 0 && failed)
            {
                // A network failure: the request never got an answer.
                status = 0;
            }
            main = new IncomingEvent
            {
                EventId = id, Type = EventType.Request, Timestamp = ts, Url = Text(url), Method = Truncate(method.ToUpperInvariant(), 16),
                Status = status, Duration = duration, Failed = failed || status is 0 or >= 400,
                ActionId = span.ParentSpanId is { } parent && index.InteractionRoot(parent) is { } action ? SpanEventId(span.TraceId, action) : null,
            };
        }
        else if (span.Name?.ToLowerInvariant() is { } vital && Array.IndexOf(s_vitals, vital.ToUpperInvariant()) >= 0 &&
                 OtlpAttributes.Find(span.Attributes, vital + ".value") is not null)
        {
            // Web-vital spans (one per metric, attributes prefixed with its name), as some web distributions send them.
            main = Vital(id, ts, key => OtlpAttributes.Find(span.Attributes, vital + "." + key) ?? (key == "name" ? new OtlpValue { Kind = OtlpValueKind.String, String = vital } : null),
                Get("url.full") ?? Get("http.url") ?? Get("location.href"), out rejected);
        }

        var count = 0;
        if (main is not null)
        {
            into.Add(main);
            count++;
        }
        for (var i = 0; i < span.Events.Count; i++)
        {
            var ev = span.Events[i];
            if (ev.Name != "exception")
            {
                continue;
            }
            var at = IsTime(ev.TimeUnixNano) ? Time(ev.TimeUnixNano) : ts;
            var error = Exception(id + "-x" + i.ToString(CultureInfo.InvariantCulture), at, key => OtlpAttributes.String(ev.Attributes, key),
                fallbackMessage: span.StatusMessage is { Length: > 0 } m ? m : null, fatal: false,
                actionId: main?.Type == EventType.Action ? main.EventId : actionOfErrors);
            if (error is not null)
            {
                into.Add(error);
                count++;
            }
        }
        return count > 0 ? new MapResult(count, null) : rejected is null ? MapResult.Ignored : MapResult.Reject(rejected);
    }

    /// <summary>A span of the user-interaction instrumentation: it records the DOM event's type and its target.</summary>
    internal static bool IsUserInteraction(OtlpSpan span) =>
        OtlpAttributes.String(span.Attributes, "event_type") is not null &&
        (OtlpAttributes.Find(span.Attributes, "target_element") is not null || OtlpAttributes.Find(span.Attributes, "target_xpath") is not null);

    /// <summary>The method of an HTTP client span (current and older semantic conventions); null for other spans.</summary>
    private static string? HttpMethod(OtlpSpan span)
    {
        if (span.Kind != OtlpSpan.KindClient)
        {
            return null;
        }
        return OtlpAttributes.String(span.Attributes, "http.request.method") ?? OtlpAttributes.String(span.Attributes, "http.method");
    }

    /// <summary>url.full, else the older http.url, else the URL put together from its parts.</summary>
    private static string? RequestUrl(Func<string, string?> get)
    {
        if ((get("url.full") ?? get("http.url")) is { } full)
        {
            return full;
        }
        if ((get("server.address") ?? get("net.peer.name")) is not { } host)
        {
            return null;
        }
        var port = get("server.port") ?? get("net.peer.port");
        var query = get("url.query");
        return (get("url.scheme") ?? "https") + "://" + host + (port is null ? "" : ":" + port) + (get("url.path") ?? "/") + (query is null ? "" : "?" + query);
    }

    /// <summary>A span's event id: "otel-" + trace id + "-" + span id, the same however often it is exported.</summary>
    private static string SpanEventId(string traceId, string spanId) => "otel-" + traceId + "-" + spanId;
}
