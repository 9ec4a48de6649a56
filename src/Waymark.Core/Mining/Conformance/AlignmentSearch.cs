using System.Diagnostics;

namespace Waymark.Core.Mining;

/// <summary>
/// Shortest-path search over the synchronous product of a trace and the net:
/// a state is (model marking, events consumed); moves are synchronous (cost
/// 0), log-only, model-only on a visible transition, and model-only on a
/// silent one. With non-negative costs and no heuristic this is Dijkstra's
/// algorithm, so the first goal state taken from the queue is optimal. Each
/// state is expanded once; the model's markings and firings come from a
/// shared <see cref="MarkingGraph"/>. One instance per worker (not thread-safe).
/// </summary>
internal sealed class AlignmentSearch
{
    private readonly MarkingGraph _graph;
    private readonly int[] _activityOf;
    private readonly AlignmentCosts _costs;
    private readonly Dictionary<long, int> _nodeOf = [];
    private readonly PriorityQueue<int, long> _open = new();
    private readonly List<Node> _nodes = [];

    /// <param name="graph">The model's markings.</param>
    /// <param name="activityOf">For each transition, the activity number it carries (see <see cref="Alignments.ActivityOfTransition"/>); -1 when silent.</param>
    /// <param name="costs">Move costs.</param>
    public AlignmentSearch(MarkingGraph graph, int[] activityOf, AlignmentCosts costs)
    {
        _graph = graph;
        _activityOf = activityOf;
        _costs = costs;
    }

    public MarkingGraph Graph => _graph;

    /// <summary>
    /// An optimal alignment of <paramref name="trace"/> ending in the final marking,
    /// or null when the search hit <paramref name="maxStates"/> or the deadline
    /// (a <see cref="Stopwatch"/> timestamp; 0 for none).
    /// </summary>
    public SearchOutcome Align(int[] trace, long maxStates, long deadline, CancellationToken cancellationToken)
    {
        Reset(trace.Length);
        Push(_graph.Initial, 0, 0, -1, MoveKind.Synchronous, -1, trace.Length);
        var expanded = 0L;
        while (_open.TryDequeue(out var index, out _))
        {
            var node = _nodes[index];
            if (node.Closed || _nodeOf[Key(node.Marking, node.Position)] != index)
            {
                continue;
            }
            node.Closed = true;
            _nodes[index] = node;
            if (node.Position == trace.Length && node.Marking == _graph.Final)
            {
                return new SearchOutcome(node.Cost, Path(index), expanded, _nodes.Count, Completed: true);
            }
            if (++expanded > maxStates || ((expanded & 1023) == 0 && (cancellationToken.IsCancellationRequested || (deadline != 0 && Stopwatch.GetTimestamp() > deadline))))
            {
                cancellationToken.ThrowIfCancellationRequested();
                return new SearchOutcome(-1, [], expanded, _nodes.Count, Completed: false);
            }
            Successors(index, node, trace, deviations: true);
        }
        // The final marking cannot be reached from the initial one.
        return new SearchOutcome(-1, [], expanded, _nodes.Count, Completed: false);
    }

