namespace Waymark.Core.Attribution;

// Transition counts of the first-order chain, states indexed by channel.
internal sealed class Chain
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<Dictionary<int, double>> _toChannel = [];
    private readonly List<double> _toConversion = [];
    private readonly List<double> _toNull = [];
    private readonly Dictionary<int, double> _fromStart = [];

    public List<string> Names { get; } = [];
    public double TotalConversions { get; private set; }
    public double TotalValue { get; private set; }

    public int Index(string channel) => _index.TryGetValue(channel, out var i) ? i : -1;

    public static Chain Count(IEnumerable<MarkovPath> paths)
    {
        var chain = new Chain();
        foreach (var p in paths)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(p.Conversions);
            ArgumentOutOfRangeException.ThrowIfNegative(p.NonConversions);
            var times = p.Conversions + p.NonConversions;
            if (p.Channels.Count == 0 || times == 0)
            {
                continue;
            }
            var previous = -1;
            foreach (var name in p.Channels)
            {
                var i = chain.Intern(name);
                if (previous < 0)
                {
                    chain._fromStart[i] = chain._fromStart.GetValueOrDefault(i) + times;
                }
                else
                {
                    chain._toChannel[previous][i] = chain._toChannel[previous].GetValueOrDefault(i) + times;
                }
                previous = i;
            }
            chain._toConversion[previous] += p.Conversions;
            chain._toNull[previous] += p.NonConversions;
            chain.TotalConversions += p.Conversions;
            chain.TotalValue += p.Value;
        }
        return chain;
    }

    // Q (channel → channel), r (channel → conversion), s (start → channel).
    public (double[,] Q, double[] R, double[] S) Probabilities()
    {
        var m = Names.Count;
        var q = new double[m, m];
        var r = new double[m];
        var s = new double[m];
        for (var i = 0; i < m; i++)
        {
            var outgoing = _toChannel[i].Values.Sum() + _toConversion[i] + _toNull[i];
            foreach (var (j, count) in _toChannel[i])
            {
                q[i, j] = count / outgoing;
            }
            r[i] = _toConversion[i] / outgoing;
        }
        var starts = _fromStart.Values.Sum();
        foreach (var (i, count) in _fromStart)
        {
            s[i] = count / starts;
        }
        return (q, r, s);
    }

    public List<MarkovTransition> Transitions()
    {
        var list = new List<MarkovTransition>();
        if (Names.Count == 0)
        {
            return list;
        }
        var (q, r, s) = Probabilities();
        for (var i = 0; i < Names.Count; i++)
        {
            if (s[i] > 0)
            {
                list.Add(new MarkovTransition(MarkovAttribution.StartState, Names[i], s[i]));
            }
        }
        for (var i = 0; i < Names.Count; i++)
        {
            for (var j = 0; j < Names.Count; j++)
            {
                if (q[i, j] > 0)
                {
                    list.Add(new MarkovTransition(Names[i], Names[j], q[i, j]));
                }
            }
            if (r[i] > 0)
            {
                list.Add(new MarkovTransition(Names[i], MarkovAttribution.ConversionState, r[i]));
            }
            var toNull = 1 - r[i] - Enumerable.Range(0, Names.Count).Sum(j => q[i, j]);
            if (_toNull[i] > 0)
            {
                list.Add(new MarkovTransition(Names[i], MarkovAttribution.NullState, toNull));
            }
        }
        return list;
    }

    private int Intern(string name)
    {
        if (!_index.TryGetValue(name, out var i))
        {
            i = Names.Count;
            _index[name] = i;
            Names.Add(name);
            _toChannel.Add([]);
            _toConversion.Add(0);
            _toNull.Add(0);
        }
        return i;
    }
}

// Dense Gauss–Jordan elimination with partial pivoting: the chains here have at
// most a few hundred states, and I − Q of an absorbing chain is non-singular.
internal static class LinearAlgebra
{
    public static double[,] Invert(double[,] a)
    {
        var n = a.GetLength(0);
        var m = (double[,])a.Clone();
        var inv = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            inv[i, i] = 1;
        }
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var row = col + 1; row < n; row++)
            {
                if (Math.Abs(m[row, col]) > Math.Abs(m[pivot, col]))
                {
                    pivot = row;
                }
            }
            if (Math.Abs(m[pivot, col]) < 1e-300)
            {
                throw new InvalidOperationException("The chain has a closed loop that never ends: I − Q is singular.");
            }
            SwapRows(m, col, pivot);
            SwapRows(inv, col, pivot);
            var p = m[col, col];
            for (var j = 0; j < n; j++)
            {
                m[col, j] /= p;
                inv[col, j] /= p;
            }
            for (var row = 0; row < n; row++)
            {
                var f = m[row, col];
                if (row == col || f == 0)
                {
                    continue;
                }
                for (var j = 0; j < n; j++)
                {
                    m[row, j] -= f * m[col, j];
                    inv[row, j] -= f * inv[col, j];
                }
            }
        }
        return inv;
    }

    public static double[] Solve(double[,] a, double[] b)
    {
        var inv = Invert(a);
        var n = b.Length;
        var x = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                x[i] += inv[i, j] * b[j];
            }
        }
        return x;
    }

    private static void SwapRows(double[,] m, int a, int b)
    {
        if (a == b)
        {
            return;
        }
        for (var j = 0; j < m.GetLength(1); j++)
        {
            (m[a, j], m[b, j]) = (m[b, j], m[a, j]);
        }
    }
}
