using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using Tokens = YamlDotNet.Core.Tokens;

namespace Waymark.Core.Rules;

/// <summary>The kinds of node a rule document is made of.</summary>
internal enum YKind : byte
{
    Scalar,
    Sequence,
    Mapping,
}

/// <summary>
/// One node of a parsed YAML or JSON document with the place it starts at.
/// Our own small tree rather than YamlDotNet's representation model: it keeps
/// duplicate keys for the reader to list (the model throws on the first one) and
/// tells whether a scalar was quoted, so "10" and 10 can be told apart.
/// </summary>
internal sealed class YNode
{
    public YKind Kind { get; init; }
    public int Line { get; init; }
    public int Column { get; init; }
    /// <summary>The scalar's text; null for collections.</summary>
    public string? Value { get; init; }
    /// <summary>A quoted scalar is always a string.</summary>
    public bool Quoted { get; init; }
    public List<YNode> Items { get; } = [];
    public List<KeyValuePair<YNode, YNode>> Pairs { get; } = [];

    /// <summary>A plain empty scalar, ~ or null: YAML's null.</summary>
    public bool IsNull => Kind == YKind.Scalar && !Quoted && Value is "" or "~" or "null" or "Null" or "NULL";
}

/// <summary>Loads a <see cref="YNode"/> tree with YamlDotNet's parser; JSON goes through the same parser.</summary>
internal static class YamlTree
{
    /// <summary>Bounds the nesting depth so a hostile document cannot exhaust the stack.</summary>
    public const int MaxDepth = 64;

    /// <summary>The root node of the only document, or null with the syntax error added to <paramref name="errors"/>.</summary>
    public static YNode? Load(string text, List<RuleError> errors)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, YNode>(StringComparer.Ordinal);
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                errors.Add(new RuleError(1, 1, "", "the document is empty: it needs a mapping with 'rules'"));
                return null;
            }
            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, anchors, 0);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _) && parser.Current is { } next)
            {
                errors.Add(new RuleError((int)next.Start.Line, (int)next.Start.Column, "", "only one document is allowed (remove the second '---')"));
                return null;
            }
            return root;
        }
        catch (YamlException ex) when (ex.Start.Index >= 0 && ex.Start.Index <= text.Length
            && string.IsNullOrWhiteSpace(text[(int)ex.Start.Index..]) && Unclosed(text) is { } at)
        {
            // Failed at the end of the text with a bracket open: that bracket is the mistake.
            errors.Add(at);
            return null;
        }
        catch (YamlException ex)
        {
            errors.Add(new RuleError((int)ex.Start.Line, (int)ex.Start.Column, "", Clean(ex.Message)));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet 18 fails this way when the text ends inside a flow collection.
            errors.Add(Unclosed(text) ?? new RuleError(1, 1, "", "the document ends too early"));
            return null;
        }
    }

    /// <summary>
    /// The innermost '[' or '{' left open, from the scanner's tokens alone:
    /// the parser may have looked past a closing bracket before it failed, so
    /// its events do not tell which bracket is open.
    /// </summary>
    private static RuleError? Unclosed(string text)
    {
        var open = new Stack<(Mark At, char Bracket)>();
        var scanner = new Scanner(new StringReader(text));
        try
        {
            while (scanner.MoveNext())
            {
                switch (scanner.Current)
                {
                    case Tokens.FlowSequenceStart t:
                        open.Push((t.Start, '['));
                        break;
                    case Tokens.FlowMappingStart t:
                        open.Push((t.Start, '{'));
                        break;
                    case Tokens.FlowSequenceEnd or Tokens.FlowMappingEnd when open.Count > 0:
                        open.Pop();
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException)
        {
            // Where the scanner stopped is where the text ran out.
        }
        return open.Count == 0 ? null : new RuleError((int)open.Peek().At.Line, (int)open.Peek().At.Column, "", "this '" + open.Peek().Bracket + "' is not closed");
    }

    private static YNode ReadNode(IParser parser, Dictionary<string, YNode> anchors, int depth)
    {
        if (depth > MaxDepth)
        {
            var at = parser.Current!.Start;
            throw new YamlException(at, at, "the document is nested too deeply");
        }
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (anchors.TryGetValue(alias.Value.Value, out var target))
            {
                return target;
            }
            throw new YamlException(alias.Start, alias.End, "unknown alias *" + alias.Value.Value);
        }
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            var node = new YNode
            {
                Kind = YKind.Scalar,
                Line = (int)scalar.Start.Line,
                Column = (int)scalar.Start.Column,
                Value = scalar.Value,
                Quoted = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded,
            };
            Anchor(scalar.Anchor, node, anchors);
            return node;
        }
        if (parser.TryConsume<SequenceStart>(out var seqStart))
        {
            var node = new YNode { Kind = YKind.Sequence, Line = (int)seqStart.Start.Line, Column = (int)seqStart.Start.Column };
            Anchor(seqStart.Anchor, node, anchors);
            while (!parser.TryConsume<YamlDotNet.Core.Events.SequenceEnd>(out _))
            {
                node.Items.Add(ReadNode(parser, anchors, depth + 1));
            }
            return node;
        }
        var mapStart = parser.Consume<MappingStart>();
        var map = new YNode { Kind = YKind.Mapping, Line = (int)mapStart.Start.Line, Column = (int)mapStart.Start.Column };
        Anchor(mapStart.Anchor, map, anchors);
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            // Duplicate keys are kept: the reader reports them with their path.
            var key = ReadNode(parser, anchors, depth + 1);
            var value = ReadNode(parser, anchors, depth + 1);
            map.Pairs.Add(new(key, value));
        }
        return map;
    }

    private static void Anchor(AnchorName name, YNode node, Dictionary<string, YNode> anchors)
    {
        if (!name.IsEmpty)
        {
            anchors[name.Value] = node;
        }
    }

    // YamlDotNet's messages start with the position in parentheses; ours carry it apart.
    private static string Clean(string message)
    {
        var close = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith('(') && close > 0 ? message[(close + 3)..] : message;
    }
}