    /// <summary>
    /// For each prefix length k with <paramref name="needed"/>[k], every model
    /// marking in which the first k events can be replayed with synchronous and
    /// silent moves only, at the least number of silent moves (no final marking
    /// required); null for a prefix that cannot be replayed so. One search serves
    /// all prefixes: the distance of a state at position k does not depend on
    /// later events. Returns null when the bound was hit.
    /// </summary>
    public List<int>?[]? OptimalPrefixMarkings(int[] trace, bool[] needed, long maxStates, CancellationToken cancellationToken)
    {
        var deepest = Array.LastIndexOf(needed, true);
        var result = new List<int>?[needed.Length];
        if (deepest < 0)
        {
            return result;
        }
        var best = new long[needed.Length];
        Array.Fill(best, -1);
        var pending = needed.Count(x => x);
        var limited = trace[..deepest];
        Reset(limited.Length);
        Push(_graph.Initial, 0, 0, -1, MoveKind.Synchronous, -1, limited.Length);
        var expanded = 0L;
        while (_open.TryDequeue(out var index, out _))
        {
            var node = _nodes[index];
            if (node.Closed || _nodeOf[Key(node.Marking, node.Position)] != index)
            {
                continue;
            }
            // Costs only grow with depth here, so once past the deepest prefix's cost every prefix is complete.
            if (pending == 0 && node.Cost > best[deepest])
            {
                break;
            }
            node.Closed = true;
            _nodes[index] = node;
            var k = node.Position;
            if (needed[k])
            {
                if (best[k] < 0)
                {
                    best[k] = node.Cost;
                    result[k] = [node.Marking];
                    pending--;
                }
                else if (node.Cost == best[k])
                {
                    result[k]!.Add(node.Marking);
                }
            }
            if (++expanded > maxStates)
            {
                return null;
            }
            if ((expanded & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            Successors(index, node, limited, deviations: false);
        }
        return result;
    }

    private void Successors(int index, Node node, int[] trace, bool deviations)
    {
        var (transitions, successors) = _graph.Expand(node.Marking);
        var i = node.Position;
        var n = trace.Length;
        if (i < n)
        {
            var a = trace[i];
            for (var k = 0; k < transitions.Length; k++)
            {
                if (_activityOf[transitions[k]] == a)
                {
                    Push(successors[k], i + 1, node.Cost, index, MoveKind.Synchronous, transitions[k], n);
                }
            }
            if (deviations)
            {
                Push(node.Marking, i + 1, node.Cost + _costs.LogMove, index, MoveKind.Log, i, n);
            }
        }
        for (var k = 0; k < transitions.Length; k++)
        {
            var t = transitions[k];
            var silent = _activityOf[t] == -1;
            if (silent || deviations)
            {
                Push(successors[k], i, node.Cost + (silent ? _costs.SilentMove : _costs.ModelMove), index, MoveKind.Model, t, n);
            }
        }
    }

    private void Push(int marking, int position, long cost, int parent, MoveKind kind, int argument, int n)
    {
        var key = Key(marking, position);
        if (_nodeOf.TryGetValue(key, out var existing))
        {
            var known = _nodes[existing];
            if (known.Closed || known.Cost <= cost)
            {
                return;
            }
        }
        var index = _nodes.Count;
        _nodes.Add(new Node(marking, position, cost, parent, kind, argument));
        _nodeOf[key] = index;
        // Equal costs: the state further along the trace first, which reaches goals sooner.
        _open.Enqueue(index, (cost * (n + 1)) + (n - position));
    }

    private List<(MoveKind Kind, int Argument)> Path(int index)
    {
        var moves = new List<(MoveKind, int)>();
        for (var x = index; _nodes[x].Parent >= 0; x = _nodes[x].Parent)
        {
            moves.Add((_nodes[x].Kind, _nodes[x].Argument));
        }
        moves.Reverse();
        return moves;
    }

    private void Reset(int traceLength)
    {
        _nodeOf.Clear();
        _open.Clear();
        _nodes.Clear();
        _ = traceLength;
    }

    private static long Key(int marking, int position) => ((long)marking << 32) | (uint)position;

    private struct Node(int marking, int position, long cost, int parent, MoveKind kind, int argument)
    {
        public readonly int Marking = marking;
        public readonly int Position = position;
        public readonly long Cost = cost;
        public readonly int Parent = parent;
        public readonly MoveKind Kind = kind;
        /// <summary>The transition of a synchronous or model move, the event position of a log move.</summary>
        public readonly int Argument = argument;
        public bool Closed;
    }
}

/// <summary>What one search found: the cost and the moves (transition or event position per move) when completed.</summary>
internal readonly record struct SearchOutcome(long Cost, List<(MoveKind Kind, int Argument)> Moves, long ExpandedStates, long QueuedStates, bool Completed);
