using System.Security.Cryptography;
using System.Text;

namespace Waymark.Client;

/// <summary>
/// The kinds of identity an <see cref="WaymarkClient.Identify"/> names, and the
/// normalisation and hash the server uses, so a hash made here finds the same
/// customer as the value sent in clear from another channel.
/// </summary>
public static class WaymarkIdentity
{
    /// <summary>A user tag: the app's login name or customer number. Never hashed.</summary>
    public const string User = "user";

    /// <summary>An e-mail address; normalised trimmed and lower case.</summary>
    public const string Email = "email";

    /// <summary>A phone number; normalised to its digits with a leading '+' kept, e.g. <c>+31612345678</c>.</summary>
    public const string Phone = "phone";

    /// <summary>A loyalty card number, e.g. scanned at a kiosk; normalised trimmed and upper case.</summary>
    public const string Loyalty = "loyalty";

    /// <summary>
    /// The value as the server compares it: e-mail trimmed and lower case; phone
    /// the digits with a leading '+' kept; loyalty trimmed and upper case; a user
    /// tag as it is.
    /// </summary>
    /// <exception cref="ArgumentException">The kind is not one of user, email, phone, loyalty.</exception>
    public static string Normalize(string idType, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        switch (Kind(idType))
        {
            case Email:
                return value.Trim().ToLowerInvariant();
            case Phone:
                var sb = new StringBuilder(value.Length);
                foreach (var c in value.Trim())
                {
                    if (char.IsAsciiDigit(c) || (c == '+' && sb.Length == 0))
                    {
                        sb.Append(c);
                    }
                }
                return sb.ToString();
            case Loyalty:
                return value.Trim().ToUpperInvariant();
            default:
                return value;
        }
    }

    /// <summary>
    /// The lower-case hex SHA-256 of the normalised value: what
    /// <see cref="WaymarkClient.Identify"/> sends with <c>hashed: true</c>.
    /// </summary>
    /// <example><c>WaymarkIdentity.Hash("phone", "+31 6 1234 5678")</c> hashes <c>+31612345678</c>.</example>
    public static string Hash(string idType, string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalize(idType, value))));

    /// <summary>The canonical kind (user, email, phone, loyalty), case-insensitive.</summary>
    /// <exception cref="ArgumentException">Any other name.</exception>
    internal static string Kind(string? idType) => idType?.ToLowerInvariant() switch
    {
        null or "" or User => User,
        Email => Email,
        Phone => Phone,
        Loyalty => Loyalty,
        _ => throw new ArgumentException($"'{idType}' is not an identity type; use user, email, phone or loyalty.", nameof(idType)),
    };

    /// <summary>Whether a value looks like a hash this SDK makes: 64 lower-case hex digits.</summary>
    internal static bool IsHash(string value) => value.Length == 64 && value.All(char.IsAsciiHexDigitLower);
}
