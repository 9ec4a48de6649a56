namespace Waymark.Core.Mining.Discovery;

public sealed partial class ProcessTree
{
    /// <summary>
    /// Reads PM4Py's notation (<c>-&gt;</c>, <c>X</c>, <c>+</c>, <c>*</c>, <c>tau</c>,
    /// labels in single quotes). A label runs to the first quote that is followed
    /// by a comma, a closing parenthesis or the end, so labels may contain quotes.
    /// </summary>
    /// <exception cref="FormatException">The text is not a process tree; the message gives the position.</exception>
    public static ProcessTree Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(text);
        var tree = parser.ReadNode(depth: 0);
        parser.SkipSpace();
        if (!parser.AtEnd)
        {
            throw parser.Error("unexpected text after the tree");
        }
        return tree;
    }

    /// <summary>Like <see cref="Parse"/>, without throwing.</summary>
    public static bool TryParse(string text, out ProcessTree? tree)
    {
        try
        {
            tree = Parse(text);
            return true;
        }
        catch (FormatException)
        {
            tree = null;
            return false;
        }
    }

    private sealed class Parser(string text)
    {
        // Deep enough for any discovered tree; bounds the recursion on hostile input.
        private const int MaxDepth = 1000;

        private int _pos;

        public bool AtEnd => _pos >= text.Length;

        public ProcessTree ReadNode(int depth)
        {
            if (depth > MaxDepth)
            {
                throw Error("the tree is nested too deeply");
            }
            SkipSpace();
            if (AtEnd)
            {
                throw Error("expected a node");
            }
            if (text[_pos] == '\'')
            {
                return Activity(ReadLabel());
            }
            if (string.CompareOrdinal(text, _pos, "tau", 0, 3) == 0 && !IsWordChar(_pos + 3))
            {
                _pos += 3;
                return Tau;
            }
            var op = ReadOperator();
            SkipSpace();
            Expect('(');
            var children = new List<ProcessTree>();
            while (true)
            {
                children.Add(ReadNode(depth + 1));
                SkipSpace();
                if (AtEnd)
                {
                    throw Error("expected ',' or ')'");
                }
                if (text[_pos] == ',')
                {
                    _pos++;
                    continue;
                }
                Expect(')');
                break;
            }
            if (op == ProcessTreeOperator.Loop && children.Count < 2)
            {
                throw Error("a loop needs a do and a redo child");
            }
            return new ProcessTree(op, null, [.. children]);
        }

        public void SkipSpace()
        {
            while (!AtEnd && char.IsWhiteSpace(text[_pos]))
            {
                _pos++;
            }
        }

        public FormatException Error(string what) =>
            new($"Not a process tree: {what} at position {_pos} of \"{text}\".");

        private ProcessTreeOperator ReadOperator()
        {
            if (string.CompareOrdinal(text, _pos, "->", 0, 2) == 0)
            {
                _pos += 2;
                return ProcessTreeOperator.Sequence;
            }
            var op = text[_pos] switch
            {
                'X' => ProcessTreeOperator.Exclusive,
                '+' => ProcessTreeOperator.Parallel,
                '*' => ProcessTreeOperator.Loop,
                _ => throw Error("expected an operator (->, X, +, *), 'label' or tau"),
            };
            _pos++;
            return op;
        }

        private string ReadLabel()
        {
            var start = ++_pos;
            for (var i = start; i < text.Length; i++)
            {
                if (text[i] != '\'')
                {
                    continue;
                }
                var j = i + 1;
                while (j < text.Length && char.IsWhiteSpace(text[j]))
                {
                    j++;
                }
                if (j == text.Length || text[j] == ',' || text[j] == ')')
                {
                    _pos = i + 1;
                    return text[start..i];
                }
            }
            throw Error("unterminated label");
        }

        private void Expect(char c)
        {
            if (AtEnd || text[_pos] != c)
            {
                throw Error($"expected '{c}'");
            }
            _pos++;
        }

        private bool IsWordChar(int i) => i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_');
    }
}
