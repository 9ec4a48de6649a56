namespace Waymark.Core.Mining;

/// <summary>
/// Precision by escaping edges, as PM4Py reports it. For every proper prefix
/// of the log's traces (and the empty prefix, weighted by the number of
/// cases), the activities the model enables after it are compared with the
/// activities that follow it in the log; the ones the log never takes there
/// escape. Precision = 1 − Σ count·|escaping| / Σ count·|enabled|.
/// <list type="bullet">
/// <item><see cref="TokenBased"/>: ETConformance (Muñoz-Gama and Carmona
/// 2010), the marking after a prefix from token-based replay; prefixes that
/// need a missing token are left out.</item>
/// <item><see cref="AlignmentBased"/>: align-ETConformance (Adriansyah et al.
/// 2015), the union over every marking an optimal alignment of the prefix can
/// end in. As in PM4Py's figures, a prefix counts only when it aligns without
/// a deviation (synchronous and silent moves only); the others are left out,
/// like the unfit prefixes of token replay.</item>
/// </list>
/// "Enabled" includes what silent transitions would enable.
/// </summary>
public static class Precision
{
    public static PrecisionResult TokenBased(EventLog log, AcceptingPetriNet net, EventClassifier? classifier = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        return TokenBased(TraceVariants.Compute(log, classifier), net);
    }

    public static PrecisionResult TokenBased(TraceVariants variants, AcceptingPetriNet net)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(net);
        var compiled = new CompiledNet(net);
        var tree = new PrefixTree(variants);
        var activityOf = Alignments.ActivityOfTransition(compiled, variants.Activities);
        var replayer = new TokenReplayer(compiled, variants.Activities, new TokenReplayOptions { ReachFinalMarkingThroughSilent = false, ConsiderRemainingInFitness = false });
        var graph = new MarkingGraph(compiled);
        var enabled = new EnabledActivities(graph, activityOf);
        for (var v = 0; v < variants.Variants.Count; v++)
        {
            var nodes = tree.NodeOf[v];
            if (!nodes.Any(n => tree.Nodes[n].Owner == v))
            {
                continue;
            }
            replayer.Replay(variants.Variants[v].Encoded, (i, marking, fit) =>
            {
                if (i < nodes.Length && fit && tree.Nodes[nodes[i]].Owner == v)
                {
                    tree.Nodes[nodes[i]].Enabled = enabled.Of(graph.Intern(marking));
                }
            });
        }
        return Score(tree, variants, enabled.Of(graph.Initial));
    }

    public static PrecisionResult AlignmentBased(EventLog log, AcceptingPetriNet net, EventClassifier? classifier = null, AlignmentOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        return AlignmentBased(TraceVariants.Compute(log, classifier), net, options, cancellationToken);
    }

    public static PrecisionResult AlignmentBased(TraceVariants variants, AcceptingPetriNet net, AlignmentOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(net);
        options ??= new AlignmentOptions();
        var compiled = new CompiledNet(net);
        var tree = new PrefixTree(variants);
        var activityOf = Alignments.ActivityOfTransition(compiled, variants.Activities);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.For(
            0,
            variants.Variants.Count,
            parallel,
            () =>
            {
                var graph = new MarkingGraph(compiled);
                return (Search: new AlignmentSearch(graph, activityOf, options.Costs), Enabled: new EnabledActivities(graph, activityOf));
            },
            (v, _, worker) =>
            {
                var nodes = tree.NodeOf[v];
                var needed = new bool[nodes.Length + 1];
                for (var i = 0; i < nodes.Length; i++)
                {
                    needed[i + 1] = tree.Nodes[nodes[i]].Owner == v;
                }
                var markings = worker.Search.OptimalPrefixMarkings(variants.Variants[v].Encoded, needed, options.MaxStatesPerTrace, cancellationToken);
                if (markings is null)
                {
                    return worker;
                }
                for (var i = 0; i < nodes.Length; i++)
                {
                    if (markings[i + 1] is { } ms)
                    {
                        var union = new HashSet<int>();
                        foreach (var m in ms)
                        {
                            union.UnionWith(worker.Enabled.Of(m));
                        }
                        // Each prefix has one owner, so no two workers write the same node.
                        tree.Nodes[nodes[i]].Enabled = union;
                    }
                }
                return worker;
            },
            _ => { });
        var initial = new EnabledActivities(new MarkingGraph(compiled), activityOf);
        return Score(tree, variants, initial.Of(0));
    }

    private static PrecisionResult Score(PrefixTree tree, TraceVariants variants, HashSet<int> enabledAtStart)
    {
        long activated = 0;
        long escaping = 0;
        var skipped = 0L;
        foreach (var node in tree.Nodes)
        {
            if (node.Enabled is not { } en)
            {
                skipped += node.Count;
                continue;
            }
            activated += (long)node.Count * en.Count;
            escaping += (long)node.Count * Escaping(en, node.Next);
        }
        // The empty prefix: every case starts there, and its next activities are the start activities.
        var starts = new HashSet<int>();
        foreach (var v in variants.Variants)
        {
            if (v.Encoded.Length > 0)
            {
                starts.Add(v.Encoded[0]);
            }
        }
        activated += (long)variants.CaseCount * enabledAtStart.Count;
        escaping += (long)variants.CaseCount * Escaping(enabledAtStart, starts);
        var precision = activated > 0 ? 1 - ((double)escaping / activated) : 1.0;
        return new PrecisionResult(precision, escaping, activated, skipped);
    }

    private static int Escaping(HashSet<int> enabled, HashSet<int> taken)
    {
        var n = 0;
        foreach (var a in enabled)
        {
            if (!taken.Contains(a))
            {
                n++;
            }
        }
        return n;
    }
}

/// <summary>Precision and the sums behind it.</summary>
/// <param name="Value">1 − EscapingEdges / ActivatedEdges (1 when nothing is enabled).</param>
/// <param name="EscapingEdges">Σ over prefixes of count · |enabled activities the log does not take there|.</param>
/// <param name="ActivatedEdges">Σ over prefixes of count · |enabled activities|.</param>
/// <param name="PrefixOccurrencesLeftOut">Prefix occurrences not counted: unfit in token replay, or without an alignment within the bound.</param>
public sealed record PrecisionResult(double Value, long EscapingEdges, long ActivatedEdges, long PrefixOccurrencesLeftOut);
