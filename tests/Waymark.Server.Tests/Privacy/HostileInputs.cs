using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Waymark.Server.Tests.Otlp;

namespace Waymark.Server.Tests.Privacy;

/// <summary>What a hostile request must get: a 4xx with a reason; a 2xx with the bad events rejected; or anything but a 5xx.</summary>
public enum Expect
{
    Refused,
    EventRejected,
    NoHarm,
}

/// <summary>One generated request: what it is, what it must get, and how to build it (a request can be sent once).</summary>
public sealed record Hostile(string Kind, Expect Expect, Func<HttpRequestMessage> Build);

/// <summary>
/// Generates hostile requests to the collectors from a seeded random source, so a failure names a kind and repeats:
/// broken JSON, invalid UTF-8, control characters in ids, deep nesting, wrong types, times of year 1 and 9999, oversize
/// bodies and strings, wrong media types, and OTLP JSON, protobuf and gzip gone wrong.
/// </summary>
public sealed class HostileInputs(int seed, string origin)
{
    private readonly Random _rng = new(seed);
    private readonly long _now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private byte[]? _huge;
    private static readonly byte[] s_bomb = OtlpPayloads.Gzip(new byte[64 * 1024 * 1024]);

    private string Template(int n, string visitor = "\"v-hostile\"", string session = "null", string eventId = null!, string ts = null!, string props = "{}", string extra = "") =>
        "{\"app\":\"shop\",\"key\":\"shop-key\",\"channel\":\"web\",\"visitor\":" + visitor + ",\"session\":" + (session == "null" ? $"\"s-h-{n}\"" : session) + extra +
        ",\"events\":[{\"id\":" + (eventId ?? $"\"h{n}-1\"") + ",\"type\":\"view\",\"ts\":" + (ts ?? (_now - 5000).ToString(CultureInfo.InvariantCulture)) +
        ",\"name\":\"Home\",\"props\":" + props + "},{\"id\":\"h" + n + "-2\",\"type\":\"custom\",\"name\":\"step\",\"ts\":" + (_now - 4000).ToString(CultureInfo.InvariantCulture) + "}]}";

