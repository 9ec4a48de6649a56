namespace Waymark.Core.Mining.Discovery;

/// <summary>Settings of <see cref="InductiveMiner"/>.</summary>
public sealed class InductiveMinerOptions
{
    /// <summary>
    /// IMf's noise threshold in [0, 1): 0 (the default) is the plain Inductive
    /// Miner (IM); above 0, infrequent directly-follows edges and infrequent
    /// empty traces are filtered (IMf). PM4Py's usual IMf setting is 0.2.
    /// </summary>
    public double NoiseThreshold { get; set; }
}

/// <summary>
/// The Inductive Miner (IM) and its infrequent variant (IMf) as PM4Py 2.7.14
/// computes them (Leemans, Fahland, van der Aalst 2013; Leemans 2017), on the
/// variants of a log. Each step, on a sub-log: empty traces (IM: X( tau, … );
/// IMf: the same only if more than the threshold share of the traces are
/// empty, else they are dropped); the base cases (no trace: tau; one activity
/// once: the activity); the cuts on the directly-follows graph (IMf: if none,
/// again on the filtered graph); else a fall-through. The tree is folded at the
/// end (nested operators of one kind flattened, spare tau leaves removed).
/// </summary>
/// <remarks>
/// Where PM4Py's result depends on an order, activities go in ordinal order of
/// their names and variants in the order of the <see cref="VariantLog"/>. The
/// parallel split takes, for a projected trace several variants share, the count
/// of the last of them, as PM4Py does: with IMf that decides which rare empty
/// traces stay (the reference trees of the repair-example, road-traffic and
/// a12 logs need it).
/// </remarks>
public static class InductiveMiner
{
    /// <summary>Discovers a process tree.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The noise threshold is outside [0, 1).</exception>
    public static ProcessTree Discover(VariantLog log, InductiveMinerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        var noise = options?.NoiseThreshold ?? 0;
        if (!(noise >= 0 && noise < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), noise, "The noise threshold must be at least 0 and below 1.");
        }
        var raw = new Run(log, noise).Mine(log.Root);
        return ProcessTreeFolding.Fold(raw);
    }

    /// <summary>Discovers a process tree from an event log's activity sequences.</summary>
    public static ProcessTree Discover(EventLog log, InductiveMinerOptions? options = null, EventClassifier? classifier = null) =>
        Discover(VariantLog.FromEventLog(log, classifier), options);

    private sealed class Run(VariantLog log, double noise)
    {
        public ProcessTree Mine(SubLog sub)
        {
            var empty = sub.EmptyCount;
            if (empty > 0)
            {
                var rest = sub.WithoutEmpty();
                if (noise == 0 || empty > noise * sub.Total)
                {
                    return ProcessTree.Exclusive(ProcessTree.Tau, Mine(rest));
                }
                sub = rest;
            }
            if (sub.Count == 0)
            {
                return ProcessTree.Tau;
            }
            if (sub.Count == 1 && sub.Trace(0).Length == 1)
            {
                return ProcessTree.Activity(log.Name(sub.Trace(0)[0]));
            }
            var dfg = Dfg.Of(sub);
            var cut = CutFinder.Find(dfg.View());
            if (cut is null && noise > 0)
            {
                cut = CutFinder.Find(dfg.Filtered(noise));
            }
            if (cut is not null)
            {
                var parts = LogSplitter.Split(sub, dfg, cut);
                return ProcessTree.Node(cut.Operator, parts.Select(Mine));
            }
            var step = FallThroughs.Apply(sub, dfg);
            return ProcessTree.Node(step.Operator, step.Children.Select(c => c is null ? ProcessTree.Tau : Mine(c)));
        }
    }
}
