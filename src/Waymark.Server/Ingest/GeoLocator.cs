using System.Net;
using System.Net.Sockets;
using MaxMind.GeoIP2;
using MaxMind.GeoIP2.Responses;

namespace Waymark.Server.Ingest;

/// <summary>Where an address is, as far as the database knows.</summary>
/// <param name="Country">ISO 3166-1 alpha-2 code, e.g. "GB".</param>
/// <param name="City">English city name, e.g. "London"; null with a country-only database.</param>
public sealed record GeoResult(string? Country, string? City);

/// <summary>
/// Looks addresses up in a MaxMind GeoIP2/GeoLite2 City or Country database.
/// Without a database path it is disabled and every lookup answers null.
/// Thread-safe: <see cref="DatabaseReader"/> is, and nothing else here changes.
/// </summary>
public sealed class GeoLocator : IDisposable
{
    private readonly DatabaseReader? _reader;
    private readonly bool _hasCities;

    /// <summary>Opens the database; a missing or unreadable file fails here, at start-up, not per lookup.</summary>
    /// <param name="databasePath">An .mmdb file; null or empty disables lookups.</param>
    public GeoLocator(string? databasePath)
    {
        if (string.IsNullOrWhiteSpace(databasePath))
        {
            return;
        }
        // Memory-mapped (the default): the OS shares the pages and nothing is copied per lookup.
        _reader = new DatabaseReader(databasePath);
        // City() on a Country database throws, so the kind is read once from its metadata.
        var type = _reader.Metadata.DatabaseType;
        _hasCities = type.Contains("City", StringComparison.OrdinalIgnoreCase)
            || type.Contains("Enterprise", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether a database is loaded.</summary>
    public bool Enabled => _reader is not null;

    /// <summary>
    /// The country and city of a public address; null when disabled, when the
    /// address is private, loopback or link-local, or when the database has no entry.
    /// </summary>
    public GeoResult? Lookup(IPAddress ip)
    {
        ArgumentNullException.ThrowIfNull(ip);
        if (_reader is null)
        {
            return null;
        }
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }
        if (IsNotPublic(ip))
        {
            return null;
        }

        string? country;
        string? city = null;
        if (_hasCities)
        {
            if (!_reader.TryCity(ip, out CityResponse? response) || response is null)
            {
                return null;
            }
            country = response.Country.IsoCode;
            city = response.City.Name;
        }
        else
        {
            if (!_reader.TryCountry(ip, out CountryResponse? response) || response is null)
            {
                return null;
            }
            country = response.Country.IsoCode;
        }
        return country is null && city is null ? null : new GeoResult(country, city);
    }

    public void Dispose() => _reader?.Dispose();

    /// <summary>Addresses no geolocation database places: RFC 1918, CGNAT, loopback, link-local, ULA, multicast.</summary>
    internal static bool IsNotPublic(IPAddress ip)
    {
        if (IPAddress.IsLoopback(ip) || ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any))
        {
            return true;
        }
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            ip.TryWriteBytes(b, out _);
            return b[0] switch
            {
                0 or 10 or 127 => true,
                100 => b[1] is >= 64 and <= 127,
                169 => b[1] == 254,
                172 => b[1] is >= 16 and <= 31,
                192 => b[1] == 168,
                >= 224 => true,
                _ => false,
            };
        }
        return ip.IsIPv6LinkLocal || ip.IsIPv6SiteLocal || ip.IsIPv6UniqueLocal || ip.IsIPv6Multicast;
    }
}
