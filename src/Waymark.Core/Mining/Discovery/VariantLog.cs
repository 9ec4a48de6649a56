namespace Waymark.Core.Mining.Discovery;

/// <summary>
/// The input of discovery: each distinct activity sequence (variant) with the
/// number of cases that follow it. Discovery works on these and on the
/// directly-follows counts derived from them, never on single events, so a log
/// of a million cases costs what its variants cost.
/// </summary>
/// <remarks>
/// Activities are numbered in ordinal order of their names, the order in which
/// the miner tries them where PM4Py's choice depends on an order. Variants keep
/// the order they are given in (<see cref="TraceVariants"/> gives most frequent
/// first), which matters in one place: see <see cref="InductiveMiner"/>.
/// </remarks>
public sealed class VariantLog
{
    private VariantLog(string[] activities, SubLog root)
    {
        Activities = activities;
        Root = root;
    }

    /// <summary>The distinct activities, in ordinal order.</summary>
    public IReadOnlyList<string> Activities { get; }

    /// <summary>Number of distinct variants.</summary>
    public int VariantCount => Root.Count;

    /// <summary>Number of cases (the variants' counts added up).</summary>
    public long CaseCount => Root.Total;

    internal SubLog Root { get; }

    /// <summary>A log from (activity sequence, number of cases) pairs; a sequence given twice adds up.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is not positive.</exception>
    public static VariantLog Create(IEnumerable<(IReadOnlyList<string> Activities, long Count)> variants)
    {
        ArgumentNullException.ThrowIfNull(variants);
        var list = variants.ToList();
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (acts, count) in list)
        {
            ArgumentNullException.ThrowIfNull(acts, nameof(variants));
            ArgumentOutOfRangeException.ThrowIfLessThan(count, 1, nameof(variants));
            foreach (var a in acts)
            {
                ArgumentNullException.ThrowIfNull(a, nameof(variants));
                names.Add(a);
            }
        }
        var alphabet = names.ToArray();
        var id = new Dictionary<string, int>(alphabet.Length, StringComparer.Ordinal);
        for (var i = 0; i < alphabet.Length; i++)
        {
            id[alphabet[i]] = i;
        }
        var root = new SubLog();
        foreach (var (acts, count) in list)
        {
            var encoded = new int[acts.Count];
            for (var j = 0; j < encoded.Length; j++)
            {
                encoded[j] = id[acts[j]];
            }
            root.Add(encoded, count);
        }
        return new VariantLog(alphabet, root);
    }

    /// <summary>A log from precomputed variants, in their order.</summary>
    public static VariantLog FromVariants(TraceVariants variants)
    {
        ArgumentNullException.ThrowIfNull(variants);
        return Create(variants.Variants.Select(v => (v.Activities, (long)v.Count)));
    }

    /// <summary>The variants of an event log (by activity name unless a classifier is given).</summary>
    public static VariantLog FromEventLog(EventLog log, EventClassifier? classifier = null) =>
        FromVariants(TraceVariants.Compute(log, classifier));

    /// <summary>Activity names of an encoded sequence.</summary>
    internal string Name(int activity) => Activities[activity];
}
