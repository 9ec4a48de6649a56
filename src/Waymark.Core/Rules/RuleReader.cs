using System.Globalization;

namespace Waymark.Core.Rules;

/// <summary>
/// Reads a rule document (YAML, or JSON through the same parser) into a
/// <see cref="RuleSet"/>, checking every field; errors carry line, column and
/// path, and all of them are listed (a YAML or JSON syntax error stops the
/// parser: it is the only one). Split by concern: scalars here, document and
/// rule in RuleReader.Document.cs, actions in RuleReader.Actions.cs, patterns
/// and matchers in RuleReader.Pattern.cs, value tests in RuleReader.Values.cs.
/// </summary>
internal sealed partial class RuleReader
{
    private readonly List<RuleError> _errors = [];
    private readonly RuleCatalog _catalog;

    private RuleReader(RuleCatalog catalog) => _catalog = catalog;

    public static RuleParseResult Read(string text, RuleCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reader = new RuleReader(catalog);
        var root = JsonSyntax.LooksLikeJson(text) && !JsonSyntax.Check(text, reader._errors) ? null : YamlTree.Load(text, reader._errors);
        var set = root is null ? null : reader.Document(root);
        var errors = reader._errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToArray();
        return new RuleParseResult(errors.Length == 0 ? set : null, errors);
    }

    private void Error(YNode at, string path, string message) => _errors.Add(new RuleError(at.Line, at.Column, path, message));

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private static string Index(string path, int i) => path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";

    /// <summary>The fields of a mapping; unknown and duplicate keys are errors. Null when the node is not a mapping.</summary>
    private Fields? Map(YNode node, string path, string what, params string[] allowed)
    {
        if (node.Kind != YKind.Mapping)
        {
            Error(node, path, "expected " + what + " (a mapping of " + string.Join(", ", allowed) + ")");
            return null;
        }
        var fields = new Fields(node, path);
        foreach (var (key, value) in node.Pairs)
        {
            if (key.Kind != YKind.Scalar)
            {
                Error(key, path, "a key must be a plain name");
                continue;
            }
            var name = key.Value!;
            if (Array.IndexOf(allowed, name) < 0)
            {
                var near = Nearest(name, allowed);
                Error(key, Join(path, name), "unknown field '" + name + "'" + (near is null ? "" : ", did you mean '" + near + "'?") + " (allowed: " + string.Join(", ", allowed) + ")");
                continue;
            }
            if (!fields.Add(name, key, value))
            {
                Error(key, Join(path, name), "duplicate field '" + name + "'");
            }
        }
        return fields;
    }

    /// <summary>The fields of one mapping, by name, with the path to report at.</summary>
    private sealed class Fields(YNode node, string path)
    {
        private readonly Dictionary<string, (YNode Key, YNode Value)> _byName = new(StringComparer.Ordinal);

        public YNode Node { get; } = node;
        public string Path { get; } = path;
        public int Count => _byName.Count;
        public IEnumerable<string> Names => _byName.Keys;

        public bool Add(string name, YNode key, YNode value) => _byName.TryAdd(name, (key, value));

        public bool TryGet(string name, out YNode value, out string path)
        {
            path = Join(Path, name);
            if (_byName.TryGetValue(name, out var kv))
            {
                value = kv.Value;
                return true;
            }
            value = null!;
            return false;
        }

        public bool Has(string name) => _byName.ContainsKey(name);

        public YNode KeyOf(string name) => _byName[name].Key;
    }

    private YNode? Required(Fields f, string name)
    {
        if (f.TryGet(name, out var v, out _))
        {
            return v;
        }
        Error(f.Node, Join(f.Path, name), "'" + name + "' is required");
        return null;
    }

    private string? Text(YNode node, string path, string what = "a text")
    {
        if (node.Kind != YKind.Scalar || node.IsNull || node.Value!.Length == 0)
        {
            Error(node, path, "expected " + what);
            return null;
        }
        return node.Value;
    }

    private string? Text(Fields f, string name, string what = "a text") =>
        f.TryGet(name, out var v, out var p) ? Text(v, p, what) : null;

