using System.Text;

namespace Waymark.Core.Mining.Discovery;

/// <summary>The operator of an inner process-tree node, with PM4Py's symbol.</summary>
public enum ProcessTreeOperator
{
    /// <summary><c>-&gt;</c>: the children one after the other, in order.</summary>
    Sequence,

    /// <summary><c>X</c>: exactly one of the children.</summary>
    Exclusive,

    /// <summary><c>+</c>: all children, interleaved.</summary>
    Parallel,

    /// <summary><c>*</c>: the first child (do), then any number of times a redo child followed by the do again.</summary>
    Loop,
}

/// <summary>
/// An immutable process tree (Leemans et al.): a leaf is an activity or the
/// silent step τ; an inner node has an operator and at least one child.
/// <see cref="ToString"/> writes PM4Py's notation, e.g.
/// <c>-&gt;( 'a', X( tau, 'b' ), *( 'c', tau ) )</c>, and <see cref="Parse"/> reads it.
/// </summary>
public sealed partial class ProcessTree
{
    private ProcessTree(ProcessTreeOperator? op, string? label, ProcessTree[] children)
    {
        Operator = op;
        Label = label;
        Children = children;
    }

    /// <summary>The silent leaf τ.</summary>
    public static ProcessTree Tau { get; } = new(null, null, []);

    /// <summary>The operator, or null for a leaf.</summary>
    public ProcessTreeOperator? Operator { get; }

    /// <summary>The activity of a leaf; null for τ and for inner nodes.</summary>
    public string? Label { get; }

    /// <summary>The children, in order (empty for a leaf).</summary>
    public IReadOnlyList<ProcessTree> Children { get; }

    public bool IsLeaf => Operator is null;

    public bool IsTau => Operator is null && Label is null;

    /// <summary>A leaf for one activity.</summary>
    public static ProcessTree Activity(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        return new ProcessTree(null, label, []);
    }

    /// <summary>An inner node; a loop needs at least two children (do and redo), the others at least one.</summary>
    public static ProcessTree Node(ProcessTreeOperator op, IEnumerable<ProcessTree> children)
    {
        ArgumentNullException.ThrowIfNull(children);
        var array = children.ToArray();
        foreach (var c in array)
        {
            ArgumentNullException.ThrowIfNull(c, nameof(children));
        }
        var min = op == ProcessTreeOperator.Loop ? 2 : 1;
        if (array.Length < min)
        {
            throw new ArgumentException($"A {op} node needs at least {min} children.", nameof(children));
        }
        return new ProcessTree(op, null, array);
    }

    public static ProcessTree Sequence(params ProcessTree[] children) => Node(ProcessTreeOperator.Sequence, children);

    public static ProcessTree Exclusive(params ProcessTree[] children) => Node(ProcessTreeOperator.Exclusive, children);

    public static ProcessTree Parallel(params ProcessTree[] children) => Node(ProcessTreeOperator.Parallel, children);

    public static ProcessTree Loop(params ProcessTree[] children) => Node(ProcessTreeOperator.Loop, children);

    /// <summary>The symbol PM4Py prints for an operator.</summary>
    public static string Symbol(ProcessTreeOperator op) => op switch
    {
        ProcessTreeOperator.Sequence => "->",
        ProcessTreeOperator.Exclusive => "X",
        ProcessTreeOperator.Parallel => "+",
        ProcessTreeOperator.Loop => "*",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>The activities at the leaves, left to right (repeats kept).</summary>
    public IEnumerable<string> Activities()
    {
        if (Label is not null)
        {
            yield return Label;
        }
        foreach (var c in Children)
        {
            foreach (var a in c.Activities())
            {
                yield return a;
            }
        }
    }

    /// <summary>
    /// Whether both trees are the same up to the order of the children of
    /// <c>X</c> and <c>+</c> nodes (sequence and loop children keep their order).
    /// </summary>
    public bool IsEquivalentTo(ProcessTree other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return string.Equals(CanonicalForm(), other.CanonicalForm(), StringComparison.Ordinal);
    }

    /// <summary>
    /// PM4Py's notation with the children of <c>X</c> and <c>+</c> sorted
    /// (ordinally by their own canonical form), so equivalent trees give equal strings.
    /// </summary>
    public string CanonicalForm()
    {
        if (IsLeaf)
        {
            return ToString();
        }
        var parts = Children.Select(c => c.CanonicalForm()).ToList();
        if (Operator is ProcessTreeOperator.Exclusive or ProcessTreeOperator.Parallel)
        {
            parts.Sort(StringComparer.Ordinal);
        }
        return Symbol(Operator!.Value) + "( " + string.Join(", ", parts) + " )";
    }

    /// <summary>PM4Py's notation: <c>tau</c>, <c>'label'</c>, <c>op( child, child )</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        Write(sb);
        return sb.ToString();
    }

    private void Write(StringBuilder sb)
    {
        if (IsLeaf)
        {
            sb.Append(Label is null ? "tau" : "'" + Label + "'");
            return;
        }
        sb.Append(Symbol(Operator!.Value)).Append("( ");
        for (var i = 0; i < Children.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }
            Children[i].Write(sb);
        }
        sb.Append(" )");
    }
}
