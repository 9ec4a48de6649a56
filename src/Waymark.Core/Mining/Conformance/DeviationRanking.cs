namespace Waymark.Core.Mining;

/// <summary>What kind of departure from the designed journey.</summary>
public enum JourneyDeviationKind : byte
{
    /// <summary>A step the model expects that the case did not do (a visible model move).</summary>
    Skipped = 0,

    /// <summary>A step the case did where the model has none (a log move).</summary>
    Unexpected = 1,

    /// <summary>A step the case did more than once (a loop), allowed by the model or not.</summary>
    Repeated = 2,
}

/// <summary>One deviation with how many customers, cases and times it happened.</summary>
public sealed record JourneyDeviation(JourneyDeviationKind Kind, string Activity, int Customers, int Cases, long Occurrences);

/// <summary>
/// The deviations of a log from a model ranked by how many customers they
/// touch: skipped and unexpected steps from the optimal alignments, repeated
/// steps from the cases themselves. A customer is whatever
/// <c>customerOfTrace</c> says (the case itself when it is a customer's journey).
/// </summary>
public static class DeviationRanking
{
    public static IReadOnlyList<JourneyDeviation> Rank(AlignmentResult alignments, Func<int, string>? customerOfTrace = null)
    {
        ArgumentNullException.ThrowIfNull(alignments);
        customerOfTrace ??= i => i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var acc = new Dictionary<(JourneyDeviationKind, string), Acc>();
        var variants = alignments.Variants.Variants;
        var inVariant = new Dictionary<(JourneyDeviationKind, string), long>();
        for (var v = 0; v < variants.Count; v++)
        {
            inVariant.Clear();
            var alignment = alignments.ByVariant[v];
            if (alignment.Status == AlignmentStatus.Optimal)
            {
                foreach (var m in alignment.Moves)
                {
                    if (m.IsDeviation)
                    {
                        var key = (m.Kind == MoveKind.Log ? JourneyDeviationKind.Unexpected : JourneyDeviationKind.Skipped, m.Activity ?? m.Transition?.Label ?? "");
                        inVariant[key] = inVariant.GetValueOrDefault(key) + 1;
                    }
                }
            }
            foreach (var g in variants[v].Activities.GroupBy(a => a, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                inVariant[(JourneyDeviationKind.Repeated, g.Key)] = g.Count() - 1;
            }
            foreach (var (key, times) in inVariant)
            {
                if (!acc.TryGetValue(key, out var a))
                {
                    acc[key] = a = new Acc();
                }
                foreach (var trace in variants[v].TraceIndices)
                {
                    a.Customers.Add(customerOfTrace(trace));
                }
                a.Cases += variants[v].Count;
                a.Occurrences += times * variants[v].Count;
            }
        }
        return [.. acc
            .Select(kv => new JourneyDeviation(kv.Key.Item1, kv.Key.Item2, kv.Value.Customers.Count, kv.Value.Cases, kv.Value.Occurrences))
            .OrderByDescending(d => d.Customers)
            .ThenByDescending(d => d.Occurrences)
            .ThenBy(d => d.Activity, StringComparer.Ordinal)
            .ThenBy(d => d.Kind)];
    }

    private sealed class Acc
    {
        public HashSet<string> Customers { get; } = new(StringComparer.Ordinal);
        public int Cases { get; set; }
        public long Occurrences { get; set; }
    }
}
