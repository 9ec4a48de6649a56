namespace Waymark.Core.Mining.Discovery;

/// <summary>
/// The clean-up PM4Py's trees show after discovery: a sequence, choice or
/// parallel child of the same operator is spliced into its parent; tau
/// children of a sequence or parallel node are dropped, a choice keeps one
/// tau; a node left with one child is replaced by it. The language is unchanged.
/// </summary>
internal static class ProcessTreeFolding
{
    public static ProcessTree Fold(ProcessTree tree)
    {
        if (tree.IsLeaf)
        {
            return tree;
        }
        var op = tree.Operator!.Value;
        var children = tree.Children.Select(Fold);
        if (op == ProcessTreeOperator.Loop)
        {
            return ProcessTree.Node(op, children);
        }
        var flat = new List<ProcessTree>();
        foreach (var c in children)
        {
            if (c.Operator == op)
            {
                flat.AddRange(c.Children);
            }
            else
            {
                flat.Add(c);
            }
        }
        if (op == ProcessTreeOperator.Exclusive)
        {
            var firstTau = flat.FindIndex(c => c.IsTau);
            flat = [.. flat.Where((c, i) => !c.IsTau || i == firstTau)];
        }
        else if (flat.Exists(c => !c.IsTau))
        {
            flat.RemoveAll(c => c.IsTau);
        }
        else
        {
            return ProcessTree.Tau;
        }
        return flat.Count == 1 ? flat[0] : ProcessTree.Node(op, flat);
    }
}
