using System.Security.Cryptography;
using System.Text;

namespace Waymark.Core.Identity;

/// <summary>
/// The keys that link a visitor to a customer: a user tag (a login), an
/// e-mail address, a phone number, a loyalty card. E-mail, phone and loyalty
/// are never stored as given: they are normalised and hashed (SHA-256, then
/// HMAC-SHA256 with the installation's secret when one is set), so a system
/// that only knows the SHA-256 of a phone number (a contact centre) finds the
/// same customer as a web login that gave the number in clear.
/// </summary>
public static class IdentityKeys
{
    public const string User = "user";
    public const string Email = "email";
    public const string Phone = "phone";
    public const string Loyalty = "loyalty";

    /// <summary>The kinds, in the order a customer's keys are listed.</summary>
    public static readonly IReadOnlyList<string> Kinds = [User, Email, Phone, Loyalty];

    /// <summary>The canonical kind, or null when the name is not one.</summary>
    public static string? Kind(string? name) => name?.ToLowerInvariant() switch
    {
        null or "" or "user" or "login" => User,
        "email" or "e-mail" => Email,
        "phone" or "tel" => Phone,
        "loyalty" or "card" or "loyalty_card" => Loyalty,
        _ => null,
    };

    /// <summary>e-mail: trimmed, lower case; phone: digits and a leading '+'; loyalty: trimmed, upper case.</summary>
    public static string Normalize(string kind, string value)
    {
        switch (kind)
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

    /// <summary>Lower-case hex SHA-256 of the normalised value: what a client sends with hashed = true.</summary>
    public static string Sha256Hex(string kind, string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalize(kind, value))));

    /// <summary>
    /// The stored key. A user tag is kept as it is (operators search by it)
    /// unless <paramref name="hashUsers"/>, when it is hashed like the other
    /// kinds (which needs a secret: a plain SHA-256 of a login is guessable).
    /// <paramref name="hashed"/>: the value is already <see cref="Sha256Hex"/>.
    /// Null when a hashed value is not 64 hex digits.
    /// </summary>
    public static string? Key(string kind, string value, bool hashed, byte[]? secret, bool hashUsers = false)
    {
        if (kind == User && !(hashUsers && secret is { Length: > 0 }))
        {
            return value;
        }
        string sha;
        if (hashed)
        {
            sha = value.Trim().ToLowerInvariant();
            if (sha.Length != 64 || !sha.All(char.IsAsciiHexDigitLower))
            {
                return null;
            }
        }
        else
        {
            sha = Sha256Hex(kind, value);
        }
        if (secret is null || secret.Length == 0)
        {
            return sha;
        }
        return Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(kind + ":" + sha)));
    }
}
