using System.Text;
using System.Text.Json;

namespace Waymark.Core.Rules;

/// <summary>
/// Checks that a document written as JSON is JSON. The YAML parser reads JSON
/// (and gives every node its line and column), but it is lenient where JSON
/// is not: a missing comma between two members passes as YAML.
/// </summary>
internal static class JsonSyntax
{
    /// <summary>Whether the document is meant as JSON: its first non-blank character opens an object or an array.</summary>
    public static bool LooksLikeJson(string text)
    {
        foreach (var ch in text)
        {
            if (!char.IsWhiteSpace(ch))
            {
                return ch is '{' or '[';
            }
        }
        return false;
    }

    /// <summary>True when the text is well-formed JSON; otherwise the error, with its line and column, is added.</summary>
    public static bool Check(string text, List<RuleError> errors)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = YamlTree.MaxDepth });
        var open = new Stack<long>();
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    open.Push(reader.TokenStartIndex);
                }
                else if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    open.Pop();
                }
            }
            return true;
        }
        catch (JsonException ex)
        {
            var rest = Encoding.UTF8.GetString(bytes, (int)reader.BytesConsumed, bytes.Length - (int)reader.BytesConsumed);
            if (open.Count > 0 && string.IsNullOrWhiteSpace(rest))
            {
                var (line, column) = Place(bytes, (int)open.Peek());
                errors.Add(new RuleError(line, column, "", "this '" + (char)bytes[open.Peek()] + "' is not closed"));
            }
            else
            {
                var line = (int)(ex.LineNumber ?? 0);
                errors.Add(new RuleError(line + 1, Column(text, line, (int)(ex.BytePositionInLine ?? 0)), "", Message(ex.Message)));
            }
            return false;
        }
    }

    private static (int Line, int Column) Place(byte[] bytes, int offset)
    {
        var line = 1;
        var start = 0;
        for (var i = 0; i < offset; i++)
        {
            if (bytes[i] == '\n')
            {
                line++;
                start = i + 1;
            }
        }
        return (line, Encoding.UTF8.GetCharCount(bytes, start, offset - start) + 1);
    }

    /// <summary>The 1-based character column of a byte position in a 0-based line.</summary>
    private static int Column(string text, int line, int bytePosition)
    {
        var lines = text.Split('\n');
        if (line >= lines.Length)
        {
            return 1;
        }
        var utf8 = Encoding.UTF8.GetBytes(lines[line]);
        return Encoding.UTF8.GetCharCount(utf8, 0, Math.Min(bytePosition, utf8.Length)) + 1;
    }

    // System.Text.Json's messages end with the position, which ours carry apart.
    private static string Message(string message)
    {
        var at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return "not valid JSON: " + (at > 0 ? message[..at].TrimEnd('.', ' ') : message);
    }
}
