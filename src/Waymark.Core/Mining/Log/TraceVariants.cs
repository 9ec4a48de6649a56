namespace Waymark.Core.Mining;

/// <summary>A variant: the exact activity sequence some cases share (definitions.md, "Variant").</summary>
public sealed class TraceVariant
{
    internal TraceVariant(string[] activities, int[] encoded, List<int> traces, int totalCases)
    {
        Activities = activities;
        Encoded = encoded;
        TraceIndices = traces;
        Share = totalCases == 0 ? 0 : (double)traces.Count / totalCases;
    }

    /// <summary>The activity sequence.</summary>
    public IReadOnlyList<string> Activities { get; }

    /// <summary>Number of cases with this sequence.</summary>
    public int Count => TraceIndices.Count;

    /// <summary>Count over the number of cases in the log.</summary>
    public double Share { get; }

    /// <summary>Positions in <see cref="EventLog.Traces"/> of the cases with this sequence, in log order.</summary>
    public IReadOnlyList<int> TraceIndices { get; }

    /// <summary>The sequence as indices into <see cref="TraceVariants.Activities"/>.</summary>
    internal int[] Encoded { get; }

    public override string ToString() => $"{Count}× ⟨{string.Join(", ", Activities)}⟩";
}

/// <summary>
/// The variants of a log under a classifier, most frequent first (ties in
/// order of first appearance), with the activity alphabet the conformance
/// checkers work on as integers.
/// </summary>
public sealed class TraceVariants
{
    private TraceVariants(List<string> activities, List<TraceVariant> variants, int[] variantOfTrace)
    {
        Activities = activities;
        Variants = variants;
        VariantOfTrace = variantOfTrace;
    }

    /// <summary>The distinct activities, numbered in order of first appearance.</summary>
    public IReadOnlyList<string> Activities { get; }

    public IReadOnlyList<TraceVariant> Variants { get; }

    /// <summary>For each trace of the log, the position of its variant in <see cref="Variants"/>.</summary>
    public IReadOnlyList<int> VariantOfTrace { get; }

    public int CaseCount => VariantOfTrace.Count;

    /// <summary>Groups the traces of <paramref name="log"/> by their activity sequence.</summary>
    public static TraceVariants Compute(EventLog log, EventClassifier? classifier = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        classifier ??= EventClassifier.Activity;
        var alphabet = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        var byKey = new Dictionary<int[], int>(SequenceComparer.Instance);
        var firstSeen = new List<(int[] Encoded, List<int> Traces)>();
        var ofTrace = new int[log.Traces.Count];
        for (var i = 0; i < log.Traces.Count; i++)
        {
            var events = log.Traces[i].Events;
            var encoded = new int[events.Count];
            for (var j = 0; j < encoded.Length; j++)
            {
                var a = classifier.Classify(events[j]);
                if (!alphabet.TryGetValue(a, out var id))
                {
                    id = names.Count;
                    alphabet.Add(a, id);
                    names.Add(a);
                }
                encoded[j] = id;
            }
            if (!byKey.TryGetValue(encoded, out var v))
            {
                v = firstSeen.Count;
                byKey.Add(encoded, v);
                firstSeen.Add((encoded, []));
            }
            firstSeen[v].Traces.Add(i);
            ofTrace[i] = v;
        }
        var order = new int[firstSeen.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        // Stable: equal counts keep the order of first appearance.
        var sorted = order.OrderByDescending(i => firstSeen[i].Traces.Count).ToArray();
        var rank = new int[sorted.Length];
        var variants = new List<TraceVariant>(sorted.Length);
        for (var r = 0; r < sorted.Length; r++)
        {
            var (encoded, traces) = firstSeen[sorted[r]];
            rank[sorted[r]] = r;
            var acts = new string[encoded.Length];
            for (var j = 0; j < acts.Length; j++)
            {
                acts[j] = names[encoded[j]];
            }
            variants.Add(new TraceVariant(acts, encoded, traces, log.Traces.Count));
        }
        for (var i = 0; i < ofTrace.Length; i++)
        {
            ofTrace[i] = rank[ofTrace[i]];
        }
        return new TraceVariants(names, variants, ofTrace);
    }

    internal sealed class SequenceComparer : IEqualityComparer<int[]>
    {
        public static readonly SequenceComparer Instance = new();

        public bool Equals(int[]? x, int[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(int[] obj)
        {
            var h = new HashCode();
            foreach (var x in obj)
            {
                h.Add(x);
            }
            return h.ToHashCode();
        }
    }
}
