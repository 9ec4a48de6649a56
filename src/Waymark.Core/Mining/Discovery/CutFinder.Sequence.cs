namespace Waymark.Core.Mining.Discovery;

internal static partial class CutFinder
{
    /// <summary>
    /// Sequence: activities that reach each other both ways, or neither way,
    /// share a part (the maximal sequence cut of the 2013 paper); parts are
    /// ordered by (number of activities that reach the part's first activity) +
    /// (number of activities it does not reach). Then, as PM4Py's trees show,
    /// skips are made explicit: scanning from a virtual start (edges to the
    /// start activities) through each part (its edges, and an edge to a virtual
    /// end if it holds an end activity), the parts strictly between a part and
    /// the furthest part it jumps to are merged into one, so that they are
    /// skipped together (<c>X( tau, -&gt;( ... ) )</c>) rather than one by one.
    /// </summary>
    public static Cut? Sequence(DfgView g)
    {
        var k = g.K;
        var reach = Reachability(g);
        var uf = new UnionFind(k);
        for (var a = 0; a < k; a++)
        {
            for (var b = a + 1; b < k; b++)
            {
                if (reach[a][b] == reach[b][a])
                {
                    uf.Union(a, b);
                }
            }
        }
        var groups = uf.Groups();
        if (groups.Count < 2)
        {
            return null;
        }
        var predecessors = new int[k];
        var successors = new int[k];
        for (var a = 0; a < k; a++)
        {
            for (var b = 0; b < k; b++)
            {
                if (reach[a][b])
                {
                    successors[a]++;
                    predecessors[b]++;
                }
            }
        }
        groups = [.. groups.OrderBy(x => predecessors[x[0]] + (k - successors[x[0]]))];
        MergeSkippedParts(g, groups);
        return groups.Count > 1 ? new Cut(ProcessTreeOperator.Sequence, groups) : null;
    }

    private static void MergeSkippedParts(DfgView g, List<List<int>> groups)
    {
        var k = g.K;
        var partOf = new int[k];
        // i = -1 is the virtual start; the virtual end sits after the last part.
        for (var i = -1; i < groups.Count - 1; i++)
        {
            for (var p = 0; p < groups.Count; p++)
            {
                foreach (var a in groups[p])
                {
                    partOf[a] = p;
                }
            }
            var furthest = i + 1;
            if (i < 0)
            {
                for (var a = 0; a < k; a++)
                {
                    if (g.IsStart[a])
                    {
                        furthest = Math.Max(furthest, partOf[a]);
                    }
                }
            }
            else
            {
                foreach (var a in groups[i])
                {
                    if (g.IsEnd[a])
                    {
                        furthest = groups.Count;
                    }
                    for (var b = 0; b < k; b++)
                    {
                        if (g.Edge(a, b))
                        {
                            furthest = Math.Max(furthest, partOf[b]);
                        }
                    }
                }
            }
            if (furthest > i + 2)
            {
                var merged = new List<int>();
                for (var p = i + 1; p < furthest; p++)
                {
                    merged.AddRange(groups[p]);
                }
                merged.Sort();
                groups.RemoveRange(i + 1, furthest - i - 1);
                groups.Insert(i + 1, merged);
            }
        }
    }

    // reach[a][b]: b can be reached from a by one or more edges.
    private static bool[][] Reachability(DfgView g)
    {
        var k = g.K;
        var succ = new List<int>[k];
        for (var a = 0; a < k; a++)
        {
            succ[a] = [];
            for (var b = 0; b < k; b++)
            {
                if (g.Edge(a, b))
                {
                    succ[a].Add(b);
                }
            }
        }
        var reach = new bool[k][];
        var stack = new Stack<int>();
        for (var a = 0; a < k; a++)
        {
            var seen = reach[a] = new bool[k];
            stack.Push(a);
            while (stack.Count > 0)
            {
                foreach (var y in succ[stack.Pop()])
                {
                    if (!seen[y])
                    {
                        seen[y] = true;
                        stack.Push(y);
                    }
                }
            }
        }
        return reach;
    }
}
