using System.Text.RegularExpressions;

namespace Waymark.Core.Analytics;

public static partial class ErrorFingerprints
{
    /// <summary>Only the first lines of a stack are read: the top frame is near the start.</summary>
    public const int MaxStackLines = 50;

    /// <summary>
    /// The top frame of a stack: the first frame that names a file, else the first
    /// frame; null when no line is a frame. Reads V8 (<c>at fn (url:1:2)</c>,
    /// <c>at url:1:2</c>), SpiderMonkey and JavaScriptCore (<c>fn@url:1:2</c>),
    /// .NET (<c>at Ns.Type.Method(args) in /src/File.cs:line 9</c>) and Java or
    /// Android (<c>at pkg.Type.method(File.java:9)</c>). A JavaScript function
    /// keeps only its last name part, because V8 says <c>Object.handleClick</c>
    /// where Firefox says <c>handleClick</c>.
    /// </summary>
    public static StackFrameInfo? TopFrame(string? stack)
    {
        if (string.IsNullOrWhiteSpace(stack))
        {
            return null;
        }
        StackFrameInfo? first = null;
        var lines = 0;
        foreach (var raw in stack.AsSpan().EnumerateLines())
        {
            if (++lines > MaxStackLines)
            {
                break;
            }
            if (ParseFrame(raw.Trim().ToString()) is not { } frame)
            {
                continue;
            }
            if (frame.File is not null)
            {
                return frame;
            }
            first ??= frame;
        }
        return first;
    }

    /// <summary>
    /// A file or URL reduced to its file name without cache-busting hashes:
    /// <c>https://cdn/x/datepicker.3f9a.js?v=2</c> → <c>datepicker.js</c>,
    /// <c>index-BxK3fY2a.js</c> → <c>index.js</c>; versions such as
    /// <c>jquery-3.6.0.min.js</c> stay.
    /// </summary>
    public static string NormalizeFileName(string fileOrUrl)
    {
        ArgumentNullException.ThrowIfNull(fileOrUrl);
        return FileName(fileOrUrl) ?? "";
    }

