using System.Net;
using Waymark.Server.Tests.Infrastructure;
using Xunit;
using Waymark.Server.Ingest;

namespace Waymark.Server.Tests.Collect;

public class GeoLocatorTests
{
    private static readonly string s_geoipFolder = FindGeoipFolder();

    private static GeoLocator Open(string file) => new(Path.Combine(s_geoipFolder, file));

    [Theory]
    [InlineData("GeoLite2-City-Test.mmdb", "81.2.69.142", "GB", "London")]
    [InlineData("GeoLite2-City-Test.mmdb", "89.160.20.112", "SE", "Linköping")]
    [InlineData("GeoLite2-City-Test.mmdb", "216.160.83.56", "US", "Milton")]
    [InlineData("GeoIP2-City-Test.mmdb", "2.125.160.216", "GB", "Boxford")]
    [InlineData("GeoIP2-City-Test.mmdb", "175.16.199.1", "CN", "Changchun")]
    [InlineData("GeoLite2-City-Test.mmdb", "::ffff:81.2.69.142", "GB", "London")]
    public void Lookup_CityDatabase_ReturnsCountryAndEnglishCity(string database, string address, string country, string city)
    {
        using var geo = Open(database);

        var result = geo.Lookup(IPAddress.Parse(address));

        Assert.Equal(new GeoResult(country, city), result);
    }

    [Fact]
    public void Lookup_CountryDatabase_ReturnsCountryWithoutCity()
    {
        using var geo = Open("GeoLite2-Country-Test.mmdb");

        Assert.Equal(new GeoResult("GB", null), geo.Lookup(IPAddress.Parse("81.2.69.142")));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("2001:db8::1")]
    public void Lookup_AddressNotInDatabase_ReturnsNull(string address)
    {
        using var geo = Open("GeoLite2-City-Test.mmdb");

        Assert.Null(geo.Lookup(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.20.30.40")]
    [InlineData("172.16.5.4")]
    [InlineData("192.168.1.10")]
    [InlineData("100.64.0.1")]
    [InlineData("169.254.1.1")]
    [InlineData("0.0.0.0")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd12:3456:789a::1")]
    [InlineData("::ffff:192.168.1.10")]
    public void Lookup_PrivateOrLoopbackAddress_ReturnsNull(string address)
    {
        using var geo = Open("GeoLite2-City-Test.mmdb");

        Assert.Null(geo.Lookup(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("100.128.0.0")]
    [InlineData("81.2.69.142")]
    [InlineData("2a00:1450::1")]
    public void IsNotPublic_PublicAddress_IsFalse(string address)
    {
        Assert.False(GeoLocator.IsNotPublic(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Lookup_NoDatabaseConfigured_IsDisabledAndReturnsNull(string? path)
    {
        using var geo = new GeoLocator(path);

        Assert.False(geo.Enabled);
        Assert.Null(geo.Lookup(IPAddress.Parse("81.2.69.142")));
    }

    [Fact]
    public void Ctor_MissingDatabaseFile_Throws()
    {
        var missing = Path.Combine(s_geoipFolder, "does-not-exist.mmdb");

        Assert.ThrowsAny<IOException>(() => new GeoLocator(missing));
    }

    [Fact]
    public void Lookup_ManyThreads_AllAnswersCorrect()
    {
        using var geo = Open("GeoLite2-City-Test.mmdb");
        var london = IPAddress.Parse("81.2.69.142");
        var linkoping = IPAddress.Parse("89.160.20.112");
        var wrong = 0;

        Parallel.For(0, 2000, i =>
        {
            var expected = i % 2 == 0 ? new GeoResult("GB", "London") : new GeoResult("SE", "Linköping");
            if (geo.Lookup(i % 2 == 0 ? london : linkoping) != expected)
            {
                Interlocked.Increment(ref wrong);
            }
        });

        Assert.Equal(0, wrong);
    }

    private static string FindGeoipFolder() => Repo.GeoIpFolder;
}
