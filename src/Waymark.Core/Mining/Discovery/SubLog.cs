namespace Waymark.Core.Mining.Discovery;

/// <summary>
/// A multiset of encoded traces that keeps the order in which distinct traces
/// were first added (splits iterate it in that order).
/// </summary>
internal sealed class SubLog
{
    private readonly Dictionary<int[], int> _index = new(TraceVariants.SequenceComparer.Instance);
    private readonly List<int[]> _traces = [];
    private readonly List<long> _counts = [];

    public int Count => _traces.Count;

    public long Total { get; private set; }

    public int[] Trace(int i) => _traces[i];

    public long Multiplicity(int i) => _counts[i];

    /// <summary>Adds <paramref name="count"/> cases of <paramref name="trace"/>.</summary>
    public void Add(int[] trace, long count)
    {
        if (_index.TryGetValue(trace, out var i))
        {
            _counts[i] += count;
        }
        else
        {
            _index.Add(trace, _traces.Count);
            _traces.Add(trace);
            _counts.Add(count);
        }
        Total += count;
    }

    /// <summary>Sets the multiplicity of <paramref name="trace"/>, replacing any earlier one.</summary>
    public void Set(int[] trace, long count)
    {
        if (_index.TryGetValue(trace, out var i))
        {
            Total += count - _counts[i];
            _counts[i] = count;
        }
        else
        {
            Add(trace, count);
        }
    }

    /// <summary>Cases with no event.</summary>
    public long EmptyCount => _index.TryGetValue([], out var i) ? _counts[i] : 0;

    /// <summary>The same log without its empty traces.</summary>
    public SubLog WithoutEmpty()
    {
        var r = new SubLog();
        for (var i = 0; i < _traces.Count; i++)
        {
            if (_traces[i].Length > 0)
            {
                r.Add(_traces[i], _counts[i]);
            }
        }
        return r;
    }

    /// <summary>The distinct activities, ascending.</summary>
    public int[] Alphabet()
    {
        var set = new SortedSet<int>();
        foreach (var t in _traces)
        {
            foreach (var a in t)
            {
                set.Add(a);
            }
        }
        return [.. set];
    }
}
