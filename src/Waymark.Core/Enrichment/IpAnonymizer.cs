using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Waymark.Core.Enrichment;

/// <summary>
/// Truncates client addresses before anything stores them: IPv4 to its /24, IPv6
/// to its /48 (the allocation of one site), the prefixes Google Analytics and
/// Matomo use. An IPv4-mapped IPv6 address is treated as the IPv4 address it is.
/// </summary>
public static class IpAnonymizer
{
    /// <summary>"203.0.113.77" → "203.0.113.0"; "2001:db8:abcd:12::1" → "2001:db8:abcd::".</summary>
    public static string Anonymize(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            throw new ArgumentException("The address has more than 16 bytes.", nameof(address));
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{bytes[0]}.{bytes[1]}.{bytes[2]}.0");
        }
        // Keep 48 bits; a new address also drops any scope id ("%eth0").
        bytes[6..written].Clear();
        return new IPAddress(bytes[..written]).ToString();
    }

    /// <summary>Anonymises an address given as text; false when it is not an IP address.</summary>
    public static bool TryAnonymize(string? address, [NotNullWhen(true)] out string? anonymized)
    {
        if (IPAddress.TryParse(address.AsSpan().Trim(), out var ip))
        {
            anonymized = Anonymize(ip);
            return true;
        }
        anonymized = null;
        return false;
    }
}
