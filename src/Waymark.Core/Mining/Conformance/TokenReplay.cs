namespace Waymark.Core.Mining;

/// <summary>Options of <see cref="TokenReplay"/>.</summary>
public sealed class TokenReplayOptions
{
    /// <summary>At the end of a trace, fire silent transitions to reach the final marking when possible (PM4Py default: on).</summary>
    public bool ReachFinalMarkingThroughSilent { get; set; } = true;

    /// <summary>How deep silent transitions are enabled by further silent transitions (a bound on the heuristic's recursion).</summary>
    public int MaxSilentRecursion { get; set; } = 2;

    /// <summary>Count remaining tokens in a trace's fitness and fit (PM4Py default: on).</summary>
    public bool ConsiderRemainingInFitness { get; set; } = true;
}

/// <summary>
/// Token-based replay as PM4Py computes it (Berti and van der Aalst 2019,
/// "Reviving Token-based Replay"): events fire their transitions; a transition
/// that is not enabled is first enabled through silent transitions along the
/// shortest silent paths from marked places, and only then are missing tokens
/// inserted; at the end silent transitions carry the tokens to the final
/// marking. Each variant is replayed once. Log fitness =
/// ½(1 − m/c) + ½(1 − r/p) over the sums (definitions.md).
/// </summary>
public static class TokenReplay
{
    /// <summary>Replays every case of <paramref name="log"/> on <paramref name="net"/>.</summary>
    public static TokenReplayResult Apply(EventLog log, AcceptingPetriNet net, EventClassifier? classifier = null, TokenReplayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        return Apply(TraceVariants.Compute(log, classifier), net, options);
    }

    /// <summary>Replays precomputed variants (reuse them across several nets).</summary>
    public static TokenReplayResult Apply(TraceVariants variants, AcceptingPetriNet net, TokenReplayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(net);
        var replayer = new TokenReplayer(new CompiledNet(net), variants.Activities, options ?? new TokenReplayOptions());
        var results = new TraceReplay[variants.Variants.Count];
        Parallel.For(0, results.Length, v => results[v] = replayer.Replay(variants.Variants[v].Encoded, null));
        return new TokenReplayResult(variants, results);
    }
}

/// <summary>Replay figures of one trace (shared by all cases of its variant).</summary>
public sealed class TraceReplay
{
    internal TraceReplay(int produced, int consumed, int missing, int remaining, bool considerRemaining, string[] notInModel)
    {
        Produced = produced;
        Consumed = consumed;
        Missing = missing;
        Remaining = remaining;
        ActivitiesNotInModel = notInModel;
        IsFit = missing == 0 && (!considerRemaining || remaining == 0);
        var m = consumed > 0 ? 1 - ((double)missing / consumed) : 1;
        var r = produced > 0 ? 1 - ((double)remaining / produced) : 1;
        Fitness = considerRemaining ? (0.5 * m) + (0.5 * r) : m;
    }

    public int Produced { get; }

    public int Consumed { get; }

    public int Missing { get; }

    public int Remaining { get; }

    /// <summary>½(1 − m/c) + ½(1 − r/p).</summary>
    public double Fitness { get; }

    /// <summary>No token was missing (nor remained, when remaining tokens count).</summary>
    public bool IsFit { get; }

    /// <summary>Activities of the trace no transition carries; replay skips them, as PM4Py does.</summary>
    public IReadOnlyList<string> ActivitiesNotInModel { get; }
}

/// <summary>Token-based replay of a whole log: per case and the log totals.</summary>
public sealed class TokenReplayResult
{
    private readonly TraceVariants _variants;
    private readonly TraceReplay[] _byVariant;

    internal TokenReplayResult(TraceVariants variants, TraceReplay[] byVariant)
    {
        _variants = variants;
        _byVariant = byVariant;
        double fitnessSum = 0;
        for (var v = 0; v < byVariant.Length; v++)
        {
            var n = variants.Variants[v].Count;
            var r = byVariant[v];
            Produced += (long)n * r.Produced;
            Consumed += (long)n * r.Consumed;
            Missing += (long)n * r.Missing;
            Remaining += (long)n * r.Remaining;
            fitnessSum += n * r.Fitness;
            if (r.IsFit)
            {
                FittingCases += n;
            }
        }
        var cases = variants.CaseCount;
        AverageTraceFitness = cases == 0 ? 0 : fitnessSum / cases;
        PercentageOfFittingTraces = cases == 0 ? 0 : 100.0 * FittingCases / cases;
        var mPart = Consumed > 0 ? 1 - ((double)Missing / Consumed) : 1;
        var rPart = Produced > 0 ? 1 - ((double)Remaining / Produced) : 1;
        LogFitness = (0.5 * mPart) + (0.5 * rPart);
    }

    public long Produced { get; }

    public long Consumed { get; }

    public long Missing { get; }

    public long Remaining { get; }

    /// <summary>½(1 − Σm/Σc) + ½(1 − Σr/Σp).</summary>
    public double LogFitness { get; }

    /// <summary>Mean of the cases' fitness.</summary>
    public double AverageTraceFitness { get; }

    public int FittingCases { get; }

    /// <summary>Share of fitting cases, in percent.</summary>
    public double PercentageOfFittingTraces { get; }

    /// <summary>The replay of the case at <paramref name="traceIndex"/> in the log.</summary>
    public TraceReplay ForTrace(int traceIndex) => _byVariant[_variants.VariantOfTrace[traceIndex]];

    /// <summary>The replay of each variant, in the order of <see cref="TraceVariants.Variants"/>.</summary>
    public IReadOnlyList<TraceReplay> ByVariant => _byVariant;
}
