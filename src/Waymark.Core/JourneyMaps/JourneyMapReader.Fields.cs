using System.Globalization;
using Waymark.Core.Rules;

namespace Waymark.Core.JourneyMaps;

/// <summary>The scalar and collection readers of <see cref="JourneyMapReader"/>.</summary>
public sealed partial class JourneyMapReader
{
    private void Error(YNode at, string path, string message) => _errors.Add(new JourneyMapError(at.Line, at.Column, path, message));

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    /// <summary>The fields of a mapping; unknown and duplicate keys are errors. Null when the node is not a mapping.</summary>
    private Fields? Map(YNode node, string path, string what, string[] allowed)
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
                var near = allowed.FirstOrDefault(a => string.Equals(a, name, StringComparison.OrdinalIgnoreCase));
                Error(key, Join(path, name), "unknown field '" + name + "'" + (near is null ? "" : ", did you mean '" + near + "'?") + " (allowed: " + string.Join(", ", allowed) + ")");
                continue;
            }
            if (!fields.Add(name, value))
            {
                Error(key, Join(path, name), "duplicate field '" + name + "'");
            }
        }
        return fields;
    }

    private sealed class Fields(YNode node, string path)
    {
        private readonly Dictionary<string, YNode> _byName = new(StringComparer.Ordinal);

        public YNode Node { get; } = node;
        public string Path { get; } = path;

        public bool Add(string name, YNode value) => _byName.TryAdd(name, value);

        public bool Has(string name) => _byName.ContainsKey(name);

        public bool TryGet(string name, out YNode value, out string path)
        {
            path = Join(Path, name);
            return _byName.TryGetValue(name, out value!);
        }
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

    private string? Text(YNode node, string path)
    {
        if (node.Kind != YKind.Scalar || node.IsNull || node.Value!.Trim().Length == 0)
        {
            Error(node, path, "expected a text");
            return null;
        }
        if (node.Value.Length > 2000)
        {
            Error(node, path, "a text is at most 2000 characters");
            return null;
        }
        return node.Value;
    }

    private string? Text(Fields f, string name, bool required = false)
    {
        if (f.TryGet(name, out var v, out var p))
        {
            return Text(v, p);
        }
        if (required)
        {
            Error(f.Node, p, "'" + name + "' is required");
        }
        return null;
    }

    /// <summary>An id: 1 to 64 lower-case letters, digits and dashes, starting with a letter or digit.</summary>
    private string? Slug(Fields f, string name, bool required)
    {
        var text = Text(f, name, required);
        if (text is null)
        {
            return null;
        }
        if (!JourneyMapIds.IsValid(text))
        {
            f.TryGet(name, out var node, out var path);
            Error(node, path, "'" + text + "' is not an id: use 1 to 64 lower-case letters, digits and dashes (e.g. book-a-holiday)");
            return null;
        }
        return text;
    }

    private int? Int(YNode node, string path, int min, int max)
    {
        if (node.Kind == YKind.Scalar && !node.Quoted
            && int.TryParse(node.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            if (n >= min && n <= max)
            {
                return n;
            }
            Error(node, path, "must be at least " + min.ToString(CultureInfo.InvariantCulture));
            return null;
        }
        Error(node, path, "expected a whole number");
        return null;
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

    /// <summary>A positive duration written as the rules write it: 500ms, 30s, 10m, 2h, 1d, 1h30m.</summary>
    private TimeSpan? Duration(YNode node, string path)
    {
        if (node.Kind == YKind.Scalar && RuleReader.TryDuration(node.Value, out var d))
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

    private List<YNode>? List(YNode node, string path, string what, int min, int max)
    {
        if (node.Kind != YKind.Sequence)
        {
            Error(node, path, "expected " + what);
            return null;
        }
        if (node.Items.Count < min)
        {
            Error(node, path, "needs at least " + min.ToString(CultureInfo.InvariantCulture) + " item" + (min == 1 ? "" : "s"));
            return null;
        }
        if (node.Items.Count > max)
        {
            Error(node.Items[max], path, "at most " + max.ToString(CultureInfo.InvariantCulture) + " items");
            return null;
        }
        return node.Items;
    }

    private List<string> Texts(YNode node, string path)
    {
        var texts = new List<string>();
        if (List(node, path, "a list of texts", 0, 100) is { } items)
        {
            for (var i = 0; i < items.Count; i++)
            {
                if (Text(items[i], Index(path, i)) is { } t)
                {
                    texts.Add(t);
                }
            }
        }
        return texts;
    }
}

/// <summary>The id rule shared by map and touchpoint ids.</summary>
public static class JourneyMapIds
{
    /// <summary>1 to 64 lower-case ASCII letters, digits and dashes, starting with a letter or digit.</summary>
    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= 64 } && char.IsAsciiLetterOrDigit(id[0])
        && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
