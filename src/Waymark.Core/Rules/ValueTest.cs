using System.Globalization;

namespace Waymark.Core.Rules;

/// <summary>The operators of a value test.</summary>
internal enum TestOp : byte
{
    Eq,
    Ne,
    In,
    NotIn,
    Gt,
    Gte,
    Lt,
    Lte,
    Contains,
    StartsWith,
    EndsWith,
    Exists,
}

/// <summary>
/// A test of one value: operators ANDed. Strings compare ordinally (exact
/// case); ordering operators compare numbers, or dotted versions for fields
/// that hold one (app version). A missing value fails every operator except
/// ne, notIn and exists: false.
/// </summary>
internal sealed class ValueTest
{
    public static readonly string[] OperatorNames = ["eq", "ne", "in", "notIn", "gt", "gte", "lt", "lte", "contains", "startsWith", "endsWith", "exists"];

    private readonly Op[] _ops;
    private readonly bool _versions;

    public ValueTest(Op[] ops, bool versions = false)
    {
        _ops = ops;
        _versions = versions;
    }

    /// <summary>One operator and its operand: text, number (when the operand is numeric) or a set.</summary>
    internal readonly record struct Op(TestOp Kind, string? Text, double? Number, string[]? Set, bool Flag);

    public static bool TryOperator(string name, out TestOp op)
    {
        var i = Array.IndexOf(OperatorNames, name);
        op = (TestOp)Math.Max(i, 0);
        return i >= 0;
    }

    /// <summary>Tests a value given as text and, when it is numeric, as a number.</summary>
    public bool Test(string? text, double? number)
    {
        foreach (var op in _ops)
        {
            if (!TestOne(op, text, number))
            {
                return false;
            }
        }
        return true;
    }

    public bool Test(string? text) => Test(text, null);

    public bool Test(double? number) =>
        Test(number?.ToString(CultureInfo.InvariantCulture), number);

    private bool TestOne(in Op op, string? text, double? number)
    {
        var present = text is not null || number is not null;
        switch (op.Kind)
        {
            case TestOp.Exists:
                return present == op.Flag;
            case TestOp.Ne:
                return !present || !Equal(op, text, number);
            case TestOp.NotIn:
                return !present || !InSet(op.Set!, text);
            case TestOp.Eq:
                return present && Equal(op, text, number);
            case TestOp.In:
                return present && InSet(op.Set!, text);
            case TestOp.Contains:
                return text is not null && text.Contains(op.Text!, StringComparison.Ordinal);
            case TestOp.StartsWith:
                return text is not null && text.StartsWith(op.Text!, StringComparison.Ordinal);
            case TestOp.EndsWith:
                return text is not null && text.EndsWith(op.Text!, StringComparison.Ordinal);
            default:
                int? c = _versions ? CompareVersions(text, op.Text!) : number is { } n ? n.CompareTo(op.Number!.Value) : null;
                return c is { } cmp && op.Kind switch
                {
                    TestOp.Gt => cmp > 0,
                    TestOp.Gte => cmp >= 0,
                    TestOp.Lt => cmp < 0,
                    _ => cmp <= 0,
                };
        }
    }

    private static bool Equal(in Op op, string? text, double? number) =>
        op.Number is { } want && number is { } have ? want == have : string.Equals(text, op.Text, StringComparison.Ordinal);

    private static bool InSet(string[] set, string? text) => text is not null && Array.IndexOf(set, text) >= 0;

    /// <summary>Compares dotted versions part by part, numerically where both parts are numbers; null when there is no value.</summary>
    internal static int? CompareVersions(string? a, string b)
    {
        if (a is null)
        {
            return null;
        }
        var pa = a.Split('.');
        var pb = b.Split('.');
        for (var i = 0; i < Math.Max(pa.Length, pb.Length); i++)
        {
            var x = i < pa.Length ? pa[i] : "0";
            var y = i < pb.Length ? pb[i] : "0";
            var c = long.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out var nx)
                && long.TryParse(y, NumberStyles.None, CultureInfo.InvariantCulture, out var ny)
                ? nx.CompareTo(ny)
                : string.CompareOrdinal(x, y);
            if (c != 0)
            {
                return c;
            }
        }
        return 0;
    }
}
