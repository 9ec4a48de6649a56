namespace Waymark.Core.Mining;

/// <summary>
/// The distinct proper prefixes of a log's traces (lengths 1 … n−1), each with
/// the number of traces that continue after it and the activities that follow
/// it: what ETConformance compares the model's enabled activities with. Each
/// prefix is owned by the first variant that has it, so it is computed once.
/// </summary>
internal sealed class PrefixTree
{
    public PrefixTree(TraceVariants variants)
    {
        var index = new Dictionary<(int Parent, int Activity), int>();
        NodeOf = new int[variants.Variants.Count][];
        for (var v = 0; v < variants.Variants.Count; v++)
        {
            var variant = variants.Variants[v];
            var trace = variant.Encoded;
            var path = new int[Math.Max(0, trace.Length - 1)];
            var parent = -1;
            for (var k = 0; k < path.Length; k++)
            {
                if (!index.TryGetValue((parent, trace[k]), out var node))
                {
                    node = Nodes.Count;
                    index.Add((parent, trace[k]), node);
                    Nodes.Add(new PrefixNode(k + 1, v));
                }
                Nodes[node].Count += variant.Count;
                Nodes[node].Next.Add(trace[k + 1]);
                path[k] = node;
                parent = node;
            }
            NodeOf[v] = path;
        }
    }

    public List<PrefixNode> Nodes { get; } = [];

    /// <summary>For each variant, the prefix node after each of its first n−1 events.</summary>
    public int[][] NodeOf { get; }
}

internal sealed class PrefixNode(int length, int owner)
{
    public int Length { get; } = length;

    /// <summary>The first variant with this prefix; it computes the prefix's markings.</summary>
    public int Owner { get; } = owner;

    /// <summary>Traces that have this prefix and continue after it.</summary>
    public int Count { get; set; }

    /// <summary>Activities that follow the prefix somewhere in the log.</summary>
    public HashSet<int> Next { get; } = [];

    /// <summary>Activities the model enables after the prefix; null when the prefix does not count (unfit, or no alignment).</summary>
    public HashSet<int>? Enabled { get; set; }
}
