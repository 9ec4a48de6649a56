namespace Waymark.Core.Mining;

/// <summary>
/// The reachable markings of a net, numbered as they are met and expanded on
/// demand: for each marking its enabled transitions and their successor
/// markings. A search asks for the same markings at every trace position and
/// for every variant, so each firing is computed once. Markings are stored as
/// one byte per place (at most 255 tokens in a place). Not thread-safe: one
/// graph per worker.
/// </summary>
internal sealed class MarkingGraph
{
    private readonly CompiledNet _net;
    private readonly int _width;
    private readonly List<byte[]> _markings = [];
    private readonly Dictionary<byte[], int> _ids = new(ByteContent.Instance);
    private readonly List<int[]?> _enabled = [];
    private readonly List<int[]?> _successors = [];
    private readonly byte[] _scratch;

    public MarkingGraph(CompiledNet net)
    {
        _net = net;
        _width = net.PlaceCount;
        _scratch = new byte[_width];
        Initial = Intern(ToBytes(net.Initial));
        Final = Intern(ToBytes(net.Final));
    }

    public CompiledNet Net => _net;

    public int Initial { get; }

    public int Final { get; }

    public int Count => _markings.Count;

    /// <summary>The transitions enabled in marking <paramref name="id"/> (in net order) and the markings they lead to.</summary>
    public (int[] Transitions, int[] Successors) Expand(int id)
    {
        if (_enabled[id] is { } known)
        {
            return (known, _successors[id]!);
        }
        var m = _markings[id];
        var transitions = new List<int>();
        var successors = new List<int>();
        for (var t = 0; t < _net.TransitionCount; t++)
        {
            if (!Enabled(t, m))
            {
                continue;
            }
            m.CopyTo(_scratch, 0);
            Fire(t, _scratch);
            transitions.Add(t);
            successors.Add(Intern(_scratch));
        }
        var ts = transitions.ToArray();
        var ss = successors.ToArray();
        _enabled[id] = ts;
        _successors[id] = ss;
        return (ts, ss);
    }

    /// <summary>Tokens of marking <paramref name="id"/> as a dense array.</summary>
    public int[] Tokens(int id)
    {
        var m = _markings[id];
        var d = new int[_width];
        for (var p = 0; p < _width; p++)
        {
            d[p] = m[p];
        }
        return d;
    }

    public int Intern(int[] tokens) => Intern(ToBytes(tokens));

    private int Intern(byte[] marking)
    {
        if (_ids.TryGetValue(marking, out var known))
        {
            return known;
        }
        // The key must not be the scratch buffer the caller reuses.
        var key = (byte[])marking.Clone();
        var id = _markings.Count;
        _ids.Add(key, id);
        _markings.Add(key);
        _enabled.Add(null);
        _successors.Add(null);
        return id;
    }

    private bool Enabled(int t, byte[] m)
    {
        var ps = _net.InPlaces[t];
        var ws = _net.InWeights[t];
        for (var i = 0; i < ps.Length; i++)
        {
            if (m[ps[i]] < ws[i])
            {
                return false;
            }
        }
        return true;
    }

    private void Fire(int t, byte[] m)
    {
        var ps = _net.InPlaces[t];
        var ws = _net.InWeights[t];
        for (var i = 0; i < ps.Length; i++)
        {
            m[ps[i]] -= (byte)ws[i];
        }
        ps = _net.OutPlaces[t];
        ws = _net.OutWeights[t];
        for (var i = 0; i < ps.Length; i++)
        {
            var n = m[ps[i]] + ws[i];
            if (n > byte.MaxValue)
            {
                throw new NotSupportedException($"A place would hold more than {byte.MaxValue} tokens: the net is not bounded enough to align against.");
            }
            m[ps[i]] = (byte)n;
        }
    }

    private byte[] ToBytes(int[] tokens)
    {
        var b = new byte[_width];
        for (var p = 0; p < _width; p++)
        {
            if (tokens[p] > byte.MaxValue)
            {
                throw new NotSupportedException($"A marking holds more than {byte.MaxValue} tokens in a place.");
            }
            b[p] = (byte)tokens[p];
        }
        return b;
    }

    private sealed class ByteContent : IEqualityComparer<byte[]>
    {
        public static readonly ByteContent Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj)
        {
            var h = new HashCode();
            h.AddBytes(obj);
            return h.ToHashCode();
        }
    }
}