    private static StackFrameInfo? ParseFrame(string line)
    {
        if (line.Length == 0)
        {
            return null;
        }
        if (line.StartsWith("at ", StringComparison.Ordinal))
        {
            var rest = line[3..].Trim();
            var dotnet = DotNetFrameRegex().Match(rest);
            if (dotnet.Success)
            {
                return new StackFrameInfo(FileName(dotnet.Groups["file"].Value), ManagedFunction(dotnet.Groups["fn"].Value));
            }
            var open = rest.IndexOf(" (", StringComparison.Ordinal);
            if (open > 0 && rest.EndsWith(')'))
            {
                // V8 with a function name: "fn (location)"; code run by eval has no file of its own.
                var location = rest[(open + 2)..^1];
                if (location.StartsWith("eval at ", StringComparison.Ordinal))
                {
                    return new StackFrameInfo(null, ScriptFunction(rest[..open]));
                }
                return new StackFrameInfo(FileName(StripLineAndColumn(location)), ScriptFunction(rest[..open]));
            }
            var java = JavaFrameRegex().Match(rest);
            if (java.Success)
            {
                return new StackFrameInfo(FileName(StripLineAndColumn(java.Groups["file"].Value)), ManagedFunction(java.Groups["fn"].Value));
            }
            var managed = ManagedNoFileRegex().Match(rest);
            if (managed.Success)
            {
                // .NET without symbols: "at Ns.Type.Method(String s)".
                return new StackFrameInfo(null, ManagedFunction(managed.Groups["fn"].Value));
            }
            // V8 anonymous: "at location".
            return new StackFrameInfo(FileName(StripLineAndColumn(rest)), null);
        }
        var at = line.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            // "fn@location"; a message line with an e-mail address in it has spaces.
            var function = line[..at];
            var location = line[(at + 1)..];
            if (!location.Contains(' ', StringComparison.Ordinal) && (!function.Contains(' ', StringComparison.Ordinal) || function.Contains('*', StringComparison.Ordinal)))
            {
                return new StackFrameInfo(FileName(StripLineAndColumn(location)), ScriptFunction(function));
            }
        }
        return null;
    }

    private static string StripLineAndColumn(string location) => LineColumnRegex().Replace(location, "");

    // The file name without directory, query and cache-busting hash, or null
    // when the location is not a file (native code, an eval, an anonymous script).
    private static string? FileName(string location)
    {
        var s = location.Trim();
        if (s.Length == 0 || s is "native" or "<anonymous>" or "[native code]" or "Native Method" or "Unknown Source")
        {
            return null;
        }
        var cut = s.AsSpan().IndexOfAny('?', '#');
        if (cut >= 0)
        {
            s = s[..cut];
        }
        var slash = s.AsSpan().LastIndexOfAny('/', '\\');
        if (slash >= 0)
        {
            s = s[(slash + 1)..];
        }
        if (s.Length == 0)
        {
            return null;
        }
        var parts = s.Split('.');
        if (parts.Length == 1)
        {
            return StripDashedHash(s);
        }
        var kept = new List<string>(parts.Length) { StripDashedHash(parts[0]) };
        for (var i = 1; i < parts.Length - 1; i++)
        {
            if (!LooksLikeHash(parts[i]))
            {
                kept.Add(parts[i]);
            }
        }
        kept.Add(parts[^1]);
        return string.Join('.', kept);
    }

    // "index-BxK3fY2a" → "index" (Vite/Rollup's [name]-[hash]); "main_3f9a1c2b" → "main".
    private static string StripDashedHash(string name)
    {
        var sep = name.AsSpan().LastIndexOfAny('-', '_');
        return sep > 0 && LooksLikeHash(name[(sep + 1)..]) ? name[..sep] : name;
    }

    // A cache-busting hash: 4 to 64 hex digits with a digit (and a letter, or 8+
    // long: a content hash or a timestamp), or 8 characters of a base64url-style
    // hash (Vite and Rollup's default length) mixing digits and letters. A short
    // run of digits alone is a version ("3.6.0") and stays.
    private static bool LooksLikeHash(string s)
    {
        if (s.Length is >= 4 and <= 64 && s.All(char.IsAsciiHexDigit) && s.Any(char.IsAsciiDigit))
        {
            return s.Any(char.IsAsciiLetter) || s.Length >= 8;
        }
        return s.Length == 8 && s.All(char.IsAsciiLetterOrDigit) && s.Any(char.IsAsciiDigit) && s.Any(char.IsAsciiLetter);
    }

    private static string? ScriptFunction(string name)
    {
        var s = name.Trim();
        // Firefox marks frames reached through an async boundary: "async*fn", "setTimeout handler*fn".
        var star = s.LastIndexOf('*');
        if (star >= 0)
        {
            s = s[(star + 1)..];
        }
        foreach (var prefix in (ReadOnlySpan<string>)["async ", "new "])
        {
            if (s.StartsWith(prefix, StringComparison.Ordinal))
            {
                s = s[prefix.Length..];
            }
        }
        var alias = s.IndexOf(" [as ", StringComparison.Ordinal);
        if (alias >= 0)
        {
            s = s[..alias];
        }
        // SpiderMonkey names inner anonymous functions "outer/<" or "outer/inner<".
        s = s.TrimEnd('<', '/');
        var dot = s.LastIndexOfAny(['.', '/']);
        if (dot >= 0)
        {
            s = s[(dot + 1)..];
        }
        return s.Length == 0 || s == "<anonymous>" ? null : s;
    }

    // .NET async methods run in a state machine: "Ns.Type.<Pay>d__5.MoveNext" is "Ns.Type.Pay".
    private static string? ManagedFunction(string name)
    {
        var s = AsyncStateMachineRegex().Replace(name.Trim(), "$1");
        return s.Length == 0 ? null : s;
    }

    [GeneratedRegex(@"^(?<fn>[^\s(]+)\(.*\)\s+in\s+(?<file>.+?):line\s+\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex DotNetFrameRegex();

    [GeneratedRegex(@"^(?<fn>[^\s(]+)\((?<file>[\w$.\-]+\.\w+(?::\d+)?|Unknown Source|Native Method)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex JavaFrameRegex();

    [GeneratedRegex(@"^(?<fn>[^\s(]+)\(.*\)$", RegexOptions.CultureInvariant)]
    private static partial Regex ManagedNoFileRegex();

    [GeneratedRegex(@"(?::\d+){1,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex LineColumnRegex();

    [GeneratedRegex(@"<(\w+)>d__\d+\.MoveNext$", RegexOptions.CultureInvariant)]
    private static partial Regex AsyncStateMachineRegex();
}
