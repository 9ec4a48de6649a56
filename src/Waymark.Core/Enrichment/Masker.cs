using System.Collections.Frozen;
using System.Text;
using System.Text.RegularExpressions;

namespace Waymark.Core.Enrichment;

/// <summary>
/// Removes personal data from URLs and free text before they are stored. It
/// never throws: whatever a client sends comes out masked or unchanged.
/// </summary>
public sealed partial class Masker
{
    private const string EmailMark = "[email]";
    private const string NumberMark = "[number]";

    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _allowedKeys;

    /// <summary>Creates a masker with the given allowed query keys.</summary>
    public Masker(MaskingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _allowedKeys = options.AllowedQueryKeys
            .ToFrozenSet(StringComparer.OrdinalIgnoreCase)
            .GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>
    /// Keeps scheme, host and path; drops user info, every query parameter not
    /// allowed and the fragment, unless the fragment is a single-page-app route
    /// ("#/…" or "#!/…"), whose own query is masked the same way. E-mail addresses
    /// in the path become "[email]". Works on absolute and relative URLs alike.
    /// </summary>
    public string? MaskUrl(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return url;
        }
        var span = url.AsSpan();
        var hash = span.IndexOf('#');
        var beforeHash = hash < 0 ? span : span[..hash];
        var question = beforeHash.IndexOf('?');
        var path = question < 0 ? beforeHash : beforeHash[..question];
        var userInfoEnd = UserInfoEnd(path);
        if (hash < 0 && question < 0 && userInfoEnd < 0 && !path.Contains('@'))
        {
            return url;
        }

        var sb = new StringBuilder(url.Length);
        if (userInfoEnd >= 0)
        {
            sb.Append(path[..(path.IndexOf("://", StringComparison.Ordinal) + 3)]).Append(path[userInfoEnd..]);
        }
        else
        {
            sb.Append(path);
        }
        if (path.Contains('@'))
        {
            var pathText = sb.ToString();
            sb.Clear().Append(EmailRegex().Replace(pathText, EmailMark));
        }
        if (question >= 0)
        {
            AppendAllowedQuery(sb, beforeHash[(question + 1)..]);
        }
        if (hash >= 0)
        {
            var fragment = span[hash..];
            if (fragment.StartsWith("#/") || fragment.StartsWith("#!/"))
            {
                var routeQuestion = fragment.IndexOf('?');
                var route = routeQuestion < 0 ? fragment : fragment[..routeQuestion];
                sb.Append(route.Contains('@') ? EmailRegex().Replace(route.ToString(), EmailMark) : route);
                if (routeQuestion >= 0)
                {
                    AppendAllowedQuery(sb, fragment[(routeQuestion + 1)..]);
                }
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// Replaces e-mail addresses with "[email]" and runs of nine or more digits
    /// (spaces, dashes and brackets allowed between them: card, phone and account
    /// numbers) with "[number]". Line numbers, short ids and ISO dates stay.
    /// </summary>
    public static string? MaskText(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }
        var masked = text.Contains('@', StringComparison.Ordinal) ? EmailRegex().Replace(text, EmailMark) : text;
        // Most texts hold fewer than nine digits in all, and so no long number.
        return HasNineDigits(masked) ? LongNumberRegex().Replace(masked, NumberMark) : masked;
    }

    private static bool HasNineDigits(string text)
    {
        var rest = text.AsSpan();
        var digits = 0;
        while (true)
        {
            var i = rest.IndexOfAnyInRange('0', '9');
            if (i < 0)
            {
                return false;
            }
            if (++digits >= 9)
            {
                return true;
            }
            rest = rest[(i + 1)..];
        }
    }

    /// <summary>
    /// The index just past the '@' of "scheme://user:password@host", or -1. Only
    /// an absolute URL's authority is looked at, so "/users/@me" is left alone.
    /// </summary>
    private static int UserInfoEnd(ReadOnlySpan<char> path)
    {
        var schemeEnd = path.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0 || path[..schemeEnd].ContainsAnyExcept(s_schemeChars))
        {
            return -1;
        }
        var authorityStart = schemeEnd + 3;
        var authority = path[authorityStart..];
        var slash = authority.IndexOf('/');
        if (slash >= 0)
        {
            authority = authority[..slash];
        }
        var at = authority.LastIndexOf('@');
        return at < 0 ? -1 : authorityStart + at + 1;
    }

    private static readonly System.Buffers.SearchValues<char> s_schemeChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");

    private void AppendAllowedQuery(StringBuilder sb, ReadOnlySpan<char> query)
    {
        var first = true;
        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            var eq = pair.IndexOf('=');
            var key = eq < 0 ? pair : pair[..eq];
            if (key.IsEmpty || !IsAllowed(key))
            {
                continue;
            }
            sb.Append(first ? '?' : '&').Append(pair);
            first = false;
        }
    }

    private bool IsAllowed(ReadOnlySpan<char> key)
    {
        if (_allowedKeys.Set.Count == 0)
        {
            return false;
        }
        if (key.ContainsAny('%', '+'))
        {
            // "utm%5Fsource" is utm_source; UnescapeDataString leaves bad escapes as they are.
            return _allowedKeys.Set.Contains(Uri.UnescapeDataString(key.ToString().Replace('+', ' ')));
        }
        return _allowedKeys.Contains(key);
    }

    // Local part, '@', one or more dot-separated labels and an alphabetic TLD, so that
    // "react-dom@18.2.0" and Firefox stack frames ("render@https://…") are not e-mails.
    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@(?:[A-Za-z0-9\-]+\.)+[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex EmailRegex();

    // Not preceded by a digit (the match would have started there), and not an ISO
    // date, which with the hour after it would otherwise count ten digits.
    [GeneratedRegex(@"(?<![0-9])(?![0-9]{4}-[0-9]{2}-[0-9]{2}(?![0-9]))\+?[0-9](?:[ \-()]{0,2}[0-9]){8,}", RegexOptions.CultureInvariant)]
    private static partial Regex LongNumberRegex();
}
