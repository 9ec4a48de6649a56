namespace Waymark.Core.Mining.Discovery;

/// <summary>
/// The directly-follows counts of a sub-log over its own activities, numbered
/// locally 0..K-1 in ascending global order (so local order is ordinal name order).
/// </summary>
internal sealed class Dfg
{
    private Dfg(int[] acts, long[] edges, long[] starts, long[] ends)
    {
        Acts = acts;
        Edges = edges;
        Starts = starts;
        Ends = ends;
    }

    /// <summary>Global activity ids, ascending; local id = position.</summary>
    public int[] Acts { get; }

    public int K => Acts.Length;

    /// <summary>Edge counts, row-major: [from * K + to].</summary>
    public long[] Edges { get; }

    public long[] Starts { get; }

    public long[] Ends { get; }

    public int Local(int global) => Array.BinarySearch(Acts, global);

    public static Dfg Of(SubLog log)
    {
        var acts = log.Alphabet();
        var k = acts.Length;
        var map = new Dictionary<int, int>(k);
        for (var i = 0; i < k; i++)
        {
            map[acts[i]] = i;
        }
        var edges = new long[k * k];
        var starts = new long[k];
        var ends = new long[k];
        for (var v = 0; v < log.Count; v++)
        {
            var t = log.Trace(v);
            if (t.Length == 0)
            {
                continue;
            }
            var n = log.Multiplicity(v);
            var prev = map[t[0]];
            starts[prev] += n;
            for (var j = 1; j < t.Length; j++)
            {
                var cur = map[t[j]];
                edges[prev * k + cur] += n;
                prev = cur;
            }
            ends[prev] += n;
        }
        return new Dfg(acts, edges, starts, ends);
    }

    /// <summary>Every observed edge, start and end activity.</summary>
    public DfgView View()
    {
        var adj = new bool[Edges.Length];
        for (var i = 0; i < adj.Length; i++)
        {
            adj[i] = Edges[i] > 0;
        }
        return new DfgView(this, adj);
    }

    /// <summary>
    /// IMf's filter as PM4Py 2.7.14 applies it: an edge a→b stays when its count
    /// is strictly above <paramref name="noise"/> times the largest count of a's
    /// outgoing edges and of a as an end activity. Start and end activities are
    /// all kept (PM4Py began filtering start activities only after 2.7.14).
    /// </summary>
    public DfgView Filtered(double noise)
    {
        var k = K;
        var adj = new bool[Edges.Length];
        for (var a = 0; a < k; a++)
        {
            var max = Ends[a];
            for (var b = 0; b < k; b++)
            {
                max = Math.Max(max, Edges[a * k + b]);
            }
            var bound = noise * max;
            for (var b = 0; b < k; b++)
            {
                var c = Edges[a * k + b];
                adj[a * k + b] = c > 0 && c > bound;
            }
        }
        return new DfgView(this, adj);
    }
}

/// <summary>The graph the cut detection looks at: which edges count, and the start and end activities.</summary>
internal sealed class DfgView
{
    public DfgView(Dfg dfg, bool[] adj)
    {
        Dfg = dfg;
        Adj = adj;
        var k = dfg.K;
        IsStart = new bool[k];
        IsEnd = new bool[k];
        for (var i = 0; i < k; i++)
        {
            IsStart[i] = dfg.Starts[i] > 0;
            IsEnd[i] = dfg.Ends[i] > 0;
        }
    }

    public Dfg Dfg { get; }

    public int K => Dfg.K;

    public bool[] Adj { get; }

    public bool[] IsStart { get; }

    public bool[] IsEnd { get; }

    public bool Edge(int a, int b) => Adj[a * Dfg.K + b];

    public bool HasAnyEdge => Array.IndexOf(Adj, true) >= 0;
}
