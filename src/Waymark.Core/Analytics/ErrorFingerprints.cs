using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Waymark.Core.Analytics;

/// <summary>The frame an error group is known by.</summary>
/// <param name="File">The script or source file name without its directory and cache-busting hash, or null.</param>
/// <param name="Function">The function name, or null for an anonymous function.</param>
public sealed record StackFrameInfo(string? File, string? Function);

/// <summary>What errors with the same <see cref="Key"/> have in common: the same problem.</summary>
/// <param name="Key">16 hex digits: the first 8 bytes of SHA-256 over the normalised message and top frame.</param>
/// <param name="Message">The normalised message.</param>
/// <param name="TopFrame">The top stack frame, or null when neither stack nor source names one.</param>
public sealed record ErrorFingerprint(string Key, string Message, StackFrameInfo? TopFrame);

/// <summary>
/// Groups errors so that the same bug from different sessions lands in one
/// group and different bugs do not. The key is the message with its variable
/// parts replaced by placeholders (URLs' query strings, quoted strings, UUIDs,
/// hex ids, numbers) plus the top stack frame's file and function. The file
/// name loses its directory and its cache-busting hash (<c>datepicker.3f9a.js</c>
/// and <c>datepicker.77c1.js</c> are the same file after a redeploy); line and
/// column are left out because every release moves them.
/// </summary>
public static partial class ErrorFingerprints
{
    /// <summary>Placeholder for a URL's query string and fragment.</summary>
    public const string QueryPlaceholder = "<query>";
    /// <summary>Placeholder for a quoted string.</summary>
    public const string StringPlaceholder = "<str>";
    /// <summary>Placeholder for a UUID.</summary>
    public const string UuidPlaceholder = "<uuid>";
    /// <summary>Placeholder for a hex id (0x… or a long run of hex digits).</summary>
    public const string HexPlaceholder = "<hex>";
    /// <summary>Placeholder for a number.</summary>
    public const string NumberPlaceholder = "<n>";

    /// <summary>Longer messages are cut before normalising: the start names the problem and this bounds the work.</summary>
    public const int MaxMessageLength = 1000;

    /// <summary>The fingerprint of one error from its message, stack and source (script URL and line).</summary>
    public static ErrorFingerprint Compute(string? message, string? stack, string? source = null)
    {
        var normalized = NormalizeMessage(message);
        var frame = TopFrame(stack);
        if (frame?.File is null && !string.IsNullOrWhiteSpace(source))
        {
            // No stack, or a stack without files (native frames only): the
            // error's source URL still says where it came from.
            var file = FileName(StripLineAndColumn(source.Trim()));
            frame = new StackFrameInfo(file, frame?.Function);
        }
        var text = "v1\u001f" + normalized + "\u001f" + frame?.File + "\u001f" + frame?.Function;
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return new ErrorFingerprint(Convert.ToHexStringLower(hash[..8]), normalized, frame);
    }

    /// <summary>The message with its variable parts replaced by placeholders, whitespace collapsed.</summary>
    public static string NormalizeMessage(string? message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return "";
        }
        var s = message.Length > MaxMessageLength ? message[..MaxMessageLength] : message;
        s = s.Trim();
        // Chrome prefixes what window.onerror sees; error.message does not have it.
        foreach (var prefix in (ReadOnlySpan<string>)["Uncaught (in promise) ", "Uncaught "])
        {
            if (s.StartsWith(prefix, StringComparison.Ordinal))
            {
                s = s[prefix.Length..];
                break;
            }
        }
        s = UrlRegex().Replace(s, m => CutQuery(m.Value));
        s = QuotedRegex().Replace(s, StringPlaceholder);
        s = UuidRegex().Replace(s, UuidPlaceholder);
        s = HexPrefixedRegex().Replace(s, HexPlaceholder);
        s = HexRunRegex().Replace(s, m => IsHexId(m.Value) ? HexPlaceholder : m.Value);
        s = NumberRegex().Replace(s, NumberPlaceholder);
        return WhitespaceRegex().Replace(s, " ").Trim();
    }

    private static string CutQuery(string url)
    {
        var cut = url.AsSpan().IndexOfAny('?', '#');
        return cut < 0 ? url : string.Concat(url.AsSpan(0, cut), url[cut] == '?' ? QueryPlaceholder : "");
    }

    // A run of 8+ hex digits is an id only with both a digit and a letter: all
    // digits is a number, all letters may be a word ("deadbeef" aside).
    private static bool IsHexId(string s) => s.Any(char.IsAsciiDigit) && s.Any(char.IsAsciiLetter);

    [GeneratedRegex(@"\b[A-Za-z][A-Za-z0-9+.\-]{1,15}://[^\s'""<>()\[\]{}]+", RegexOptions.CultureInvariant)]
    private static partial Regex UrlRegex();

    // An opening quote not preceded by a letter or digit, so the apostrophe of
    // "can't" does not start a string.
    [GeneratedRegex(@"(?<![A-Za-z0-9])(?:'[^'\r\n]{0,200}'|""[^""\r\n]{0,200}""|`[^`\r\n]{0,200}`)", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedRegex();

    [GeneratedRegex(@"\b[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\b", RegexOptions.CultureInvariant)]
    private static partial Regex UuidRegex();

    [GeneratedRegex(@"\b0[xX][0-9A-Fa-f]+\b", RegexOptions.CultureInvariant)]
    private static partial Regex HexPrefixedRegex();

    [GeneratedRegex(@"\b[0-9A-Fa-f]{8,}\b", RegexOptions.CultureInvariant)]
    private static partial Regex HexRunRegex();

    // Digits not glued to a letter before them: "item42", "h1" and "v2.3" stay,
    // "user_17", "#btn-3", "404" and "1.5" do not.
    [GeneratedRegex(@"(?<![A-Za-z0-9.])\d+(?:\.\d+)*", RegexOptions.CultureInvariant)]
    private static partial Regex NumberRegex();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex WhitespaceRegex();
}
