using System.Globalization;
using System.Text.Json;
using Waymark.Core.Events;
using Waymark.Core.Identity;

namespace Waymark.Core.Protocol;

/// <summary>
/// Reads a beacon (protocol v1, see docs/protocol.md). A fault in the batch's
/// own fields refuses the batch (<see cref="BeaconException"/>); a fault in one
/// event rejects that event only, with the field and the reason.
/// </summary>
public sealed class BeaconParser(BeaconLimits limits)
{
    private static readonly string[] s_vitals = ["LCP", "INP", "CLS", "FCP", "TTFB", "FID"];

    /// <summary>Parses a UTF-8 JSON body.</summary>
    public ParsedBeacon Parse(ReadOnlyMemory<byte> utf8Json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8Json, new JsonDocumentOptions { MaxDepth = limits.MaxDepth });
        }
        catch (JsonException ex)
        {
            throw new BeaconException("$", "the body is not valid UTF-8 JSON (" + FirstSentence(ex.Message) + ")");
        }
        using (doc)
        {
            return Parse(doc.RootElement);
        }
    }

    /// <summary>Parses a beacon already read as JSON.</summary>
    public ParsedBeacon Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new BeaconException("$", "the body must be a JSON object");
        }
        var header = ReadHeader(root);
        if (!root.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array)
        {
            throw new BeaconException("events", "required: an array of events");
        }
        var count = events.GetArrayLength();
        if (count == 0)
        {
            throw new BeaconException("events", "the batch has no events");
        }
        if (count > limits.MaxEvents)
        {
            throw new BeaconException("events", $"{count} events is more than the limit of {limits.MaxEvents} per batch; send smaller batches");
        }
        var result = new ParsedBeacon { Header = header };
        var index = 0;
        foreach (var e in events.EnumerateArray())
        {
            string? id = null;
            try
            {
                if (e.ValueKind != JsonValueKind.Object)
                {
                    throw new EventFault("", "an event must be a JSON object");
                }
                result.Events.Add(ReadEvent(e, ref id));
            }
            catch (EventFault f)
            {
                result.Rejected.Add(new EventError(index, id, $"events[{index}]" + (f.Field.Length > 0 ? "." + f.Field : ""), f.Reason));
            }
            index++;
        }
        return result;
    }

    private BeaconHeader ReadHeader(JsonElement root)
    {
        var h = new BeaconHeader();
        try
        {
            h.App = OptionalId(root, "app", limits.MaxIdLength) ?? throw new EventFault("app", "required: the app id");
            h.Key = OptionalId(root, "key", limits.MaxIdLength);
            var channel = OptionalString(root, "channel", 32) ?? throw new EventFault("channel", "required: one of " + string.Join(", ", Channels.All));
            h.Channel = Channels.Normalize(channel) ?? throw new EventFault("channel", $"'{Truncate(channel)}' is not a channel; use one of " + string.Join(", ", Channels.All));
            if (root.TryGetProperty("customer", out var cust) && cust.ValueKind != JsonValueKind.Null)
            {
                if (cust.ValueKind != JsonValueKind.Object)
                {
                    throw new EventFault("customer", "must be an object: {idType, value, hashed}");
                }
                h.Customer = new CustomerRef(
                    IdentityKeys.Kind(OptionalString(cust, "idType", 16)) ?? throw new EventFault("customer.idType", "one of user, email, phone, loyalty"),
                    OptionalId(cust, "value", limits.MaxIdLength) is { Length: > 0 } v ? v : throw new EventFault("customer.value", "required"),
                    OptionalBool(cust, "hashed") ?? false);
            }
            h.Visitor = OptionalId(root, "visitor", limits.MaxIdLength) ?? (h.Customer is null ? throw new EventFault("visitor", "required: the visitor id") : "");
            if (h.Visitor.Length == 0 && h.Customer is null)
            {
                throw new EventFault("visitor", "must not be empty");
            }
            h.Session = OptionalId(root, "session", limits.MaxIdLength);
            h.User = OptionalId(root, "user", limits.MaxIdLength);
            h.Consent = OptionalString(root, "consent", 32);
            h.SentAt = OptionalTime(root, "sentAt");
            h.UserAgent = OptionalString(root, "ua", 1024);
            if (root.TryGetProperty("device", out var d) && d.ValueKind != JsonValueKind.Null)
            {
                if (d.ValueKind != JsonValueKind.Object)
                {
                    throw new EventFault("device", "must be an object");
                }
                h.DeviceClass = OptionalString(d, "class", 32);
                h.Os = OptionalString(d, "os", 64);
                h.OsVersion = OptionalString(d, "osVersion", 64);
                h.Browser = OptionalString(d, "browser", 64);
                h.BrowserVersion = OptionalString(d, "browserVersion", 64);
                h.Model = OptionalString(d, "model", 128);
                h.Locale = OptionalString(d, "locale", 35);
            }
            if (root.TryGetProperty("context", out var c) && c.ValueKind != JsonValueKind.Null)
            {
                if (c.ValueKind != JsonValueKind.Object)
                {
                    throw new EventFault("context", "must be an object");
                }
                h.AppVersion = OptionalString(c, "appVersion", 64);
                h.Touchpoint = OptionalString(c, "touchpoint", 128);
                h.Locale ??= OptionalString(c, "locale", 35);
            }
        }
        catch (EventFault f)
        {
            throw new BeaconException(f.Field, f.Reason);
        }
        return h;
    }

    /// <summary>The fields of one event, found in one pass over its properties (the last of a repeated name wins).</summary>
    private struct EventFields
    {
        public JsonElement Id, Type, Ts, Name, Url, Duration, Status, Method, ThirdParty, Value, Message, Stack, Source,
            Fingerprint, Target, Frustration, Action, Props, Failed, Fatal, User, IdType, Hashed;

        public static EventFields Of(JsonElement e)
        {
            var f = default(EventFields);
            foreach (var p in e.EnumerateObject())
            {
                var v = p.Value;
                if (p.NameEquals("id"u8)) { f.Id = v; }
                else if (p.NameEquals("type"u8)) { f.Type = v; }
                else if (p.NameEquals("ts"u8)) { f.Ts = v; }
                else if (p.NameEquals("name"u8)) { f.Name = v; }
                else if (p.NameEquals("url"u8)) { f.Url = v; }
                else if (p.NameEquals("duration"u8)) { f.Duration = v; }
                else if (p.NameEquals("status"u8)) { f.Status = v; }
                else if (p.NameEquals("method"u8)) { f.Method = v; }
                else if (p.NameEquals("thirdParty"u8)) { f.ThirdParty = v; }
                else if (p.NameEquals("value"u8)) { f.Value = v; }
                else if (p.NameEquals("message"u8)) { f.Message = v; }
                else if (p.NameEquals("stack"u8)) { f.Stack = v; }
                else if (p.NameEquals("source"u8)) { f.Source = v; }
                else if (p.NameEquals("fingerprint"u8)) { f.Fingerprint = v; }
                else if (p.NameEquals("target"u8)) { f.Target = v; }
                else if (p.NameEquals("frustration"u8)) { f.Frustration = v; }
                else if (p.NameEquals("action"u8)) { f.Action = v; }
                else if (p.NameEquals("props"u8)) { f.Props = v; }
                else if (p.NameEquals("failed"u8)) { f.Failed = v; }
                else if (p.NameEquals("fatal"u8)) { f.Fatal = v; }
                else if (p.NameEquals("user"u8)) { f.User = v; }
                else if (p.NameEquals("idType"u8)) { f.IdType = v; }
                else if (p.NameEquals("hashed"u8)) { f.Hashed = v; }
            }
            return f;
        }
    }

    private IncomingEvent ReadEvent(JsonElement e, ref string? id)
    {
        var f = EventFields.Of(e);
        id = IdOf(f.Id, "id", limits.MaxIdLength);
        if (string.IsNullOrEmpty(id))
        {
            throw new EventFault("id", "required: a client-generated event id, the same on every retry");
        }
        var typeName = StringOf(f.Type, "type", 32) ?? throw new EventFault("type", "required");
        if (!EventTypes.TryParse(typeName, out var type))
        {
            throw new EventFault("type", $"'{Truncate(typeName)}' is not an event type; use view, action, error, request, vital, custom, conversion, identify or session_end");
        }
        var ts = TimeOf(f.Ts, "ts") ?? throw new EventFault("ts", "required: milliseconds since the Unix epoch, or an ISO 8601 time");
        var traits = type == EventType.Identify ? new List<(string, string)>(0) : null;
        var record = new IncomingEvent
        {
            EventId = id,
            Type = type,
            Timestamp = ts,
            Name = StringOf(f.Name, "name", limits.MaxTextLength),
            Url = StringOf(f.Url, "url", limits.MaxTextLength),
            Duration = NumberOf(f.Duration, "duration", 0, 86_400_000),
            Status = (int?)NumberOf(f.Status, "status", 0, 999),
            Method = StringOf(f.Method, "method", 16)?.ToUpperInvariant(),
            ThirdParty = BoolOf(f.ThirdParty, "thirdParty") ?? false,
            Value = NumberOf(f.Value, "value", -1e15, 1e15),
            Message = StringOf(f.Message, "message", limits.MaxTextLength),
            Stack = StringOf(f.Stack, "stack", limits.MaxStackLength),
            Source = StringOf(f.Source, "source", limits.MaxTextLength),
            Fingerprint = StringOf(f.Fingerprint, "fingerprint", 128),
            Target = StringOf(f.Target, "target", limits.MaxTextLength),
            Frustration = FrustrationOf(f.Frustration),
            ActionId = IdOf(f.Action, "action", limits.MaxIdLength),
            Props = PropsOf(f.Props, traits),
            Failed = (BoolOf(f.Failed, "failed") ?? false) || (BoolOf(f.Fatal, "fatal") ?? false),
        };
        switch (type)
        {
            case EventType.Error when string.IsNullOrEmpty(record.Message):
                throw new EventFault("message", "required for an error");
            case EventType.Request when string.IsNullOrEmpty(record.Url):
                throw new EventFault("url", "required for a request");
            case EventType.Vital:
                if (record.Name is null || Array.IndexOf(s_vitals, record.Name.ToUpperInvariant()) < 0)
                {
                    throw new EventFault("name", "required for a vital: one of LCP, INP, CLS, FCP, TTFB");
                }
                if (record.Value is null)
                {
                    throw new EventFault("value", "required for a vital");
                }
                return record with { Name = record.Name.ToUpperInvariant() };
            case EventType.Custom or EventType.Conversion when string.IsNullOrEmpty(record.Name):
                throw new EventFault("name", $"required for a {EventTypes.Name(type)} event");
            case EventType.Identify:
                var user = IdOf(f.User, "user", limits.MaxIdLength);
                if (string.IsNullOrEmpty(user))
                {
                    throw new EventFault("user", "required for identify: the user tag, or with idType an e-mail, phone or loyalty card");
                }
                var kind = IdentityKeys.Kind(StringOf(f.IdType, "idType", 16))
                    ?? throw new EventFault("idType", "one of user, email, phone, loyalty");
                return record with { Identity = new IdentityClaim(kind, user, BoolOf(f.Hashed, "hashed") == true, traits is { Count: > 0 } ? traits : null) };
        }
        return record;
    }

    private static string? OptionalString(JsonElement e, string name, int maxLength) =>
        StringOf(e.TryGetProperty(name, out var v) ? v : default, name, maxLength);

    /// <summary>A string field's value; null when absent (Undefined) or null.</summary>
    private static string? StringOf(JsonElement v, string name, int maxLength)
    {
        if (v.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.String)
        {
            throw new EventFault(name, $"must be a string, not {Kind(v)}");
        }
        string s;
        try
        {
            s = v.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json checks a string's UTF-8 only when it is read.
            throw new EventFault(name, "is not valid UTF-8");
        }
        if (s.Length > maxLength)
        {
            throw new EventFault(name, $"is {s.Length} characters long; the limit is {maxLength}");
        }
        return s;
    }

    private static string? OptionalId(JsonElement e, string name, int maxLength) =>
        IdOf(e.TryGetProperty(name, out var v) ? v : default, name, maxLength);

    /// <summary>An id's value: a string field without control characters (they would split a log line or a CSV row).</summary>
    private static string? IdOf(JsonElement v, string name, int maxLength)
    {
        var s = StringOf(v, name, maxLength);
        if (s is not null && s.AsSpan().IndexOfAnyInRange('\u0000', '\u001f') is var i and >= 0)
        {
            throw new EventFault(name, string.Create(CultureInfo.InvariantCulture, $"holds the control character U+{(int)s[i]:X4} at {i}; an id is printable text"));
        }
        if (s is not null && (s.Contains('\u007f', StringComparison.Ordinal) || s.AsSpan().IndexOfAnyInRange('\u0080', '\u009f') >= 0))
        {
            throw new EventFault(name, "holds a control character; an id is printable text");
        }
        return s;
    }

    private static double? NumberOf(JsonElement v, string name, double min, double max)
    {
        if (v.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || !double.IsFinite(d))
        {
            throw new EventFault(name, $"must be a number, not {Kind(v)}");
        }
        if (d < min || d > max)
        {
            throw new EventFault(name, string.Create(CultureInfo.InvariantCulture, $"{d} is outside {min}..{max}"));
        }
        return d;
    }

    private static bool? OptionalBool(JsonElement e, string name) =>
        BoolOf(e.TryGetProperty(name, out var v) ? v : default, name);

    private static bool? BoolOf(JsonElement v, string name)
    {
        if (v.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new EventFault(name, $"must be true or false, not {Kind(v)}"),
        };
    }

    private static DateTimeOffset? OptionalTime(JsonElement e, string name) =>
        TimeOf(e.TryGetProperty(name, out var v) ? v : default, name);

    private static DateTimeOffset? TimeOf(JsonElement v, string name)
    {
        if (v.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var ms) && double.IsFinite(ms))
        {
            // 2000-01-01 .. 2200-01-01: catches seconds sent where milliseconds are expected.
            if (ms < 946_684_800_000 || ms > 7_258_118_400_000)
            {
                throw new EventFault(name, string.Create(CultureInfo.InvariantCulture, $"{ms} is not a time in milliseconds since the Unix epoch (seconds sent by mistake?)"));
            }
            return DateTimeOffset.FromUnixTimeMilliseconds((long)ms);
        }
        if (v.ValueKind == JsonValueKind.String &&
            DateTimeOffset.TryParse(v.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
        {
            return t.ToUniversalTime();
        }
        throw new EventFault(name, "must be milliseconds since the Unix epoch or an ISO 8601 time");
    }

    private static string? FrustrationOf(JsonElement v)
    {
        if (v.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }
        var found = new List<string>(3);
        void Add(string? s)
        {
            var f = s?.ToLowerInvariant();
            if (f is not ("rage" or "dead" or "error"))
            {
                throw new EventFault("frustration", "signals are rage, dead and error");
            }
            if (!found.Contains(f))
            {
                found.Add(f);
            }
        }
        if (v.ValueKind == JsonValueKind.String)
        {
            Add(v.GetString());
        }
        else if (v.ValueKind == JsonValueKind.Array && v.GetArrayLength() <= 3)
        {
            foreach (var item in v.EnumerateArray())
            {
                Add(item.ValueKind == JsonValueKind.String ? item.GetString() : null);
            }
        }
        else
        {
            throw new EventFault("frustration", "must be a signal or an array of up to three signals");
        }
        return found.Count == 0 ? null : string.Join(',', found);
    }

    /// <summary>
    /// Validates the props and returns their JSON text; for an identify event
    /// (<paramref name="traits"/> not null) the e-mail, phone and loyalty
    /// traits are collected in the same pass.
    /// </summary>
    private string? PropsOf(JsonElement v, List<(string, string)>? traits)
    {
        if (v.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.Object)
        {
            throw new EventFault("props", "must be an object of names to strings, numbers or booleans");
        }
        var n = 0;
        foreach (var p in v.EnumerateObject())
        {
            if (++n > limits.MaxProps)
            {
                throw new EventFault("props", $"more than {limits.MaxProps} properties");
            }
            if (p.Name.Length > 64)
            {
                throw new EventFault("props." + Truncate(p.Name), "property names are at most 64 characters");
            }
            switch (p.Value.ValueKind)
            {
                case JsonValueKind.String when p.Value.GetString()!.Length > 512:
                    throw new EventFault("props." + p.Name, "string values are at most 512 characters");
                case JsonValueKind.Object or JsonValueKind.Array:
                    throw new EventFault("props." + p.Name, "values must be strings, numbers or booleans");
                case JsonValueKind.String when traits is not null && p.Name is IdentityKeys.Email or IdentityKeys.Phone or IdentityKeys.Loyalty:
                    if (p.Value.GetString() is { Length: > 0 } trait)
                    {
                        traits.Add((p.Name, trait));
                    }
                    break;
            }
        }
        return v.GetRawText();
    }

    private static string Kind(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";

    private static string FirstSentence(string message)
    {
        var i = message.IndexOf(". ", StringComparison.Ordinal);
        return i > 0 ? message[..i] : message.TrimEnd('.');
    }

    private sealed class EventFault(string field, string reason) : Exception(reason)
    {
        public string Field { get; } = field;
        public string Reason { get; } = reason;
    }
}
