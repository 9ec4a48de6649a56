using System.Collections.Concurrent;
using Waymark.Core.Enrichment;
using Waymark.Core.Events;
using Waymark.Core.Protocol;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Waymark.Core.Identity;
using Waymark.Server.Apps;

namespace Waymark.Server.Ingest;

/// <summary>
/// Adds what the server knows to a batch (device from the User-Agent and
/// client hints, location from the IP) and masks what must not be stored:
/// the IP is anonymised, query strings dropped but for allowed keys, e-mail
/// addresses and long numbers in free text replaced.
/// </summary>
public sealed class Enricher(GeoLocator geo, AppRegistry apps, IOptions<IdentityOptions> identity)
{
    private readonly byte[]? _secret = identity.Value.HashSecret is { Length: > 0 } s ? Encoding.UTF8.GetBytes(s) : null;

    private readonly ConcurrentDictionary<string, Masker> _maskers = new(StringComparer.Ordinal);

    public BatchContext Context(BeaconHeader h, RequestFacts facts, DateTimeOffset received)
    {
        var ua = UserAgentParser.Parse(h.UserAgent ?? facts.UserAgent, facts.Hints);
        var location = facts.ClientIp is null ? null : geo.Lookup(facts.ClientIp);
        return new BatchContext
        {
            App = h.App,
            Channel = h.Channel,
            Visitor = h.Visitor,
            ClientSession = h.Session,
            UserTag = h.User,
            Received = received,
            // What an app says of itself (a kiosk, a check-in desk) wins over the UA.
            DeviceClass = h.DeviceClass?.ToLowerInvariant() ?? ua.DeviceClass,
            Browser = h.Browser ?? ua.Browser,
            BrowserVersion = h.BrowserVersion ?? ua.BrowserVersion,
            Os = h.Os ?? ua.Os,
            OsVersion = h.OsVersion ?? ua.OsVersion,
            Model = h.Model,
            AppVersion = h.AppVersion,
            Locale = h.Locale,
            Country = location?.Country,
            City = location?.City,
            Ip = facts.ClientIp is null ? null : IpAnonymizer.Anonymize(facts.ClientIp),
            Touchpoint = h.Touchpoint,
        };
    }

    /// <summary>The stored key of an identity (see <see cref="IdentityKeys.Key"/>); null for a malformed hash.</summary>
    public string? IdentityKey(string kind, string value, bool hashed) => IdentityKeys.Key(kind, value, hashed, _secret);

    /// <summary>
    /// The event as stored: corrected time, masked text and URLs, third party
    /// marked, identities hashed. Null with a reason when the event cannot be stored.
    /// </summary>
    public EventRecord? Mask(AppOptions app, EventRecord e, DateTimeOffset timestamp, string? pageHost, out string? reason)
    {
        reason = null;
        if (e.Type == EventType.Identify)
        {
            var kind = e.Name ?? IdentityKeys.User;
            var key = IdentityKey(kind, e.UserTag!, e.Method == "hashed");
            if (key is null)
            {
                reason = "a hashed identity must be the 64 lower-case hex digits of a SHA-256";
                return null;
            }
            return e with { Timestamp = timestamp, Name = kind, UserTag = key, Method = null, Props = HashTraits(e.Props) };
        }
        var masker = _maskers.GetOrAdd(app.Id, _ => new Masker(new MaskingOptions { AllowedQueryKeys = apps.Find(app.Id)?.AllowedQueryParams ?? [] }));
        var thirdParty = e.ThirdParty;
        if (e.Type == EventType.Request && !thirdParty && Host(e.Url) is { } host)
        {
            var firstParty = string.Equals(host, pageHost, StringComparison.OrdinalIgnoreCase) ||
                app.FirstPartyHosts.Exists(h => string.Equals(h, host, StringComparison.OrdinalIgnoreCase) ||
                                                host.EndsWith("." + h, StringComparison.OrdinalIgnoreCase));
            thirdParty = !firstParty && (pageHost is not null || app.FirstPartyHosts.Count > 0);
        }
        var url = masker.MaskUrl(e.Url);
        var name = e.Type == EventType.View ? masker.MaskUrl(e.Name) : Masker.MaskText(e.Name);
        var message = Masker.MaskText(e.Message);
        var target = Masker.MaskText(e.Target);
        // Most events need no change: keep the record rather than copy it.
        if (timestamp == e.Timestamp && thirdParty == e.ThirdParty && ReferenceEquals(url, e.Url) && ReferenceEquals(name, e.Name) &&
            ReferenceEquals(message, e.Message) && ReferenceEquals(target, e.Target))
        {
            return e;
        }
        return e with { Timestamp = timestamp, Url = url, Name = name, Message = message, Target = target, ThirdParty = thirdParty };
    }

    /// <summary>E-mail, phone and loyalty traits of an identify are stored hashed, like the keys.</summary>
    private string? HashTraits(string? props)
    {
        if (props is null)
        {
            return null;
        }
        var node = JsonNode.Parse(props)!.AsObject();
        foreach (var kind in (string[])[IdentityKeys.Email, IdentityKeys.Phone, IdentityKeys.Loyalty])
        {
            if (node[kind] is JsonValue v && v.TryGetValue<string>(out var raw) && raw.Length > 0)
            {
                // A client that hashes on the device (the .NET SDK does) sends
                // the SHA-256 itself: 64 hex digits, which no e-mail address,
                // phone or card number is.
                var prehashed = raw.Length == 64 && raw.All(char.IsAsciiHexDigitLower);
                node[kind] = IdentityKey(kind, raw, prehashed);
            }
        }
        return node.ToJsonString();
    }

    /// <summary>The host of an absolute URL, or null for a relative or unreadable one.</summary>
    public static string? Host(string? url) =>
        url is not null && Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Host.Length > 0 ? u.Host : null;
}
