using System.Text;
using System.Text.RegularExpressions;

namespace Waymark.Core.Enrichment;

/// <summary>
/// Finds personal data in free text and replaces it with a mark: e-mail
/// addresses ("[email]"), payment card numbers that pass the Luhn check
/// ("[card]"), IBANs whose mod-97 checksum holds ("[iban]") and phone numbers
/// ("[phone]"). A number that only looks like one of them (an order number
/// failing Luhn, a reference that is no IBAN, a timestamp) stays, so error
/// messages keep what developers need. Pure and never throws.
/// </summary>
public static partial class PersonalData
{
    public const string EmailMark = "[email]";
    public const string CardMark = "[card]";
    public const string IbanMark = "[iban]";
    public const string PhoneMark = "[phone]";

    /// <summary>The text with every recognised piece of personal data replaced; the same instance when there was none.</summary>
    public static string Mask(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var masked = text.Contains('@', StringComparison.Ordinal) ? EmailRegex().Replace(text, EmailMark) : text;
        if (!HasDigits(masked, 7))
        {
            return masked;
        }
        masked = IbanRegex().Replace(masked, m => IsIban(m.Value) ? IbanMark : m.Value);
        masked = CardRegex().Replace(masked, m => IsCard(m.Value) ? CardMark : m.Value);
        masked = PhoneRegex().Replace(masked, m => IsPhone(m.Value) ? PhoneMark : m.Value);
        return string.Equals(masked, text, StringComparison.Ordinal) ? text : masked;
    }

    /// <summary>The Luhn check of a card number's digits (separators ignored), 13 to 19 digits.</summary>
    public static bool IsCard(string candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        Span<int> digits = stackalloc int[19];
        var n = 0;
        foreach (var c in candidate)
        {
            if (char.IsAsciiDigit(c))
            {
                if (n == 19)
                {
                    return false;
                }
                digits[n++] = c - '0';
            }
        }
        // Card numbers start with 2 to 6 (Mastercard, Amex, Visa, Discover…); a 13-digit epoch in milliseconds starts with 1.
        if (n < 13 || digits[0] is < 2 or > 6)
        {
            return false;
        }
        var sum = 0;
        for (var i = 0; i < n; i++)
        {
            var d = digits[n - 1 - i];
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    /// <summary>The ISO 13616 check of an IBAN (spaces ignored): country, two check digits, 11 to 30 letters or digits, mod 97 = 1.</summary>
    public static bool IsIban(string candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var compact = new StringBuilder(34);
        foreach (var c in candidate)
        {
            if (c != ' ')
            {
                compact.Append(char.ToUpperInvariant(c));
            }
        }
        if (compact.Length is < 15 or > 34 || !char.IsAsciiLetterUpper(compact[0]) || !char.IsAsciiLetterUpper(compact[1]) ||
            !char.IsAsciiDigit(compact[2]) || !char.IsAsciiDigit(compact[3]))
        {
            return false;
        }
        // Move the first four characters to the end, letters as 10..35, and take the remainder piece by piece.
        var rearranged = compact.ToString(4, compact.Length - 4) + compact.ToString(0, 4);
        var remainder = 0;
        foreach (var c in rearranged)
        {
            if (char.IsAsciiDigit(c))
            {
                remainder = (remainder * 10 + (c - '0')) % 97;
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
            }
            else
            {
                return false;
            }
        }
        return remainder == 1;
    }

    /// <summary>
    /// A phone number: international ("+" and 8 to 15 digits), national with a
    /// trunk zero (0 and 9 or 10 more digits, as "06 12 34 56 78"), or North
    /// American groups ("(555) 123-4567"). A bare run of digits that starts with
    /// anything but zero is an id, not a phone.
    /// </summary>
    public static bool IsPhone(string candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var digits = 0;
        foreach (var c in candidate)
        {
            digits += char.IsAsciiDigit(c) ? 1 : 0;
        }
        var trimmed = candidate.Trim();
        if (trimmed.StartsWith('+'))
        {
            return digits is >= 8 and <= 15;
        }
        if (trimmed.StartsWith('0'))
        {
            return digits is 10 or 11;
        }
        return digits == 10 && NorthAmericanRegex().IsMatch(trimmed);
    }

    private static bool HasDigits(string text, int count)
    {
        var seen = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c) && ++seen >= count)
            {
                return true;
            }
        }
        return false;
    }

    // Local part, '@', one or more dot-separated labels and an alphabetic TLD, so that
    // "react-dom@18.2.0" and Firefox stack frames ("render@https://…") are not e-mails.
    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@(?:[A-Za-z0-9\-]+\.)+[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    internal static partial Regex EmailRegex();

    // Two letters, two digits, then groups of letters and digits optionally spaced in fours.
    [GeneratedRegex(@"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex IbanRegex();

    // 13 to 19 digits with single spaces or dashes between them, not inside a longer number.
    [GeneratedRegex(@"(?<![0-9])[0-9](?:[ \-]?[0-9]){12,18}(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex CardRegex();

    // Digits with spaces, dots, dashes and brackets between them, optionally after a '+'; not an ISO date.
    [GeneratedRegex(@"(?<![0-9A-Za-z])(?![0-9]{4}-[0-9]{2}-[0-9]{2})(?:\+|\()?[0-9](?:[ .\-()]{0,2}[0-9]){7,14}(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneRegex();

    [GeneratedRegex(@"^\(?[2-9][0-9]{2}\)?[ .\-]?[0-9]{3}[ .\-][0-9]{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex NorthAmericanRegex();
}
