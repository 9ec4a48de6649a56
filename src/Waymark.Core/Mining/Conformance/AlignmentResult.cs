namespace Waymark.Core.Mining;

/// <summary>Alignments of a whole log: per case, the log figures, and the deviations ranked by the cases they touch.</summary>
public sealed class AlignmentResult
{
    private readonly TraceVariants _variants;
    private readonly TraceAlignment[] _byVariant;

    internal AlignmentResult(TraceVariants variants, TraceAlignment[] byVariant, long modelRunCost)
    {
        _variants = variants;
        _byVariant = byVariant;
        CheapestModelRunCost = modelRunCost;
        double fitnessSum = 0;
        for (var v = 0; v < byVariant.Length; v++)
        {
            var n = variants.Variants[v].Count;
            var a = byVariant[v];
            if (a.Status != AlignmentStatus.Optimal)
            {
                UnalignedCases += n;
                continue;
            }
            AlignedCases += n;
            SumCost += n * a.Cost;
            SumBestWorstCost += n * a.BestWorstCost;
            fitnessSum += n * a.Fitness;
            SynchronousMoves += (long)n * a.SynchronousMoves;
            LogMoves += (long)n * a.LogMoves;
            VisibleModelMoves += (long)n * a.VisibleModelMoves;
            SilentModelMoves += (long)n * a.SilentModelMoves;
            if (a.IsFit)
            {
                FittingCases += n;
            }
        }
        LogFitness = SumBestWorstCost > 0 ? 1 - ((double)SumCost / SumBestWorstCost) : 0;
        AverageTraceFitness = AlignedCases > 0 ? fitnessSum / AlignedCases : 0;
        PercentageOfFittingTraces = AlignedCases > 0 ? 100.0 * FittingCases / AlignedCases : 0;
    }

    /// <summary>Cost of the cheapest run of the model from the initial to the final marking; -1 when there is none.</summary>
    public long CheapestModelRunCost { get; }

    /// <summary>Σ cost over the aligned cases (raw, silent moves included).</summary>
    public long SumCost { get; }

    /// <summary>Σ bwc over the aligned cases.</summary>
    public long SumBestWorstCost { get; }

    /// <summary>1 − Σcost / Σbwc.</summary>
    public double LogFitness { get; }

    /// <summary>Mean trace fitness over the aligned cases.</summary>
    public double AverageTraceFitness { get; }

    /// <summary>Share of aligned cases that fit, in percent.</summary>
    public double PercentageOfFittingTraces { get; }

    public int FittingCases { get; }

    public int AlignedCases { get; }

    /// <summary>Cases whose search hit the bound (or whose net cannot finish); left out of the figures above.</summary>
    public int UnalignedCases { get; }

    public long SynchronousMoves { get; }

    public long LogMoves { get; }

    public long VisibleModelMoves { get; }

    public long SilentModelMoves { get; }

    /// <summary>The alignment of the case at <paramref name="traceIndex"/> in the log.</summary>
    public TraceAlignment ForTrace(int traceIndex) => _byVariant[_variants.VariantOfTrace[traceIndex]];

    /// <summary>The alignment of each variant, in the order of <see cref="TraceVariants.Variants"/>.</summary>
    public IReadOnlyList<TraceAlignment> ByVariant => _byVariant;

    public TraceVariants Variants => _variants;

    /// <summary>
    /// Each deviating activity with the number of cases it occurs in and how often:
    /// unexpected (log moves) and skipped (model moves on visible transitions),
    /// most cases first.
    /// </summary>
    public IReadOnlyList<Deviation> Deviations()
    {
        var acc = new Dictionary<(DeviationKind, string), (int Cases, long Occurrences)>();
        var seen = new HashSet<(DeviationKind, string)>();
        for (var v = 0; v < _byVariant.Length; v++)
        {
            var n = _variants.Variants[v].Count;
            seen.Clear();
            foreach (var m in _byVariant[v].Moves)
            {
                if (!m.IsDeviation)
                {
                    continue;
                }
                var key = (m.Kind == MoveKind.Log ? DeviationKind.Unexpected : DeviationKind.Skipped, m.Activity!);
                var (cases, occ) = acc.GetValueOrDefault(key);
                acc[key] = (seen.Add(key) ? cases + n : cases, occ + n);
            }
        }
        return [.. acc
            .Select(kv => new Deviation(kv.Key.Item1, kv.Key.Item2, kv.Value.Cases, kv.Value.Occurrences))
            .OrderByDescending(d => d.Cases)
            .ThenByDescending(d => d.Occurrences)
            .ThenBy(d => d.Activity, StringComparer.Ordinal)
            .ThenBy(d => d.Kind)];
    }
}

/// <summary>How a case deviates from the model at an activity.</summary>
public enum DeviationKind : byte
{
    /// <summary>The case did the activity where the model does not allow it (a log move).</summary>
    Unexpected = 0,

    /// <summary>The model required the activity and the case did not do it (a visible model move).</summary>
    Skipped = 1,
}

/// <summary>A deviation and the number of cases (and occurrences) it touches.</summary>
public sealed record Deviation(DeviationKind Kind, string Activity, int Cases, long Occurrences);
