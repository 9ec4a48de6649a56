using System.Buffers;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;
using Waymark.Core.Events;
using Waymark.Core.Protocol;

namespace Waymark.Server.Collect.Otlp;

/// <summary>What became of one log record or span.</summary>
/// <param name="Events">How many Waymark events it gave (0 when ignored or rejected).</param>
/// <param name="Rejected">Why it was rejected; null when it was mapped or ignored.</param>
internal readonly record struct MapResult(int Events, string? Rejected)
{
    public static MapResult Ignored => default;
    public static MapResult Reject(string reason) => new(0, reason);
}

/// <summary>
/// Maps OpenTelemetry log records and spans onto Waymark events (docs/otlp.md
/// has the table). Event ids are derived from the data, so a retried export
/// gives the same ids and is stored once: spans by trace and span id, log
/// records by a hash of their time, names, body and attributes.
/// </summary>
internal sealed partial class OtlpMapper(BeaconLimits limits, OtlpOptions options)
{
    private static readonly string[] s_vitals = ["LCP", "INP", "CLS", "FCP", "TTFB", "FID"];

    // Attributes that say who and where, read into the batch context, not into props.
    private static readonly string[] s_contextKeys = ["event.name", "event.domain", "session.id", "session.previous_id", "user.id", "enduser.id"];

    // 2000-01-01 and 2200-01-01 in Unix nanoseconds: catches milli- or microseconds sent by mistake.
    private const ulong MinNanos = 946_684_800_000_000_000;
    private const ulong MaxNanos = 7_258_118_400_000_000_000;

    private static DateTimeOffset Time(ulong nanos) => DateTimeOffset.UnixEpoch.AddTicks((long)(nanos / 100));

    private static bool IsTime(ulong nanos) => nanos is >= MinNanos and <= MaxNanos;

    private static string TimeFault(string field, ulong nanos) =>
        nanos == 0 ? $"{field} is missing" : string.Create(CultureInfo.InvariantCulture, $"{field} {nanos} is not a time in nanoseconds since the Unix epoch");

    /// <summary>Milliseconds between two times in nanoseconds; null when the end is not after the start.</summary>
    private static double? Millis(ulong start, ulong end) =>
        end > start && IsTime(end) ? Math.Min((end - start) / 1e6, 86_400_000) : null;

    private string? Text(string? s) => Truncate(s, limits.MaxTextLength);

    private static string? Truncate(string? s, int max) => s is null || s.Length <= max ? s : s[..max];

    /// <summary>A fingerprint like the agent's: the message without numbers and the error type.</summary>
    private static string Fingerprint(string? type, string message)
    {
        var digitless = string.Concat(message.Where(c => !char.IsAsciiDigit(c)));
        return XxHash64.HashToUInt64(MemoryMarshal.AsBytes((type + "|" + digitless).AsSpan())).ToString("x16", CultureInfo.InvariantCulture);
    }

    /// <summary>An error from the OpenTelemetry exception attributes; null when there is no message of any kind.</summary>
    private IncomingEvent? Exception(string id, DateTimeOffset ts, Func<string, string?> get, string? fallbackMessage, bool fatal, string? actionId)
    {
        var type = get("exception.type");
        var message = get("exception.message") ?? fallbackMessage;
        if (type is null && message is null)
        {
            return null;
        }
        var text = type is null ? message! : message is null ? type : message.StartsWith(type, StringComparison.Ordinal) ? message : type + ": " + message;
        var file = get("code.file.path") ?? get("code.filepath");
        var line = get("code.line.number") ?? get("code.lineno");
        return new IncomingEvent
        {
            EventId = id,
            Type = EventType.Error,
            Timestamp = ts,
            Message = Text(text),
            Stack = Truncate(get("exception.stacktrace"), limits.MaxStackLength),
            Source = Text(file is null ? null : line is null ? file : file + ":" + line),
            Fingerprint = Fingerprint(type, text),
            Failed = fatal,
            ActionId = actionId,
        };
    }

    /// <summary>A web vital; the reason when it is not one Waymark keeps.</summary>
    private IncomingEvent? Vital(string id, DateTimeOffset ts, Func<string, OtlpValue?> field, string? url, out string? reason)
    {
        reason = null;
        var name = field("name")?.AsString()?.ToUpperInvariant();
        if (name is null || Array.IndexOf(s_vitals, name) < 0)
        {
            reason = "a web vital needs a name: one of LCP, INP, CLS, FCP, TTFB";
            return null;
        }
        if (field("value")?.AsDouble() is not { } value || Math.Abs(value) > 1e15)
        {
            reason = "a web vital needs a numeric value";
            return null;
        }
        var props = Props(w =>
        {
            var n = 0;
            foreach (var key in (string[])["delta", "id", "rating", "navigationType"])
            {
                if (field(key) is { } v)
                {
                    WriteProp(w, key, v, ref n);
                }
            }
        });
        return new IncomingEvent { EventId = id, Type = EventType.Vital, Timestamp = ts, Name = name, Value = value, Url = Text(url), Props = props };
    }

