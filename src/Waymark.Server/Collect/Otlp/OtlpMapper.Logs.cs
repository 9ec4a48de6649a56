using Waymark.Core.Events;
using Waymark.Core.Protocol;

namespace Waymark.Server.Collect.Otlp;

internal sealed partial class OtlpMapper
{
    /// <summary>
    /// Maps an OpenTelemetry event (a log record with an event name) or an
    /// error log onto Waymark events. Other logs are ignored: Waymark is not a
    /// log store.
    /// </summary>
    public MapResult MapLog(OtlpLogRecord log, List<IncomingEvent> into)
    {
        var name = EventName(log);
        var hasException = OtlpAttributes.Find(log.Attributes, "exception.type") is not null ||
                           OtlpAttributes.Find(log.Attributes, "exception.message") is not null;
        if (name is null && !(log.SeverityNumber >= OtlpEnums.SeverityError && hasException))
        {
            return MapResult.Ignored;
        }
        // The time of the event, else when the SDK observed it.
        var nanos = log.TimeUnixNano != 0 ? log.TimeUnixNano : log.ObservedTimeUnixNano;
        if (!IsTime(nanos))
        {
            return MapResult.Reject(TimeFault("timeUnixNano", nanos));
        }
        var ts = Time(nanos);
        var id = LogId(log);
        // Semantic-convention events carry their payload in a key-value body; older SDKs in attributes.
        OtlpValue? Field(string key) => log.Body?.Field(key) ?? OtlpAttributes.Find(log.Attributes, key);
        string? Get(string key) => Field(key)?.AsString() is { Length: > 0 } s ? s : null;
        var lower = name?.ToLowerInvariant();

        IncomingEvent? e;
        switch (lower)
        {
            case null or "exception" or "device.crash" or "app.crash" or "crash":
                var fatal = log.SeverityNumber >= OtlpEnums.SeverityFatal || lower is "device.crash" or "app.crash" or "crash";
                e = Exception(id, ts, Get, log.Body?.Kind == OtlpValueKind.String ? log.Body.String : null, fatal, actionId: null);
                if (e is null)
                {
                    return MapResult.Reject("an exception needs exception.type or exception.message");
                }
                break;
            case "browser.web_vital" or "web_vital" or "webvital" or "web-vital":
                e = Vital(id, ts, key => Field(key) ?? Field("web_vital." + key) ?? Field("browser.web_vital." + key), PageUrl(Get) ?? log.Lookup("url.full"), out var reason);
                if (e is null)
                {
                    return MapResult.Reject(reason!);
                }
                break;
            case "session.end":
                e = new IncomingEvent { EventId = id, Type = EventType.SessionEnd, Timestamp = ts };
                break;
            case "session.start":
                // Kept as a custom event so that the link to the session before stays queryable.
                var previous = Get("session.previous_id");
                e = new IncomingEvent
                {
                    EventId = id, Type = EventType.Custom, Timestamp = ts, Name = "session.start",
                    Props = previous is null ? null : Props(w => w.WriteString("previous_id", Truncate(previous, 512))),
                };
                break;
            case var _ when IsView(lower):
                var url = PageUrl(Get);
                e = new IncomingEvent
                {
                    EventId = id, Type = EventType.View, Timestamp = ts,
                    Url = Text(url),
                    Name = Text(Get("title") ?? Get("page.title") ?? Get("screen.name") ?? Get("app.screen.name") ?? Get("name") ?? ViewName(url)),
                    Duration = Duration(Field("duration")),
                };
                break;
            case var _ when IsClick(lower):
                var target = Get("target_xpath") ?? Get("xpath") ?? Get("elementXpath") ?? Get("element.xpath") ?? Get("target") ?? Get("app.widget.id");
                e = new IncomingEvent
                {
                    EventId = id, Type = EventType.Action, Timestamp = ts,
                    Name = Text(Get("name") ?? Get("action.name") ?? Get("app.widget.name") ?? ElementName(Get("target_element") ?? Get("element") ?? Get("tagName"), target) ?? "click"),
                    Target = Text(target),
                    Duration = Duration(Field("duration")),
                };
                break;
            default:
                e = new IncomingEvent
                {
                    EventId = id, Type = EventType.Custom, Timestamp = ts,
                    Name = Truncate(name, 128),
                    Props = CustomProps(log.Body, log.Attributes),
                };
                break;
        }
        into.Add(e);
        return new MapResult(1, null);
    }

    /// <summary>LogRecord.event_name, else the event.name attribute (with the older event.domain before it).</summary>
    private static string? EventName(OtlpLogRecord log)
    {
        var name = log.EventName is { Length: > 0 } n ? n : OtlpAttributes.String(log.Attributes, "event.name");
        if (name is not null && !name.Contains('.', StringComparison.Ordinal) && OtlpAttributes.String(log.Attributes, "event.domain") is { } domain)
        {
            return domain + "." + name;
        }
        return name;
    }

    private static string? PageUrl(Func<string, string?> get) =>
        get("url.full") ?? get("url") ?? get("page.url") ?? get("http.url") ?? get("location.href");

    private static double? Duration(OtlpValue? v) => v?.AsDouble() is { } d && d >= 0 ? Math.Min(d, 86_400_000) : null;

    private static bool IsView(string name)
    {
        var k = name.Replace('.', '_').Replace('-', '_');
        return k.EndsWith("page_view", StringComparison.Ordinal) || k.EndsWith("pageview", StringComparison.Ordinal) ||
               k.EndsWith("screen_view", StringComparison.Ordinal) || k.EndsWith("screenview", StringComparison.Ordinal);
    }

    private static bool IsClick(string name) =>
        name is "browser.user_action" or "user_action" or "click" or "tap" or "app.widget.click" ||
        name.EndsWith(".click", StringComparison.Ordinal) || name.EndsWith(".tap", StringComparison.Ordinal);

    /// <summary>An action's name from the element: its tag, with the id when the XPath names one (BUTTON#buy).</summary>
    private static string? ElementName(string? tag, string? xpath)
    {
        const string marker = "@id=\"";
        var at = xpath?.IndexOf(marker, StringComparison.Ordinal) ?? -1;
        if (at >= 0)
        {
            var start = at + marker.Length;
            var end = xpath!.IndexOf('"', start);
            if (end > start)
            {
                return (tag ?? "") + "#" + xpath[start..end];
            }
        }
        return tag;
    }
}
