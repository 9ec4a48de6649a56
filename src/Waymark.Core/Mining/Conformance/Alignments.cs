using System.Diagnostics;

namespace Waymark.Core.Mining;

/// <summary>
/// Optimal alignments of a log against an accepting Petri net with PM4Py's
/// standard costs, and the fitness figures PM4Py reports from them
/// (definitions.md, "Alignment-based fitness"). Each variant is aligned once,
/// variants in parallel; the figures weigh each variant by its case count.
/// </summary>
public static class Alignments
{
    public static AlignmentResult Apply(EventLog log, AcceptingPetriNet net, EventClassifier? classifier = null, AlignmentOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        return Apply(TraceVariants.Compute(log, classifier), net, options, cancellationToken);
    }

    public static AlignmentResult Apply(TraceVariants variants, AcceptingPetriNet net, AlignmentOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(net);
        options ??= new AlignmentOptions();
        var compiled = new CompiledNet(net);
        var activityOf = ActivityOfTransition(compiled, variants.Activities);
        var costs = options.Costs;
        var modelRun = new AlignmentSearch(new MarkingGraph(compiled), activityOf, costs).Align([], options.MaxStatesPerTrace, 0, cancellationToken);
        var results = new TraceAlignment[variants.Variants.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.For(
            0,
            results.Length,
            parallel,
            () => new AlignmentSearch(new MarkingGraph(compiled), activityOf, costs),
            (v, _, search) =>
            {
                var trace = variants.Variants[v].Encoded;
                if (!modelRun.Completed)
                {
                    results[v] = TraceAlignment.Failed(AlignmentStatus.FinalMarkingUnreachable, 0, 0);
                    return search;
                }
                var deadline = options.TimeoutPerTrace is { } limit ? Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency) : 0;
                var outcome = search.Align(trace, options.MaxStatesPerTrace, deadline, cancellationToken);
                results[v] = outcome.Completed
                    ? TraceAlignment.From(outcome, trace, compiled, variants.Activities, costs, modelRun.Cost)
                    : TraceAlignment.Failed(AlignmentStatus.BoundReached, outcome.ExpandedStates, outcome.QueuedStates);
                return search;
            },
            _ => { });
        return new AlignmentResult(variants, results, modelRun.Completed ? modelRun.Cost : -1);
    }

    /// <summary>
    /// For each transition, the number of the activity it carries in
    /// <paramref name="activities"/>, -1 when silent; labels the log never has get
    /// numbers from activities.Count on (one per distinct label), so they never
    /// match an event but still count as distinct activities.
    /// </summary>
    internal static int[] ActivityOfTransition(CompiledNet net, IReadOnlyList<string> activities)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var a = 0; a < activities.Count; a++)
        {
            index[activities[a]] = a;
        }
        var result = new int[net.TransitionCount];
        for (var t = 0; t < result.Length; t++)
        {
            if (net.Labels[t] is not { } label)
            {
                result[t] = -1;
                continue;
            }
            if (!index.TryGetValue(label, out var id))
            {
                id = index.Count;
                index.Add(label, id);
            }
            result[t] = id;
        }
        return result;
    }
}

/// <summary>The optimal alignment of one trace (shared by all cases of its variant) and its figures.</summary>
public sealed class TraceAlignment
{
    private TraceAlignment(AlignmentStatus status, IReadOnlyList<AlignmentMove> moves, long cost, long bestWorstCost, double fitness, long expanded, long queued)
    {
        Status = status;
        Moves = moves;
        Cost = cost;
        BestWorstCost = bestWorstCost;
        Fitness = fitness;
        ExpandedStates = expanded;
        QueuedStates = queued;
        foreach (var m in moves)
        {
            switch (m.Kind)
            {
                case MoveKind.Synchronous:
                    SynchronousMoves++;
                    break;
                case MoveKind.Log:
                    LogMoves++;
                    break;
                default:
                    if (m.IsSilent)
                    {
                        SilentModelMoves++;
                    }
                    else
                    {
                        VisibleModelMoves++;
                    }
                    break;
            }
        }
    }

    public AlignmentStatus Status { get; }

    /// <summary>The moves in order; empty when no alignment was found.</summary>
    public IReadOnlyList<AlignmentMove> Moves { get; }

    /// <summary>Raw cost (10000 per deviation, 1 per silent move); -1 without an alignment.</summary>
    public long Cost { get; }

    /// <summary>bwc(σ) = 10000·|σ| + the cost of the cheapest model run.</summary>
    public long BestWorstCost { get; }

    /// <summary>1 − ⌊cost / 10000⌋ / ⌊bwc / 10000⌋.</summary>
    public double Fitness { get; }

    /// <summary>Fitness is 1: no deviation.</summary>
    public bool IsFit => Status == AlignmentStatus.Optimal && Fitness == 1.0;

    public int SynchronousMoves { get; }

    /// <summary>Events the model could not do where they happened (unexpected activities).</summary>
    public int LogMoves { get; }

    /// <summary>Visible transitions fired without an event (skipped activities).</summary>
    public int VisibleModelMoves { get; }

    public int SilentModelMoves { get; }

    /// <summary>The activities of the log moves, in trace order: what the case did that the model did not allow there.</summary>
    public IEnumerable<string> Unexpected => Moves.Where(m => m.Kind == MoveKind.Log).Select(m => m.Activity!);

    /// <summary>The activities of the visible model moves, in order: what the model required and the case skipped.</summary>
    public IEnumerable<string> Skipped => Moves.Where(m => m.Kind == MoveKind.Model && !m.IsSilent).Select(m => m.Activity!);

    /// <summary>States the search expanded (a measure of its effort).</summary>
    public long ExpandedStates { get; }

    public long QueuedStates { get; }

    internal static TraceAlignment Failed(AlignmentStatus status, long expanded, long queued) =>
        new(status, [], -1, -1, 0, expanded, queued);

    internal static TraceAlignment From(SearchOutcome outcome, int[] trace, CompiledNet net, IReadOnlyList<string> activities, AlignmentCosts costs, long modelRunCost)
    {
        var transitions = net.Source.Net.Transitions;
        var moves = new AlignmentMove[outcome.Moves.Count];
        for (var k = 0; k < moves.Length; k++)
        {
            var (kind, arg) = outcome.Moves[k];
            moves[k] = kind == MoveKind.Log
                ? new AlignmentMove(kind, activities[trace[arg]], null)
                : new AlignmentMove(kind, transitions[arg].Label, transitions[arg]);
        }
        var unit = costs.DeviationUnit;
        var bwc = ((long)unit * trace.Length) + modelRunCost;
        var deviations = outcome.Cost / unit;
        var worst = bwc / unit;
        var fitness = worst == 0 ? (deviations == 0 ? 1.0 : 0.0) : 1 - ((double)deviations / worst);
        return new TraceAlignment(AlignmentStatus.Optimal, moves, outcome.Cost, bwc, fitness, outcome.ExpandedStates, outcome.QueuedStates);
    }
}
