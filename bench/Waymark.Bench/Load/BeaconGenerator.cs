using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Waymark.Core.Events;

namespace Waymark.Bench.Load;

/// <summary>A browser: its User-Agent and language.</summary>
internal sealed record DeviceProfile(string UserAgent, string Locale);

/// <summary>
/// One visitor of the bench's shop. At most one beacon of a visitor is in
/// flight (the pool hands a visitor to one sender at a time), as in a browser.
/// </summary>
internal sealed class Visitor
{
    public required string Id { get; init; }
    public required DeviceProfile Device { get; init; }
    public required string Ip { get; init; }
    public string Session { get; set; } = "";
    public int BeaconsLeftInSession { get; set; }
    public long LastTs { get; set; }
    public string Path { get; set; } = "/";
    public string? ActionId { get; set; }
    /// <summary>A beacon that was refused (503) or lost: sent again, same event ids, as the SDK does.</summary>
    public GeneratedBeacon? Pending { get; set; }
}

/// <summary>A beacon as the client builds it, before it is written as JSON.</summary>
internal sealed class GeneratedBeacon
{
    public required Visitor Visitor { get; init; }
    public required string Session { get; init; }
    public required List<EventRecord> Events { get; init; }
}

/// <summary>
/// Realistic beacons of a web shop: page views with load times, clicks,
/// first- and third-party requests, web vitals, custom events with props, an
/// error with a stack in about one beacon of ten, conversions at checkout.
/// 20–30 events a beacon, client-generated unique event ids.
/// </summary>
internal sealed class BeaconGenerator
{
    public const string App = "bench";
    public const string Key = "bench-public-key";
    public const string Host = "shop.example";
    public const string AppVersion = "2025.11.3";
    public const int MinEvents = 20;
    public const int MaxEvents = 30;
    public const int MeanEvents = (MinEvents + MaxEvents) / 2;

    private const string IdAlphabet = "useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict";