    /// <summary>The view name the agent would give a URL: its path and hash, ids replaced by ":id".</summary>
    private static string? ViewName(string? url)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var u))
        {
            return null;
        }
        var segments = (u.AbsolutePath + u.Fragment).Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var s = segments[i];
            var idLike = (s.Length > 0 && s.All(char.IsAsciiDigit)) || s.Contains('@', StringComparison.Ordinal) ||
                         (s.Length >= 8 && s.Any(char.IsAsciiDigit) && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'));
            if (idLike)
            {
                segments[i] = ":id";
            }
        }
        return string.Join('/', segments);
    }

    /// <summary>Props as a flat JSON object, or null when empty.</summary>
    private static string? Props(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }
        return buffer.WrittenCount <= 2 ? null : System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes a scalar as a prop, bounded as a beacon's props are; arrays, lists and bytes are left out.</summary>
    private void WriteProp(Utf8JsonWriter w, string key, OtlpValue v, ref int count)
    {
        if (count >= options.MaxProps || key.Length is 0 or > 64)
        {
            return;
        }
        switch (v.Kind)
        {
            case OtlpValueKind.String:
                w.WriteString(key, Truncate(v.String, 512));
                break;
            case OtlpValueKind.Bool:
                w.WriteBoolean(key, v.Bool);
                break;
            case OtlpValueKind.Int:
                w.WriteNumber(key, v.Int);
                break;
            case OtlpValueKind.Double when double.IsFinite(v.Double):
                w.WriteNumber(key, v.Double);
                break;
            default:
                return;
        }
        count++;
    }

    /// <summary>Props of a custom event: the fields of a key-value list body, then the attributes.</summary>
    private string? CustomProps(OtlpValue? body, List<OtlpAttribute> attributes) => Props(w =>
    {
        var n = 0;
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in (body?.Fields ?? []).Concat(attributes))
        {
            if (Array.IndexOf(s_contextKeys, a.Key) < 0 && written.Add(a.Key))
            {
                WriteProp(w, a.Key, a.Value, ref n);
            }
        }
    });

    /// <summary>The stable id of a log record: the same record sent again hashes the same.</summary>
    private static string LogId(OtlpLogRecord log)
    {
        var h = new XxHash128();
        Span<byte> n = stackalloc byte[8];
        BitConverter.TryWriteBytes(n, log.TimeUnixNano);
        h.Append(n);
        BitConverter.TryWriteBytes(n, log.ObservedTimeUnixNano);
        h.Append(n);
        BitConverter.TryWriteBytes(n, (long)log.SeverityNumber);
        h.Append(n);
        Append(h, log.EventName);
        Append(h, log.TraceId);
        Append(h, log.SpanId);
        Append(h, log.Body ?? OtlpValue.Empty, 0);
        foreach (var a in log.Attributes)
        {
            Append(h, a.Key);
            Append(h, a.Value, 0);
        }
        return "otel-log-" + Convert.ToHexStringLower(h.GetCurrentHash());
    }

    private static void Append(XxHash128 h, string? s)
    {
        Span<byte> len = stackalloc byte[4];
        BitConverter.TryWriteBytes(len, s?.Length ?? -1);
        h.Append(len);
        h.Append(MemoryMarshal.AsBytes(s.AsSpan()));
    }

    // Recursion is bounded by the readers' MaxValueDepth.
    private static void Append(XxHash128 h, OtlpValue v, int depth)
    {
        h.Append([(byte)v.Kind, (byte)depth]);
        switch (v.Kind)
        {
            case OtlpValueKind.Array:
                foreach (var item in v.Items!)
                {
                    Append(h, item, depth + 1);
                }
                break;
            case OtlpValueKind.KeyValueList:
                foreach (var f in v.Fields!)
                {
                    Append(h, f.Key);
                    Append(h, f.Value, depth + 1);
                }
                break;
            case OtlpValueKind.Bytes:
                h.Append(v.Bytes ?? []);
                break;
            default:
                Append(h, v.AsString());
                break;
        }
    }
}
