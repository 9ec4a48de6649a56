namespace Waymark.Core.Mining.Discovery;

/// <summary>A cut: an operator and the partition of the activities (local ids) it splits into, in child order.</summary>
internal sealed record Cut(ProcessTreeOperator Operator, List<List<int>> Groups);

/// <summary>
/// The four cuts of the Inductive Miner on a directly-follows graph, tried in
/// PM4Py's order: exclusive choice, sequence, parallel, loop (Leemans, Fahland,
/// van der Aalst 2013, with the refinements PM4Py 2.7.14 shows; see each method).
/// </summary>
internal static partial class CutFinder
{
    public static Cut? Find(DfgView g) =>
        Exclusive(g) ?? Sequence(g) ?? Parallel(g) ?? Loop(g);

    /// <summary>Exclusive choice: the connected components of the graph with edges taken as undirected.</summary>
    public static Cut? Exclusive(DfgView g)
    {
        var k = g.K;
        var uf = new UnionFind(k);
        for (var a = 0; a < k; a++)
        {
            for (var b = 0; b < k; b++)
            {
                if (g.Edge(a, b))
                {
                    uf.Union(a, b);
                }
            }
        }
        var groups = uf.Groups();
        return groups.Count > 1 ? new Cut(ProcessTreeOperator.Exclusive, groups) : null;
    }

    /// <summary>
    /// Parallel: a and b end up in different parts only if both a→b and b→a
    /// are edges (components of the complement of the two-way relation). A part
    /// without a start or without an end activity is merged into the part
    /// before it (the one after it if it is first) and the check starts over;
    /// parts are ordered by size, then by their first activity.
    /// </summary>
    public static Cut? Parallel(DfgView g)
    {
        var k = g.K;
        var uf = new UnionFind(k);
        for (var a = 0; a < k; a++)
        {
            for (var b = a + 1; b < k; b++)
            {
                if (!(g.Edge(a, b) && g.Edge(b, a)))
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
        groups = [.. groups.OrderBy(x => x.Count)];
        var i = 0;
        while (i < groups.Count && groups.Count > 1)
        {
            if (groups[i].Exists(a => g.IsStart[a]) && groups[i].Exists(a => g.IsEnd[a]))
            {
                i++;
                continue;
            }
            var j = i == 0 ? 1 : i - 1;
            groups[j].AddRange(groups[i]);
            groups[j].Sort();
            groups.RemoveAt(i);
            i = 0;
        }
        return groups.Count > 1 ? new Cut(ProcessTreeOperator.Parallel, groups) : null;
    }

    /// <summary>
    /// Loop: the do part holds every start and end activity; the other
    /// activities' connected components are redo parts unless one is entered
    /// from a start activity that is not an end, leaves to an end activity that
    /// is not a start, has an activity that reaches some but not all start
    /// activities, or is reached from some but not all end activities; such a
    /// component joins the do part.
    /// </summary>
    public static Cut? Loop(DfgView g)
    {
        if (!g.HasAnyEdge)
        {
            return null;
        }
        var k = g.K;
        var inDo = new bool[k];
        for (var a = 0; a < k; a++)
        {
            inDo[a] = g.IsStart[a] || g.IsEnd[a];
        }
        var uf = new UnionFind(k);
        for (var a = 0; a < k; a++)
        {
            for (var b = 0; b < k; b++)
            {
                if (!inDo[a] && !inDo[b] && g.Edge(a, b))
                {
                    uf.Union(a, b);
                }
            }
        }
        var redo = uf.Groups().Where(c => !inDo[c[0]]).ToList();
        var doPart = Enumerable.Range(0, k).Where(a => inDo[a]).ToList();
        // Each check runs over all redo parts before the next starts, against the original start and end sets.
        Func<List<int>, bool>[] rejects =
        [
            c => Enumerable.Range(0, k).Any(s => g.IsStart[s] && !g.IsEnd[s] && c.Exists(b => g.Edge(s, b))),
            c => Enumerable.Range(0, k).Any(e => g.IsEnd[e] && !g.IsStart[e] && c.Exists(b => g.Edge(b, e))),
            c => c.Exists(b => ReachesSomeNotAll(g, b, g.IsStart, outgoing: true)),
            c => c.Exists(b => ReachesSomeNotAll(g, b, g.IsEnd, outgoing: false)),
        ];
        foreach (var reject in rejects)
        {
            for (var r = 0; r < redo.Count; r++)
            {
                if (redo[r].Count > 0 && reject(redo[r]))
                {
                    doPart.AddRange(redo[r]);
                    redo[r] = [];
                }
            }
        }
        doPart.Sort();
        var groups = new List<List<int>> { doPart };
        groups.AddRange(redo.Where(c => c.Count > 0));
        return groups.Count > 1 ? new Cut(ProcessTreeOperator.Loop, groups) : null;
    }

    // outgoing: b has an edge to some but not all of the marked activities; otherwise some but not all marked have an edge to b.
    private static bool ReachesSomeNotAll(DfgView g, int b, bool[] marked, bool outgoing)
    {
        bool any = false, all = true;
        for (var x = 0; x < g.K; x++)
        {
            if (!marked[x])
            {
                continue;
            }
            var e = outgoing ? g.Edge(b, x) : g.Edge(x, b);
            any |= e;
            all &= e;
        }
        return any && !all;
    }
}

/// <summary>Disjoint sets over 0..n-1.</summary>
internal sealed class UnionFind
{
    private readonly int[] _parent;

    public UnionFind(int n)
    {
        _parent = new int[n];
        for (var i = 0; i < n; i++)
        {
            _parent[i] = i;
        }
    }

    public int Find(int x)
    {
        while (_parent[x] != x)
        {
            _parent[x] = _parent[_parent[x]];
            x = _parent[x];
        }
        return x;
    }

    public void Union(int a, int b)
    {
        var ra = Find(a);
        var rb = Find(b);
        if (ra != rb)
        {
            _parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
        }
    }

    /// <summary>The sets, each ascending, ordered by their smallest member.</summary>
    public List<List<int>> Groups()
    {
        var byRoot = new Dictionary<int, List<int>>();
        var groups = new List<List<int>>();
        for (var i = 0; i < _parent.Length; i++)
        {
            var r = Find(i);
            if (!byRoot.TryGetValue(r, out var g))
            {
                g = [];
                byRoot.Add(r, g);
                groups.Add(g);
            }
            g.Add(i);
        }
        return groups;
    }
}
