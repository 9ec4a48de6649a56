using System.Text;
using Waymark.Server.Accounts;

namespace Waymark.Server.Tests.Accounts;

/// <summary>The one-time codes against the test vectors of RFC 6238 (appendix B, SHA-1) and RFC 4648's Base32.</summary>
public sealed class TotpTests
{
    private static readonly byte[] s_rfcSecret = Encoding.ASCII.GetBytes("12345678901234567890");

    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1111111111L, "14050471")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(2000000000L, "69279037")]
    [InlineData(20000000000L, "65353130")]
    public void Code_MatchesRfc6238(long unixSeconds, string expected)
    {
        var step = Totp.StepOf(DateTimeOffset.FromUnixTimeSeconds(unixSeconds));
        Assert.Equal(expected, Totp.Code(s_rfcSecret, step, digits: 8));
        // Six digits are the last six of the same number.
        Assert.Equal(expected[2..], Totp.Code(s_rfcSecret, step));
    }

    [Theory]
    [InlineData("f", "MY")]
    [InlineData("fo", "MZXQ")]
    [InlineData("foo", "MZXW6")]
    [InlineData("foob", "MZXW6YQ")]
    [InlineData("foobar", "MZXW6YTBOI")]
    public void Base32_MatchesRfc4648_BothWays(string text, string base32)
    {
        Assert.Equal(base32, Totp.ToBase32(Encoding.ASCII.GetBytes(text)));
        Assert.Equal(text, Encoding.ASCII.GetString(Totp.FromBase32(base32.ToLowerInvariant() + "====")!));
    }

    [Fact]
    public void Match_TakesTheStepEitherSide_SpacesIgnored_AndNothingElse()
    {
        var secret = Totp.ToBase32(s_rfcSecret);
        var now = DateTimeOffset.FromUnixTimeSeconds(1_234_567_890);
        var step = Totp.StepOf(now);
        var code = Totp.Code(s_rfcSecret, step);
        Assert.Equal(step, Totp.Match(secret, code[..3] + " " + code[3..], now));
        Assert.Equal(step - 1, Totp.Match(secret, Totp.Code(s_rfcSecret, step - 1), now));
        Assert.Equal(step + 1, Totp.Match(secret, Totp.Code(s_rfcSecret, step + 1), now));
        Assert.Null(Totp.Match(secret, Totp.Code(s_rfcSecret, step + 2), now));
        Assert.Null(Totp.Match(secret, "12345", now));
        Assert.Null(Totp.Match(secret, "abcdef", now));
        Assert.Null(Totp.Match("not base32 !", code, now));
        Assert.Null(Totp.Match(secret, null, now));
    }

    [Fact]
    public void NewSecret_Is160BitsOfBase32_AndTheUriNamesIt()
    {
        var secret = Totp.NewSecret();
        Assert.Equal(20, Totp.FromBase32(secret)!.Length);
        Assert.NotEqual(secret, Totp.NewSecret());
        Assert.Equal($"otpauth://totp/Waymark:anna%20k?secret={secret}&issuer=Waymark&algorithm=SHA1&digits=6&period=30", Totp.Uri("Waymark", "anna k", secret));
    }
}
