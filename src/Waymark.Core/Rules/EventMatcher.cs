using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Waymark.Core.Events;
using Waymark.Core.Sessions;

namespace Waymark.Core.Rules;

/// <summary>The fields of an event (and of its session at the event) a matcher can test.</summary>
internal enum EventField : byte
{
    Name,
    Url,
    Target,
    Message,
    Fingerprint,
    Method,
    Frustration,
    Touchpoint,
    Channel,
    Stage,
    Duration,
    Status,
    Value,
}

/// <summary>
/// One event as matchers see it: the event, its session's summary after it,
/// the stage it put the session in, and its custom properties, read once and
/// only when a matcher asks for one.
/// </summary>
internal struct EventView
{
    private byte[]? _props;
    private int _propsLength;

    public EventView(EventRecord e, SessionSummary session, string? stage)
    {
        Event = e;
        Session = session;
        Stage = stage;
    }

    public EventRecord Event { get; }
    public SessionSummary Session { get; }
    public string? Stage { get; }

    /// <summary>A top-level property of <see cref="EventRecord.Props"/> as text and, when numeric, as a number.</summary>
    public bool TryProp(string name, out string? text, out double? number)
    {
        text = null;
        number = null;
        if (Event.Props is not { Length: > 0 } json)
        {
            return false;
        }
        if (_props is null)
        {
            _props = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
            _propsLength = Encoding.UTF8.GetBytes(json, _props);
        }
        try
        {
            var reader = new Utf8JsonReader(_props.AsSpan(0, _propsLength));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var hit = reader.ValueTextEquals(name);
                reader.Read();
                if (!hit)
                {
                    reader.Skip();
                    continue;
                }
                switch (reader.TokenType)
                {
                    case JsonTokenType.String:
                        text = reader.GetString();
                        return true;
                    case JsonTokenType.Number:
                        number = reader.GetDouble();
                        text = number.Value.ToString(CultureInfo.InvariantCulture);
                        return true;
                    case JsonTokenType.True or JsonTokenType.False:
                        text = reader.TokenType == JsonTokenType.True ? "true" : "false";
                        return true;
                    default:
                        // null, an object or an array: present but not a value to compare.
                        return false;
                }
            }
        }
        catch (JsonException)
        {
            // Props were validated at collection; a malformed one simply matches nothing.
        }
        return false;
    }

    /// <summary>Gives the buffer back; call once the event is done with.</summary>
    public void Release()
    {
        if (_props is not null)
        {
            ArrayPool<byte>.Shared.Return(_props);
            _props = null;
        }
    }
}

/// <summary>A test of one event: its type and any of its fields, all ANDed.</summary>
internal sealed class EventMatcher
{
    /// <summary>Any event of any type.</summary>
    public static readonly EventMatcher AnyEvent = new();

    /// <summary>The default progress of an idle wait: a view or a user action.</summary>
    public static readonly EventMatcher Progress = new() { Types = (1u << (int)EventType.View) | (1u << (int)EventType.Action) };

    /// <summary>Bit (1 &lt;&lt; type) per accepted type; 0 for any.</summary>
    public uint Types { get; init; }
    public (EventField Field, ValueTest Test)[] Fields { get; init; } = [];
    public (string Name, ValueTest Test)[] Props { get; init; } = [];
    public bool? Failed { get; init; }
    public bool? ThirdParty { get; init; }

    public bool Matches(ref EventView v)
    {
        var e = v.Event;
        if (Types != 0 && (Types & (1u << (int)e.Type)) == 0)
        {
            return false;
        }
        if ((Failed is { } failed && e.Failed != failed) || (ThirdParty is { } third && e.ThirdParty != third))
        {
            return false;
        }
        foreach (var (field, test) in Fields)
        {
            var ok = field switch
            {
                EventField.Name => test.Test(e.Name),
                EventField.Url => test.Test(e.Url),
                EventField.Target => test.Test(e.Target),
                EventField.Message => test.Test(e.Message),
                EventField.Fingerprint => test.Test(e.Fingerprint),
                EventField.Method => test.Test(e.Method),
                EventField.Frustration => test.Test(e.Frustration),
                EventField.Touchpoint => test.Test(v.Session.Touchpoint),
                EventField.Channel => test.Test(v.Session.Channel),
                EventField.Stage => test.Test(v.Stage),
                EventField.Duration => test.Test(e.Duration),
                EventField.Status => test.Test(e.Status),
                _ => test.Test(e.Value),
            };
            if (!ok)
            {
                return false;
            }
        }
        foreach (var (name, test) in Props)
        {
            v.TryProp(name, out var text, out var number);
            if (!test.Test(text, number))
            {
                return false;
            }
        }
        return true;
    }
}