    private static readonly (DeviceProfile Device, int Weight)[] s_devices =
    [
        (new("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "en-US"), 24),
        (new("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", "de-DE"), 20),
        (new("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", "en-GB"), 18),
        (new("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", "fr-FR"), 8),
        (new("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "nl-NL"), 9),
        (new("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", "de-DE"), 6),
        (new("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "en-US"), 7),
        (new("Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36", "es-ES"), 5),
        (new("Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1", "it-IT"), 3),
    ];

    private static readonly string[] s_products =
    [
        "trail-runner-2-gtx", "merino-crew-sock-3-pack", "ultralight-rain-shell", "city-commuter-backpack-22l",
        "insulated-bottle-750ml", "organic-cotton-tee-heather", "waxed-canvas-tote", "down-vest-packable",
        "approach-shoe-low", "wool-beanie-ribbed", "softshell-pants-slim", "headlamp-400-lumen",
    ];

    private static readonly string[] s_categories = ["shoes", "jackets", "backpacks", "accessories", "sale", "new-arrivals"];
    private static readonly string[] s_terms = ["rain jacket", "trail shoes size 42", "merino", "backpack 30l", "gift card", "socks"];

    private static readonly (string Name, string Target)[] s_actions =
    [
        ("click on \"Add to cart\"", "button#add-to-cart.btn.btn-primary.pdp__cta"),
        ("click on \"Size 42\"", "li.size-picker__option[data-size=\"42\"] > button"),
        ("click on product card", "a.product-card__link[href^=\"/product/\"]"),
        ("submit search", "form#site-search > input[name=\"q\"]"),
        ("click on \"Continue to payment\"", "button.checkout__next[type=\"submit\"]"),
        ("click on \"Filters\"", "button.plp-toolbar__filters"),
        ("scroll to reviews", "section#reviews.pdp__reviews"),
        ("click on image gallery", "div.gallery__slide.is-active > img"),
    ];

    private static readonly string[] s_errors =
    [
        "TypeError: Cannot read properties of undefined (reading 'price')",
        "ChunkLoadError: Loading chunk 7431 failed. (error: https://shop.example/assets/7431.8c1e2f0b.js)",
        "Uncaught (in promise) Error: Request failed with status code 502",
        "ReferenceError: dataLayer is not defined",
    ];

    private static readonly string[] s_functions =
    [
        "renderPrice", "PriceTag", "renderWithHooks", "mountIndirectComponent", "beginWork", "performUnitOfWork",
        "workLoopSync", "renderRootSync", "performSyncWorkOnRoot", "flushSyncCallbacks", "dispatchDiscreteEvent",
        "CartDrawer.updateTotals", "async fetchRecommendations", "Array.map",
    ];

    private readonly List<Visitor> _visitors;

    public BeaconGenerator(int visitors, int seed)
    {
        var rng = new Random(seed);
        var total = s_devices.Sum(d => d.Weight);
        _visitors = new List<Visitor>(visitors);
        for (var i = 0; i < visitors; i++)
        {
            var pick = rng.Next(total);
            var device = s_devices[0].Device;
            foreach (var (d, w) in s_devices)
            {
                if (pick < w)
                {
                    device = d;
                    break;
                }
                pick -= w;
            }
            _visitors.Add(new Visitor { Id = NanoId(rng, 21), Device = device, Ip = RandomIp(rng) });
        }
    }

    public IReadOnlyList<Visitor> Visitors => _visitors;

    /// <summary>The next beacon of a visitor: what happened on its page in the last seconds before <paramref name="nowMs"/>.</summary>
    public static GeneratedBeacon Next(Visitor v, Random rng, long nowMs)
    {
        var newSession = v.BeaconsLeftInSession <= 0;
        if (newSession)
        {
            v.Session = NanoId(rng, 16);
            v.BeaconsLeftInSession = rng.Next(5, 40);
            v.Path = "/";
            v.ActionId = null;
        }
        v.BeaconsLeftInSession--;
        var n = rng.Next(MinEvents, MaxEvents + 1);
        var start = Math.Max(v.LastTs + 1, nowMs - (n * 300L));
        var spacing = Math.Max(1, (nowMs - 50 - start) / n);
        var events = new List<EventRecord>(n);
        long Ts() => start + (events.Count * spacing);

        if (newSession || rng.NextDouble() < 0.4)
        {
            v.Path = newSession ? v.Path : NextPath(rng, v.Path);
            v.ActionId = null;
            var load = LogNormal(rng, 1200, 0.6);
            events.Add(new EventRecord
            {
                EventId = NanoId(rng, 21), Type = EventType.View, Timestamp = Ms(Ts()),
                Name = Title(v.Path), Url = "https://" + Host + v.Path, Duration = load,
            });
            events.Add(Vital(rng, Ts(), "TTFB", LogNormal(rng, 220, 0.5)));
            events.Add(Vital(rng, Ts(), "FCP", LogNormal(rng, 900, 0.5)));
            events.Add(Vital(rng, Ts(), "LCP", LogNormal(rng, 1700, 0.5)));
        }
        var errorAt = rng.NextDouble() < 0.1 ? n / 2 : -1;
        while (events.Count < n)
        {
            if (events.Count == errorAt)
            {
                events.Add(Error(rng, Ts(), v));
                continue;
            }
            var roll = rng.Next(100);
            events.Add(roll switch
            {
                < 28 => Action(rng, Ts(), v),
                < 78 => Request(rng, Ts(), v),
                < 90 => Custom(rng, Ts(), v),
                < 97 => v.ActionId is null ? Vital(rng, Ts(), "CLS", Math.Round(LogNormal(rng, 0.04, 0.8), 4)) : Vital(rng, Ts(), "INP", LogNormal(rng, 120, 0.6)),
                _ => Custom(rng, Ts(), v),
            });
        }
        if (v.Path.StartsWith("/checkout", StringComparison.Ordinal) && rng.NextDouble() < 0.25)
        {
            events[^1] = new EventRecord
            {
                EventId = NanoId(rng, 21), Type = EventType.Conversion, Timestamp = events[^1].Timestamp, Name = "order",
                Value = Math.Round(20 + (rng.NextDouble() * 380), 2),
                Props = string.Create(CultureInfo.InvariantCulture, $$"""{"orderId":"SO-{{rng.Next(1_000_000, 9_999_999)}}","items":{{rng.Next(1, 6)}},"currency":"EUR","coupon":null}"""),
            };
        }
        v.LastTs = events[^1].Timestamp.ToUnixTimeMilliseconds();
        return new GeneratedBeacon { Visitor = v, Session = v.Session, Events = events };
    }

    /// <summary>The beacon as protocol v1 JSON, as the browser agent sends it.</summary>
    public static byte[] ToJson(GeneratedBeacon b, long sentAtMs)
    {
        var buffer = new ArrayBufferWriter<byte>(b.Events.Count * 400);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true }))
        {
            w.WriteStartObject();
            w.WriteString("app", App);
            w.WriteString("key", Key);
            w.WriteString("channel", "web");
            w.WriteString("visitor", b.Visitor.Id);
            w.WriteString("session", b.Session);
            w.WriteNumber("sentAt", sentAtMs);
            w.WriteStartObject("context");
            w.WriteString("appVersion", AppVersion);
            w.WriteString("locale", b.Visitor.Device.Locale);
            w.WriteEndObject();
            w.WriteStartArray("events");
            foreach (var e in b.Events)
            {
                WriteEvent(w, e);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteEvent(Utf8JsonWriter w, EventRecord e)
    {
        w.WriteStartObject();
        w.WriteString("id", e.EventId);
        w.WriteString("type", EventTypes.Name(e.Type));
        w.WriteNumber("ts", e.Timestamp.ToUnixTimeMilliseconds());
        Str(w, "name", e.Name);
        Str(w, "url", e.Url);
        Num(w, "duration", e.Duration);
        if (e.Status is { } status)
        {
            w.WriteNumber("status", status);
        }
        Str(w, "method", e.Method);
        Num(w, "value", e.Value);
        Str(w, "message", e.Message);
        Str(w, "stack", e.Stack);
        Str(w, "source", e.Source);
        Str(w, "fingerprint", e.Fingerprint);
        Str(w, "target", e.Target);
        if (e.Frustration is not null)
        {
            w.WriteStartArray("frustration");
            foreach (var f in e.Frustration.Split(','))
            {
                w.WriteStringValue(f);
            }
            w.WriteEndArray();
        }
        Str(w, "action", e.ActionId);
        if (e.Props is not null)
        {
            w.WritePropertyName("props");
            w.WriteRawValue(e.Props, skipInputValidation: true);
        }
        if (e.Failed)
        {
            w.WriteBoolean("failed", true);
        }
        w.WriteEndObject();
    }

    private static void Str(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void Num(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    private static EventRecord Action(Random rng, long ts, Visitor v)
    {
        var (name, target) = s_actions[rng.Next(s_actions.Length)];
        v.ActionId = NanoId(rng, 21);
        var rage = rng.NextDouble() < 0.02;
        return new EventRecord
        {
            EventId = v.ActionId, Type = EventType.Action, Timestamp = Ms(ts), Name = name, Target = target,
            Duration = LogNormal(rng, 250, 0.7), ActionId = v.ActionId, Frustration = rage ? "rage" : null,
        };
    }

    private static EventRecord Request(Random rng, long ts, Visitor v)
    {
        var product = s_products[rng.Next(s_products.Length)];
        var id = rng.Next(10_000, 99_999).ToString(CultureInfo.InvariantCulture);
        var thirdParty = rng.NextDouble() < 0.4;
        var (method, url) = thirdParty
            ? rng.Next(5) switch
            {
                0 => ("POST", $"https://www.google-analytics.com/g/collect?v=2&tid=G-7XK2Q9LMNB&cid={rng.Next()}.{rng.Next()}&en=page_view&dl=https%3A%2F%2Fshop.example{Uri.EscapeDataString(v.Path)}"),
                1 => ("GET", $"https://cdn.shopassets.example/images/products/{id}/{product}-800w.webp"),
                2 => ("GET", "https://js.stripe.com/v3/m/outer.html#url=https%3A%2F%2Fshop.example%2Fcheckout%2Fpayment&title=Checkout"),
                3 => ("POST", "https://api.segment.io/v1/t"),
                _ => ("GET", "https://fonts.gstatic.com/s/inter/v13/UcC73FwrK3iLTeHuS_fvQtMwCp50KnMa1ZL7W0Q5nw.woff2"),
            }
            : rng.Next(5) switch
            {
                0 => ("GET", $"https://shop.example/api/products/{id}?fields=price,stock,variants&currency=EUR"),
                1 => ("GET", $"https://shop.example/api/recommendations?product={product}&limit=12&ctx=pdp"),
                2 => ("POST", "https://shop.example/api/cart/items"),
                3 => ("GET", $"https://shop.example/api/search?q={Uri.EscapeDataString(s_terms[rng.Next(s_terms.Length)])}&page=1&sort=relevance"),
                _ => ("POST", "https://shop.example/api/checkout/shipping-rates"),
            };
        var roll = rng.Next(1000);
        var status = roll switch
        {
            < 5 => 0,
            < 15 => 500,
            < 35 => 404,
            < 65 => 304,
            _ => method == "POST" ? 201 : 200,
        };
        return new EventRecord
        {
            EventId = NanoId(rng, 21), Type = EventType.Request, Timestamp = Ms(ts), Url = url, Method = method, Status = status,
            Duration = LogNormal(rng, thirdParty ? 60 : 120, 0.8), ActionId = v.ActionId, Failed = status is 0 or >= 400,
        };
    }

    private static EventRecord Custom(Random rng, long ts, Visitor v) => rng.Next(3) switch
    {
        0 => new EventRecord
        {
            EventId = NanoId(rng, 21), Type = EventType.Custom, Timestamp = Ms(ts), Name = "filter_applied", ActionId = v.ActionId,
            Props = string.Create(CultureInfo.InvariantCulture, $$"""{"facet":"size","value":"{{rng.Next(36, 47)}}","results":{{rng.Next(0, 240)}},"page":"{{v.Path}}"}"""),
        },
        1 => new EventRecord
        {
            EventId = NanoId(rng, 21), Type = EventType.Custom, Timestamp = Ms(ts), Name = "experiment_exposure",
            Props = """{"experiment":"pdp-gallery-v3","variant":"B","bucket":17}""",
        },
        _ => new EventRecord
        {
            EventId = NanoId(rng, 21), Type = EventType.Custom, Timestamp = Ms(ts), Name = "checkout_step",
            Props = string.Create(CultureInfo.InvariantCulture, $$"""{"step":"shipping","method":"standard","cartValue":{{rng.Next(20, 400)}}.{{rng.Next(10, 99)}},"items":{{rng.Next(1, 6)}}}"""),
        },
    };

    private static EventRecord Vital(Random rng, long ts, string name, double value) =>
        new() { EventId = NanoId(rng, 21), Type = EventType.Vital, Timestamp = Ms(ts), Name = name, Value = value };

    private static EventRecord Error(Random rng, long ts, Visitor v)
    {
        var message = s_errors[rng.Next(s_errors.Length)];
        var frames = rng.Next(8, 15);
        var stack = new System.Text.StringBuilder(message.Length + (frames * 90));
        stack.Append(message);
        for (var i = 0; i < frames; i++)
        {
            stack.Append(CultureInfo.InvariantCulture, $"\n    at {s_functions[(i + frames) % s_functions.Length]} (https://shop.example/assets/app.3f9c2d1a.js:1:{40_000 + (i * 1777)})");
        }
        return new EventRecord
        {
            EventId = NanoId(rng, 21), Type = EventType.Error, Timestamp = Ms(ts), Message = message, Stack = stack.ToString(),
            Source = "https://shop.example/assets/app.3f9c2d1a.js:1:48213", Fingerprint = "e3b0c44298fc1c14" + message.Length.ToString("x4", CultureInfo.InvariantCulture),
            ActionId = v.ActionId, Url = "https://" + Host + v.Path,
        };
    }

    private static string NextPath(Random rng, string from) => from switch
    {
        "/" => rng.Next(3) == 0 ? "/search?q=" + Uri.EscapeDataString(s_terms[rng.Next(s_terms.Length)]) : "/category/" + s_categories[rng.Next(s_categories.Length)],
        _ when from.StartsWith("/category/", StringComparison.Ordinal) || from.StartsWith("/search", StringComparison.Ordinal) =>
            "/product/" + s_products[rng.Next(s_products.Length)] + "-" + rng.Next(10_000, 99_999).ToString(CultureInfo.InvariantCulture),
        _ when from.StartsWith("/product/", StringComparison.Ordinal) => rng.Next(3) == 0 ? "/cart" : "/category/" + s_categories[rng.Next(s_categories.Length)],
        "/cart" => "/checkout/shipping",
        "/checkout/shipping" => "/checkout/payment",
        "/checkout/payment" => "/checkout/confirmation?order=SO-" + rng.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture),
        _ => "/",
    };

    private static string Title(string path) => path switch
    {
        "/" => "Home | Summit Outfitters",
        _ when path.StartsWith("/product/", StringComparison.Ordinal) => "Product detail | Summit Outfitters",
        _ when path.StartsWith("/category/", StringComparison.Ordinal) => "Category | Summit Outfitters",
        _ when path.StartsWith("/search", StringComparison.Ordinal) => "Search results | Summit Outfitters",
        "/cart" => "Your cart | Summit Outfitters",
        _ => "Checkout | Summit Outfitters",
    };

    private static DateTimeOffset Ms(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    /// <summary>A log-normal duration around <paramref name="median"/> ms, rounded as browsers report it.</summary>
    private static double LogNormal(Random rng, double median, double sigma)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        var z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return Math.Round(Math.Min(median * Math.Exp(sigma * z), 3_600_000), 1);
    }

    private static string NanoId(Random rng, int length) =>
        string.Create(length, rng, static (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = IdAlphabet[r.Next(IdAlphabet.Length)];
            }
        });

    private static string RandomIp(Random rng)
    {
        if (rng.Next(5) == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"2a02:{rng.Next(0x8000, 0x8fff):x}:{rng.Next(0, 0xffff):x}:{rng.Next(0, 0xffff):x}::{rng.Next(1, 0xffff):x}");
        }
        int[] firsts = [31, 62, 77, 81, 85, 92, 145, 176, 185, 213];
        return string.Create(CultureInfo.InvariantCulture, $"{firsts[rng.Next(firsts.Length)]}.{rng.Next(0, 256)}.{rng.Next(0, 256)}.{rng.Next(1, 255)}");
    }
}
