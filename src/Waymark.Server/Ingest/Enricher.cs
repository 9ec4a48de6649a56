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

    // User tags are hashed only under a secret (the options refuse HashUserTags without one).
    private readonly bool _hashUsers = identity.Value.HashUserTags && identity.Value.HashSecret is { Length: > 0 };

    private readonly ConcurrentDictionary<string, Masker> _maskers = new(StringComparer.Ordinal);

    // The values a live session's summary keeps (device, place, page names), one copy each.
    private readonly StringPool _strings = new();

    public BatchContext Context(BeaconHeader h, RequestFacts facts, DateTimeOffset received)
    {
        var ua = UserAgentParser.Parse(h.UserAgent ?? facts.UserAgent, facts.Hints);
        var location = facts.ClientIp is null ? null : geo.Lookup(facts.ClientIp);
        return new BatchContext
        {
            App = _strings.Get(h.App)!,
            Channel = h.Channel,
            Visitor = h.Visitor,
            ClientSession = h.Session,
            UserTag = h.User is null ? null : UserKey(h.User),
            Received = received,
            // What an app says of itself (a kiosk, a check-in desk) wins over the UA.
            DeviceClass = _strings.Get(h.DeviceClass?.ToLowerInvariant() ?? ua.DeviceClass)!,
            Browser = _strings.Get(h.Browser ?? ua.Browser),
            BrowserVersion = _strings.Get(h.BrowserVersion ?? ua.BrowserVersion),
            Os = _strings.Get(h.Os ?? ua.Os),
            OsVersion = _strings.Get(h.OsVersion ?? ua.OsVersion),
            Model = _strings.Get(h.Model),
            AppVersion = _strings.Get(h.AppVersion),
            Locale = _strings.Get(h.Locale),
            Country = _strings.Get(location?.Country),
            City = _strings.Get(location?.City),
            Ip = facts.ClientIp is null ? null : IpAnonymizer.Anonymize(facts.ClientIp),
            Touchpoint = _strings.Get(h.Touchpoint),
        };
    }

    /// <summary>The stored key of an identity (see <see cref="IdentityKeys.Key"/>); null for a malformed hash.</summary>
    public string? IdentityKey(string kind, string value, bool hashed) => IdentityKeys.Key(kind, value, hashed, _secret, _hashUsers);

    /// <summary>A user tag as stored: as given, or its HMAC when the installation hashes user tags.</summary>
    public string UserKey(string tag) => IdentityKeys.Key(IdentityKeys.User, tag, hashed: false, _secret, _hashUsers)!;

    /// <summary>Whether user tags are stored hashed.</summary>
    public bool HashesUserTags => _hashUsers;

    /// <summary>
    /// The event as stored: corrected time, masked text and URLs, third party
    /// marked, identities hashed. Null with a reason when it cannot be stored.
    /// </summary>
    public EventRecord? Accept(AppOptions app, IncomingEvent e, DateTimeOffset timestamp, string? pageHost, out string? reason)
    {
        reason = null;
        if (e.Type == EventType.Identify)
        {
            return Identify(e, timestamp, out reason);
        }
        var masker = _maskers.GetOrAdd(app.Id, _ => new Masker(new MaskingOptions { AllowedQueryKeys = apps.Find(app.Id)?.AllowedQueryParams ?? [], Rules = apps.Find(app.Id)?.MaskRules ?? [] }));
        var thirdParty = e.ThirdParty;
        if (e.Type == EventType.Request && !thirdParty && Host(e.Url) is { } host)
        {
            var firstParty = string.Equals(host, pageHost, StringComparison.OrdinalIgnoreCase) ||
                app.FirstPartyHosts.Exists(h => string.Equals(h, host, StringComparison.OrdinalIgnoreCase) ||
                                                host.EndsWith("." + h, StringComparison.OrdinalIgnoreCase));
            thirdParty = !firstParty && (pageHost is not null || app.FirstPartyHosts.Count > 0);
        }
        return new EventRecord
        {
            EventId = e.EventId,
            Type = e.Type,
            Timestamp = timestamp,
            Name = _strings.Get(e.Type == EventType.View ? masker.MaskUrl(e.Name) : masker.Mask(e.Name)),
            Url = masker.MaskUrl(e.Url),
            Duration = e.Duration,
            Status = e.Status,
            Method = e.Method,
            ThirdParty = thirdParty,
            Value = e.Value,
            Message = masker.Mask(e.Message),
            Stack = masker.Mask(e.Stack),
            Source = e.Source,
            Fingerprint = e.Fingerprint,
            Target = masker.Mask(e.Target),
            Frustration = e.Frustration,
            ActionId = e.ActionId,
            Props = masker.MaskProps(e.Props),
            Failed = e.Failed,
        };
    }

    /// <summary>An identify event as stored: its key and its traits' keys hashed (e-mail, phone, loyalty), so are the traits in its props.</summary>
    private EventRecord? Identify(IncomingEvent e, DateTimeOffset timestamp, out string? reason)
    {
        reason = null;
        var claim = e.Identity!;
        var key = IdentityKey(claim.Kind, claim.Value, claim.Hashed);
        if (key is null)
        {
            reason = "a hashed identity must be the 64 lower-case hex digits of a SHA-256";
            return null;
        }
        List<IdentityTrait>? traits = null;
        var props = e.Props;
        if (claim.Traits is { Count: > 0 } && props is not null)
        {
            var node = JsonNode.Parse(props)!.AsObject();
            foreach (var (kind, raw) in claim.Traits)
            {
                // A client that hashes on the device (the .NET SDK does) sends
                // the SHA-256 itself: 64 hex digits, which no e-mail address,
                // phone or card number is.
                var prehashed = raw.Length == 64 && raw.All(char.IsAsciiHexDigitLower);
                if (IdentityKey(kind, raw, prehashed) is { } traitKey)
                {
                    (traits ??= []).Add(new IdentityTrait(kind, traitKey));
                    node[kind] = traitKey;
                }
                else
                {
                    node.Remove(kind);
                }
            }
            props = node.ToJsonString();
        }
        return new EventRecord
        {
            EventId = e.EventId,
            Type = EventType.Identify,
            Timestamp = timestamp,
            Props = props,
            Identity = new Identity(claim.Kind, key, traits),
        };
    }

    /// <summary>The host of an absolute URL, or null for a relative or unreadable one.</summary>
    public static string? Host(string? url) =>
        url is not null && Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Host.Length > 0 ? u.Host : null;
}
