using System.Net;
using Waymark.Core.Enrichment;
using Xunit;

namespace Waymark.Core.Tests.Enrichment;

public class IpAnonymizerTests
{
    [Theory]
    [InlineData("203.0.113.77", "203.0.113.0")]
    [InlineData("10.1.2.3", "10.1.2.0")]
    [InlineData("255.255.255.255", "255.255.255.0")]
    [InlineData("2001:db8:abcd:12:3456:789a:bcde:f012", "2001:db8:abcd::")]
    [InlineData("2a00:1450:4001:82b::200e", "2a00:1450:4001::")]
    [InlineData("::1", "::")]
    [InlineData("fe80::1234:5678%3", "fe80::")]
    [InlineData("::ffff:198.51.100.23", "198.51.100.0")]
    public void Anonymize_Address_KeepsNetworkPrefixOnly(string address, string expected)
    {
        Assert.Equal(expected, IpAnonymizer.Anonymize(IPAddress.Parse(address)));
    }

    [Fact]
    public void Anonymize_Ipv6_ZeroesLast80Bits()
    {
        var anonymized = IPAddress.Parse(IpAnonymizer.Anonymize(IPAddress.Parse("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")));

        var bytes = anonymized.GetAddressBytes();
        Assert.Equal([0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff], bytes[..6]);
        Assert.All(bytes[6..], b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData(" 192.0.2.200 ", "192.0.2.0")]
    [InlineData("::ffff:192.0.2.200", "192.0.2.0")]
    [InlineData("2001:db8:1:2::3", "2001:db8:1::")]
    public void TryAnonymize_Text_ReturnsAnonymizedAddress(string text, string expected)
    {
        Assert.True(IpAnonymizer.TryAnonymize(text, out var anonymized));
        Assert.Equal(expected, anonymized);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("unknown")]
    [InlineData("300.1.2.3")]
    [InlineData("2001:db8::g")]
    public void TryAnonymize_NotAnAddress_ReturnsFalse(string? text)
    {
        Assert.False(IpAnonymizer.TryAnonymize(text, out var anonymized));
        Assert.Null(anonymized);
    }
}
