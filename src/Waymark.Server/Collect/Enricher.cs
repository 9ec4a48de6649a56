using System.Collections.Concurrent;
using Waymark.Core.Enrichment;
using Waymark.Core.Events;
using Waymark.Core.Protocol;

namespace Waymark.Server.Collect;

/// <summary>
/// Adds what the server knows to a batch (device from the User-Agent and
/// client hints, location from the IP) and masks what must not be stored:
/// the IP is anonymised, query strings dropped but for allowed keys, e-mail
/// addresses and long numbers in free text replaced.
/// </summary>
public sealed class Enricher(GeoLocator geo, AppRegistry apps)
{
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

    /// <summary>The event as stored: corrected time, masked text and URLs, third party marked.</summary>
    public EventRecord Mask(AppOptions app, EventRecord e, DateTimeOffset timestamp, string? pageHost)
    {
        var masker = _maskers.GetOrAdd(app.Id, _ => new Masker(new MaskingOptions { AllowedQueryKeys = apps.Find(app.Id)?.AllowedQueryParams ?? [] }));
        var thirdParty = e.ThirdParty;
        if (e.Type == EventType.Request && !thirdParty && Host(e.Url) is { } host)
        {
            var firstParty = string.Equals(host, pageHost, StringComparison.OrdinalIgnoreCase) ||
                app.FirstPartyHosts.Exists(h => string.Equals(h, host, StringComparison.OrdinalIgnoreCase) ||
                                                host.EndsWith("." + h, StringComparison.OrdinalIgnoreCase));
            thirdParty = !firstParty && (pageHost is not null || app.FirstPartyHosts.Count > 0);
        }
        return e with
        {
            Timestamp = timestamp,
            Url = masker.MaskUrl(e.Url),
            Name = e.Type == EventType.View ? masker.MaskUrl(e.Name) : Masker.MaskText(e.Name),
            Message = Masker.MaskText(e.Message),
            Target = Masker.MaskText(e.Target),
            ThirdParty = thirdParty,
        };
    }

    /// <summary>The host of an absolute URL, or null for a relative or unreadable one.</summary>
    public static string? Host(string? url) =>
        url is not null && Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Host.Length > 0 ? u.Host : null;
}
