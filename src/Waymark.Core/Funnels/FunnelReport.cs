using Waymark.Core.Analytics;

namespace Waymark.Core.Funnels;

/// <summary>Options of <see cref="Funnel.Aggregate"/>.</summary>
public sealed class FunnelReportOptions
{
    /// <summary>At most this many dropped case ids are listed per step (the counts are always complete).</summary>
    public int MaxDroppedIds { get; set; } = 1000;
    /// <summary>The label of cases without a segment in the breakdown.</summary>
    public string NoSegmentLabel { get; set; } = "(none)";
}

/// <summary>One step's figures.</summary>
/// <param name="Index">0-based step index.</param>
/// <param name="Label">The step's label.</param>
/// <param name="Entered">Cases that reached this step (or passed it, for a skipped optional step).</param>
/// <param name="Performed">Cases that did this step itself; less than Entered only for an optional step.</param>
/// <param name="Converted">Cases that went on to a later step; for the last step, the cases that completed the funnel.</param>
/// <param name="Dropped">Cases whose furthest step this is; 0 for the last step.</param>
/// <param name="MedianToNext">Median time from this step to the next step reached, over cases that did this step and went on.</param>
/// <param name="P90ToNext">90th percentile of the same.</param>
/// <param name="DroppedCaseIds">The ids of the dropped cases, in input order, at most <see cref="FunnelReportOptions.MaxDroppedIds"/>.</param>
public sealed record FunnelStepStats(
    int Index,
    string Label,
    int Entered,
    int Performed,
    int Converted,
    int Dropped,
    TimeSpan? MedianToNext,
    TimeSpan? P90ToNext,
    IReadOnlyList<string> DroppedCaseIds)
{
    /// <summary>Converted / entered; NaN when nobody entered.</summary>
    public double ConversionRate => Entered == 0 ? double.NaN : (double)Converted / Entered;
}

/// <summary>A funnel's step figures, overall and per segment.</summary>
/// <param name="Steps">Overall.</param>
/// <param name="BySegment">The same per segment value, segments in ordinal order.</param>
public sealed record FunnelReport(IReadOnlyList<FunnelStepStats> Steps, IReadOnlyDictionary<string, IReadOnlyList<FunnelStepStats>> BySegment);

public static partial class Funnel
{
    /// <summary>
    /// Per step: entered, converted (went on), dropped, median and p90 time to the
    /// next step (quantile_cont interpolation), the dropped case ids; overall and
    /// per segment. Cases that never entered are not counted anywhere.
    /// </summary>
    public static FunnelReport Aggregate(FunnelDefinition definition, IEnumerable<FunnelCaseResult> results, FunnelReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(results);
        var o = options ?? new FunnelReportOptions();
        var entered = results.Where(r => r.Entered).ToList();
        var bySegment = new SortedDictionary<string, IReadOnlyList<FunnelStepStats>>(StringComparer.Ordinal);
        foreach (var group in entered.GroupBy(r => r.Segment ?? o.NoSegmentLabel, StringComparer.Ordinal))
        {
            bySegment[group.Key] = Steps(definition, group.ToList(), o);
        }
        return new FunnelReport(Steps(definition, entered, o), bySegment);
    }

    private static FunnelStepStats[] Steps(FunnelDefinition d, List<FunnelCaseResult> results, FunnelReportOptions o)
    {
        var m = d.Steps.Count;
        var stats = new FunnelStepStats[m];
        for (var k = 0; k < m; k++)
        {
            int reached = 0, performed = 0, wentOn = 0, dropped = 0;
            var toNext = new List<double>();
            var droppedIds = new List<string>();
            foreach (var r in results)
            {
                if (r.FurthestStep < k)
                {
                    continue;
                }
                reached++;
                var did = r.StepTimes[k] is not null;
                performed += did ? 1 : 0;
                if (r.FurthestStep > k || k == m - 1)
                {
                    wentOn++;
                }
                else
                {
                    dropped++;
                    if (droppedIds.Count < o.MaxDroppedIds)
                    {
                        droppedIds.Add(r.CaseId);
                    }
                }
                if (did && r.FurthestStep > k && NextTime(r, k) is { } next)
                {
                    toNext.Add((next - r.StepTimes[k]!.Value).TotalMilliseconds);
                }
            }
            TimeSpan? Quantile(double q) => toNext.Count == 0 ? null : TimeSpan.FromMilliseconds(Percentiles.Of(toNext, q));
            stats[k] = new FunnelStepStats(k, d.Steps[k].Label, reached, performed, wentOn, dropped, Quantile(0.5), Quantile(0.9), droppedIds);
        }
        return stats;
    }

    private static DateTimeOffset? NextTime(FunnelCaseResult r, int k)
    {
        for (var j = k + 1; j < r.StepTimes.Count; j++)
        {
            if (r.StepTimes[j] is { } t)
            {
                return t;
            }
        }
        return null;
    }
}
