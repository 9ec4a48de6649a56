using System.Globalization;

namespace Waymark.Core.Rules;

/// <summary>What kind of value a test compares: it decides which operators and operands are allowed.</summary>
internal enum TestKind : byte
{
    Text,
    Number,
    /// <summary>Milliseconds; the operand may also be written as a duration ("4s").</summary>
    Duration,
    /// <summary>A dotted version: ordering operators compare it part by part.</summary>
    Version,
    /// <summary>A custom property: text or number, whichever it holds.</summary>
    Any,
}

internal sealed partial class RuleReader
{
    /// <summary>
    /// A value test: a scalar (equals), a list (in) or a mapping of operators
    /// (eq, ne, in, notIn, gt, gte, lt, lte, contains, startsWith, endsWith, exists).
    /// </summary>
    private ValueTest? Test(YNode node, string path, TestKind kind, IReadOnlyCollection<string>? allowed, string what)
    {
        var ops = new List<ValueTest.Op>();
        var before = _errors.Count;
        if (node.Kind == YKind.Mapping)
        {
            if (node.Pairs.Count == 0)
            {
                Error(node, path, "expected at least one operator (" + string.Join(", ", ValueTest.OperatorNames) + ")");
            }
            foreach (var (k, v) in node.Pairs)
            {
                var name = k.Value ?? "";
                var op = Join(path, name);
                if (!ValueTest.TryOperator(name, out var o))
                {
                    var near = Nearest(name, ValueTest.OperatorNames);
                    Error(k, op, "unknown operator '" + name + "'" + (near is null ? "" : ", did you mean '" + near + "'?") + " (known: " + string.Join(", ", ValueTest.OperatorNames) + ")");
                    continue;
                }
                if (Operand(o, v, op, kind, allowed, what) is { } operand)
                {
                    ops.Add(operand);
                }
            }
        }
        else if (Operand(node.Kind == YKind.Sequence ? TestOp.In : TestOp.Eq, node, path, kind, allowed, what) is { } operand)
        {
            ops.Add(operand);
        }
        return _errors.Count > before ? null : new ValueTest([.. ops], kind == TestKind.Version);
    }

    private ValueTest.Op? Operand(TestOp op, YNode v, string path, TestKind kind, IReadOnlyCollection<string>? allowed, string what)
    {
        switch (op)
        {
            case TestOp.Exists:
                return Bool(v, path) is { } flag ? new ValueTest.Op(op, null, null, null, flag) : null;
            case TestOp.In or TestOp.NotIn:
                if (v.Kind != YKind.Sequence || v.Items.Count == 0)
                {
                    Error(v, path, "expected a list of values");
                    return null;
                }
                var set = new List<string>();
                for (var i = 0; i < v.Items.Count; i++)
                {
                    if (Scalar(v.Items[i], Index(path, i), kind, allowed, what) is { } s)
                    {
                        set.Add(s.Text);
                    }
                }
                return set.Count == v.Items.Count ? new ValueTest.Op(op, null, null, [.. set], false) : null;
            case TestOp.Contains or TestOp.StartsWith or TestOp.EndsWith:
                if (kind is TestKind.Number or TestKind.Duration)
                {
                    Error(v, path, what + " is a number: use eq, gt, gte, lt or lte");
                    return null;
                }
                return Text(v, path) is { } text ? new ValueTest.Op(op, text, null, null, false) : null;
            case TestOp.Eq or TestOp.Ne:
                return Scalar(v, path, kind, allowed, what) is { } eq ? new ValueTest.Op(op, eq.Text, eq.Number, null, false) : null;
            default:
                if (kind == TestKind.Text)
                {
                    Error(v, path, what + " is a text: gt, gte, lt and lte compare numbers (use eq, in, contains, startsWith)");
                    return null;
                }
                if (kind == TestKind.Version)
                {
                    return Text(v, path, "a version") is { } ver ? new ValueTest.Op(op, ver, null, null, false) : null;
                }
                if (Scalar(v, path, kind, null, what) is not { Number: { } n } s2)
                {
                    if (_errors.Count == 0 || _errors[^1].Path != path)
                    {
                        Error(v, path, "expected a number");
                    }
                    return null;
                }
                return new ValueTest.Op(op, s2.Text, n, null, false);
        }
    }

    /// <summary>One operand as text and, when numeric (or a duration for a duration field), as a number.</summary>
    private (string Text, double? Number)? Scalar(YNode v, string path, TestKind kind, IReadOnlyCollection<string>? allowed, string what)
    {
        if (v.Kind != YKind.Scalar || v.IsNull)
        {
            Error(v, path, "expected a value");
            return null;
        }
        var text = v.Value!;
        switch (kind)
        {
            case TestKind.Number or TestKind.Duration:
                if (TryNumber(v, out var n))
                {
                    return (text, n);
                }
                if (kind == TestKind.Duration && TryDuration(text, out var d))
                {
                    return (text, d.TotalMilliseconds);
                }
                Error(v, path, "expected a number" + (kind == TestKind.Duration ? " of milliseconds or a duration such as 4s" : ""));
                return null;
            case TestKind.Any:
                return TryNumber(v, out var any) ? (any.ToString(CultureInfo.InvariantCulture), any) : (text, null);
            default:
                if (allowed is not null && !allowed.Contains(text))
                {
                    var near = Nearest(text, allowed);
                    Error(v, path, "unknown " + what + " '" + text + "'" + (near is null ? "" : ", did you mean '" + near + "'?") + " (known: " + string.Join(", ", allowed) + ")");
                    return null;
                }
                return (text, null);
        }
    }
}