    private int? Int(YNode node, string path, int min, int max)
    {
        if (node.Kind == YKind.Scalar && !node.Quoted
            && int.TryParse(node.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            if (n >= min && n <= max)
            {
                return n;
            }
            Error(node, path, "must be between " + min.ToString(CultureInfo.InvariantCulture) + " and " + max.ToString(CultureInfo.InvariantCulture));
            return null;
        }
        Error(node, path, "expected a whole number");
        return null;
    }

    private int? Int(Fields f, string name, int min, int max) =>
        f.TryGet(name, out var v, out var p) ? Int(v, p, min, max) : null;

    private static bool TryNumber(YNode node, out double value)
    {
        value = 0;
        return node.Kind == YKind.Scalar && !node.Quoted
            && double.TryParse(node.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value);
    }

    private bool? Bool(YNode node, string path)
    {
        if (node.Kind == YKind.Scalar && !node.Quoted && node.Value is "true" or "false")
        {
            return node.Value == "true";
        }
        Error(node, path, "expected true or false");
        return null;
    }

    private bool? Bool(Fields f, string name) => f.TryGet(name, out var v, out var p) ? Bool(v, p) : null;

    /// <summary>A positive duration: number-unit pairs, units ms, s, m, h, d ("90s", "1h30m").</summary>
    private TimeSpan? Duration(YNode node, string path)
    {
        if (node.Kind == YKind.Scalar && TryDuration(node.Value, out var d))
        {
            if (d > TimeSpan.Zero)
            {
                return d;
            }
            Error(node, path, "a duration must be longer than zero");
            return null;
        }
        Error(node, path, "'" + (node.Value ?? node.Kind.ToString().ToLowerInvariant()) + "' is not a duration (write 500ms, 30s, 10m, 2h, 1d or 1h30m)");
        return null;
    }

    private TimeSpan? Duration(Fields f, string name) => f.TryGet(name, out var v, out var p) ? Duration(v, p) : null;

    internal static bool TryDuration(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var s = text.AsSpan().Trim();
        double ms = 0;
        while (!s.IsEmpty)
        {
            var n = 0;
            while (n < s.Length && (char.IsAsciiDigit(s[n]) || s[n] == '.'))
            {
                n++;
            }
            var u = n;
            while (u < s.Length && char.IsAsciiLetterLower(s[u]))
            {
                u++;
            }
            if (n == 0 || u == n || !double.TryParse(s[..n], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }
            double? unit = s[n..u] switch
            {
                "ms" => 1,
                "s" => 1000,
                "m" => 60_000,
                "h" => 3_600_000,
                "d" => 86_400_000,
                _ => null,
            };
            if (unit is null)
            {
                return false;
            }
            ms += number * unit.Value;
            s = s[u..];
        }
        // Bounded so that adding it to any journey time stays in range.
        if (ms > TimeSpan.FromDays(3660).TotalMilliseconds)
        {
            return false;
        }
        value = TimeSpan.FromMilliseconds(ms);
        return true;
    }

    /// <summary>A share 0…1, written 0.1 or "10%".</summary>
    private double? Share(YNode node, string path)
    {
        double v;
        if (TryNumber(node, out v) || (node.Kind == YKind.Scalar && node.Value is { } s && s.EndsWith('%')
            && double.TryParse(s.AsSpan(0, s.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out v) && (v /= 100) >= 0))
        {
            if (v is >= 0 and <= 1)
            {
                return v;
            }
        }
        Error(node, path, "expected a share between 0 and 1 (0.1 or \"10%\")");
        return null;
    }

    /// <summary>One of a fixed list of words; the error lists them.</summary>
    private string? Word(YNode node, string path, string what, IReadOnlyCollection<string> allowed)
    {
        var text = Text(node, path, what);
        if (text is null)
        {
            return null;
        }
        if (allowed.Contains(text))
        {
            return text;
        }
        var near = Nearest(text, allowed);
        Error(node, path, "unknown " + what + " '" + text + "'" + (near is null ? "" : ", did you mean '" + near + "'?") + " (known: " + string.Join(", ", allowed) + ")");
        return null;
    }

    /// <summary>The closest name within two edits, for "did you mean".</summary>
    private static string? Nearest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = 3;
        foreach (var c in candidates)
        {
            var d = Distance(name, c);
            if (d < bestDistance)
            {
                best = c;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 2 || a.Length > 64 || b.Length > 64)
        {
            return int.MaxValue;
        }
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            prev[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