    public Hostile Next(int n)
    {
        string T() => Template(n);
        string Ctl() => "\"x\\u" + _rng.Next(32).ToString("x4", CultureInfo.InvariantCulture) + "y\"";
        switch (_rng.Next(22))
        {
            case 0:
                var t = T();
                return Beacon("truncated json", Expect.Refused, Encoding.UTF8.GetBytes(t[..(1 + _rng.Next(t.Length - 2))]));
            case 1:
                var raw = Encoding.UTF8.GetBytes(Template(n, visitor: "\"v-\u00e9\""));
                var at = Array.IndexOf(raw, (byte)0xC3);
                raw[at + 1] = (byte)(_rng.Next(2) == 0 ? 0x28 : 0xFF);
                return Beacon("invalid utf-8 in the visitor", Expect.Refused, raw);
            case 2: return Beacon("control character in the visitor", Expect.Refused, Template(n, visitor: Ctl()));
            case 3: return Beacon("control character in the session", Expect.Refused, Template(n, session: Ctl()));
            case 4: return Beacon("control character in an event id", Expect.EventRejected, Template(n, eventId: Ctl()));
            case 5:
                var depth = _rng.Next(17, 20_000);
                return Beacon("props nested " + depth, Expect.Refused, Template(n, props: string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth)));
            case 6: return Beacon("visitor a number", Expect.Refused, Template(n, visitor: "123"));
            case 7: return Beacon("events a string", Expect.Refused, "{\"app\":\"shop\",\"key\":\"shop-key\",\"channel\":\"web\",\"visitor\":\"v\",\"events\":\"x\"}");
            case 8: return Beacon("ts a word", Expect.EventRejected, Template(n, ts: "\"yesterday\""));
            case 9: return Beacon("ts year 1", Expect.EventRejected, Template(n, ts: "\"0001-01-01T00:00:00Z\""));
            case 10: return Beacon("ts year 9999", Expect.EventRejected, Template(n, ts: "\"9999-12-31T23:59:59Z\""));
            case 11: return Beacon("ts 1e400", Expect.EventRejected, Template(n, ts: "1e400"));
            case 12: return Beacon("visitor of 10,000 characters", Expect.Refused, Template(n, visitor: "\"" + new string('v', 10_000) + "\""));
            case 13: return Beacon("body of 2 MiB", Expect.Refused, _huge ??= Encoding.UTF8.GetBytes(Template(n, props: "{\"p\":\"" + new string('p', 2 * 1024 * 1024) + "\"}")));
            case 14: return Beacon("1001 events", Expect.Refused, "{\"app\":\"shop\",\"key\":\"shop-key\",\"channel\":\"web\",\"visitor\":\"v\",\"events\":[" +
                string.Join(",", Enumerable.Range(0, 1001).Select(i => $"{{\"id\":\"m{n}-{i}\",\"type\":\"custom\",\"name\":\"x\",\"ts\":{_now - 1000}}}")) + "]}");
            case 15: return Beacon("unknown channel", Expect.Refused, T().Replace("\"web\"", "\"telepathy\"", StringComparison.Ordinal));
            case 16: return Beacon("xml", Expect.Refused, Encoding.UTF8.GetBytes("<beacon/>"), "application/xml");
            case 17: return Beacon("empty body", Expect.Refused, []);
            case 18: return Beacon("sentAt of year 1", Expect.NoHarm, Template(n, extra: ",\"sentAt\":\"0001-01-01T00:00:00Z\""));
            case 19:
                var j = Encoding.UTF8.GetString(OtlpJson(n));
                return Otlp("truncated otlp json", Expect.Refused, Encoding.UTF8.GetBytes(j[..(1 + _rng.Next(j.Length - 2))]), false, false);
            case 20:
                var junk = new byte[_rng.Next(1, 4096)];
                _rng.NextBytes(junk);
                return _rng.Next(3) switch
                {
                    0 => Otlp("random protobuf", Expect.NoHarm, junk, true, false),
                    1 => Otlp("not gzip", Expect.Refused, junk, true, true, raw: true),
                    _ => Otlp("truncated otlp protobuf", Expect.NoHarm, OtlpProto(n)[..(1 + _rng.Next(OtlpProto(n).Length - 1))], true, false),
                };
            default:
                return Otlp("gzip bomb", Expect.Refused, s_bomb, _rng.Next(2) == 0, true, raw: true);
        }
    }

    /// <summary>A valid beacon of the visitor v-valid: two events, its own session.</summary>
    public HttpRequestMessage Valid(int n) =>
        Beacon("valid", Expect.NoHarm, Template(n, visitor: "\"v-valid\"", session: $"\"s-valid-{n}\"").Replace("\"h" + n, "\"ok" + n, StringComparison.Ordinal)).Build();

    private Hostile Beacon(string kind, Expect expect, string json) => Beacon(kind, expect, Encoding.UTF8.GetBytes(json));

    private Hostile Beacon(string kind, Expect expect, byte[] body, string type = "text/plain") => new(kind, expect, () =>
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/beacon") { Content = content };
        request.Headers.Add("Origin", origin);
        return request;
    });

    private static Hostile Otlp(string kind, Expect expect, byte[] body, bool protobuf, bool gzip, bool raw = false) => new(kind, expect, () =>
    {
        var request = OtlpPayloads.Request("/v1/logs", raw ? [] : body, protobuf, gzip: gzip && !raw);
        if (raw)
        {
            // The body as given, declared gzip: a bomb, or bytes that are not gzip at all.
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue(protobuf ? "application/x-protobuf" : "application/json");
            content.Headers.ContentEncoding.Add("gzip");
            request.Content = content;
        }
        return request;
    });

    private byte[] OtlpJson(int n) => OtlpPayloads.Json(OtlpBatch(n));

    private byte[] OtlpProto(int n) => OtlpPayloads.Protobuf(OtlpBatch(n));

    private Batch OtlpBatch(int n) => new(
        [new Kv("service.name", "shop"), new Kv("telemetry.sdk.language", "webjs"), new Kv("waymark.visitor", "v-otlp-hostile")],
        [new LogRec(DateTimeOffset.FromUnixTimeMilliseconds(_now - 3000), "step", Attributes: [new Kv("session.id", $"otlp-h-{n}")])]);
}
