using System.Security.Cryptography;
using System.Text;

namespace Waymark.Server.Accounts;

/// <summary>
/// Time-based one-time passwords as RFC 6238 defines them with the defaults
/// every authenticator app uses: HMAC-SHA1 (RFC 4226's HOTP), 30-second
/// steps from the Unix epoch, 6 digits; secrets written in Base32 (RFC 4648).
/// </summary>
public static class Totp
{
    public const int StepSeconds = 30;
    public const int Digits = 6;

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>A new random secret of 20 bytes (160 bits, RFC 4226's recommendation), in Base32.</summary>
    public static string NewSecret() => ToBase32(RandomNumberGenerator.GetBytes(20));

    /// <summary>The time step a moment falls in.</summary>
    public static long StepOf(DateTimeOffset at) => at.ToUnixTimeSeconds() / StepSeconds;

    /// <summary>The code of one time step (HOTP with the step as the counter), zero-padded.</summary>
    public static string Code(byte[] secret, long step, int digits = Digits)
    {
        Span<byte> counter = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> mac = stackalloc byte[20];
        // SHA-1 is what RFC 6238's default and every authenticator app use; as an HMAC it is not broken.
#pragma warning disable CA5350
        HMACSHA1.HashData(secret, counter, mac);
#pragma warning restore CA5350
        // Dynamic truncation: four bytes from the offset the last nibble gives, top bit cleared.
        var offset = mac[19] & 0x0f;
        var binary = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
        var modulus = 1;
        for (var i = 0; i < digits; i++)
        {
            modulus *= 10;
        }
        return (binary % modulus).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(digits, '0');
    }

    /// <summary>
    /// The step whose code was given, trying the current one and one either
    /// side (clock drift between phone and server); null when none matches.
    /// Spaces in the code are ignored, as people type "123 456".
    /// </summary>
    public static long? Match(string secretBase32, string? code, DateTimeOffset now)
    {
        var digits = code?.Replace(" ", "", StringComparison.Ordinal).Trim();
        if (digits is not { Length: Digits } || !digits.All(char.IsAsciiDigit) || FromBase32(secretBase32) is not { } secret)
        {
            return null;
        }
        var step = StepOf(now);
        foreach (var s in (long[])[step, step - 1, step + 1])
        {
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Code(secret, s)), Encoding.ASCII.GetBytes(digits)))
            {
                return s;
            }
        }
        return null;
    }

    /// <summary>The otpauth:// URI authenticator apps read (Google's key-uri format).</summary>
    public static string Uri(string issuer, string account, string secretBase32) =>
        $"otpauth://totp/{System.Uri.EscapeDataString(issuer)}:{System.Uri.EscapeDataString(account)}" +
        $"?secret={secretBase32}&issuer={System.Uri.EscapeDataString(issuer)}&algorithm=SHA1&digits={Digits}&period={StepSeconds}";

    public static string ToBase32(ReadOnlySpan<byte> data)
    {
        var sb = new StringBuilder((data.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0)
        {
            sb.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }
        return sb.ToString();
    }

    /// <summary>Base32 without padding, case and spaces ignored; null when a character is not Base32.</summary>
    public static byte[]? FromBase32(string text)
    {
        var bytes = new List<byte>(text.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var raw in text)
        {
            if (raw is ' ' or '=' or '-')
            {
                continue;
            }
            var value = Alphabet.IndexOf(char.ToUpperInvariant(raw), StringComparison.Ordinal);
            if (value < 0)
            {
                return null;
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)((buffer >> (bits - 8)) & 0xff));
                bits -= 8;
            }
        }
        return bytes.Count == 0 ? null : [.. bytes];
    }
}
