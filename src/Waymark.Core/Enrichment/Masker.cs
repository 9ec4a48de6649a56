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
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _allowedKeys;
    private readonly (Regex Regex, string Replacement)[] _rules;

    /// <summary>Creates a masker with the given allowed query keys.</summary>
    public Masker(MaskingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _allowedKeys = options.AllowedQueryKeys
            .ToFrozenSet(StringComparer.OrdinalIgnoreCase)
            .GetAlternateLookup<ReadOnlySpan<char>>();
        _rules = [.. options.Rules.Select(r => (new Regex(r.Pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50)), r.Replacement))];
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
        if (hash < 0 && question < 0 && userInfoEnd < 0)
        {
            // Only a path: the same instance back when there is nothing to mask.
            return Mask(url);
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
        // Card numbers, IBANs, phones and e-mails in the path (/cards/4111…/, /users/jane@…): the app's rules too.
        var pathText = sb.ToString();
        var maskedPath = Mask(pathText)!;
        if (!ReferenceEquals(maskedPath, pathText))
        {
            sb.Clear().Append(maskedPath);
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
                sb.Append(Mask(route.ToString()));
                if (routeQuestion >= 0)
                {
                    AppendAllowedQuery(sb, fragment[(routeQuestion + 1)..]);
                }
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// Replaces the personal data <see cref="PersonalData"/> recognises: e-mail
    /// addresses, card numbers passing Luhn, IBANs passing mod 97, phone numbers.
    /// Line numbers, order numbers, short ids and ISO dates stay.
    /// </summary>
    public static string? MaskText(string? text) => string.IsNullOrEmpty(text) ? text : PersonalData.Mask(text);

    /// <summary>Free text masked as <see cref="MaskText"/> does, then by the app's own rules.</summary>
    public string? Mask(string? text)
    {
        var masked = MaskText(text);
        if (masked is null || _rules.Length == 0)
        {
            return masked;
        }
        foreach (var (regex, replacement) in _rules)
        {
            try
            {
                masked = regex.Replace(masked, replacement);
            }
            catch (RegexMatchTimeoutException)
            {
                // A rule that takes too long on this text: the text is dropped rather than kept unmasked.
                return "[masked]";
            }
        }
        return masked;
    }

    /// <summary>
    /// Custom properties (a JSON object) with every string value masked as
    /// <see cref="Mask"/> does; names, numbers and booleans stay. Text that is
    /// not a JSON object is masked as text.
    /// </summary>
    public string? MaskProps(string? json)
    {
        if (string.IsNullOrEmpty(json) || (_rules.Length == 0 && ReferenceEquals(PersonalData.Mask(json), json)))
        {
            // Nothing in the whole text looks personal: no need to parse it.
            return json;
        }
        System.Text.Json.Nodes.JsonNode? node;
        try
        {
            node = System.Text.Json.Nodes.JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return Mask(json);
        }
        if (node is null || !MaskNode(node))
        {
            return json;
        }
        return node.ToJsonString();
    }

    private bool MaskNode(System.Text.Json.Nodes.JsonNode node)
    {
        var changed = false;
        switch (node)
        {
            case System.Text.Json.Nodes.JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    if (value is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var s))
                    {
                        var m = Mask(s);
                        if (!string.Equals(m, s, StringComparison.Ordinal))
                        {
                            o[key] = m;
                            changed = true;
                        }
                    }
                    else if (value is not null)
                    {
                        changed |= MaskNode(value);
                    }
                }
                break;
            case System.Text.Json.Nodes.JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var s))
                    {
                        var m = Mask(s);
                        if (!string.Equals(m, s, StringComparison.Ordinal))
                        {
                            a[i] = m;
                            changed = true;
                        }
                    }
                    else if (a[i] is { } child)
                    {
                        changed |= MaskNode(child);
                    }
                }
                break;
        }
        return changed;
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
            sb.Append(first ? '?' : '&').Append(Mask(pair.ToString()));
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
}
