namespace Waymark.Core.Mining;

/// <summary>
/// An accepting net flattened to arrays for the replay and alignment loops:
/// per transition its input and output places with weights, labels as small
/// integers, markings as dense token arrays indexed by place.
/// </summary>
internal sealed class CompiledNet
{
    public CompiledNet(AcceptingPetriNet accepting)
    {
        ArgumentNullException.ThrowIfNull(accepting);
        Source = accepting;
        var net = accepting.Net;
        PlaceCount = net.Places.Count;
        TransitionCount = net.Transitions.Count;
        InPlaces = new int[TransitionCount][];
        InWeights = new int[TransitionCount][];
        OutPlaces = new int[TransitionCount][];
        OutWeights = new int[TransitionCount][];
        Labels = new string?[TransitionCount];
        ConsumedBy = new int[TransitionCount];
        ProducedBy = new int[TransitionCount];
        for (var t = 0; t < TransitionCount; t++)
        {
            var tr = net.Transitions[t];
            Labels[t] = tr.Label;
            (InPlaces[t], InWeights[t]) = Collect(tr.InArcs, fromSource: true);
            (OutPlaces[t], OutWeights[t]) = Collect(tr.OutArcs, fromSource: false);
            ConsumedBy[t] = InWeights[t].Sum();
            ProducedBy[t] = OutWeights[t].Sum();
        }
        Initial = Dense(accepting.InitialMarking);
        Final = Dense(accepting.FinalMarking);
        var byLabel = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var t = 0; t < TransitionCount; t++)
        {
            if (Labels[t] is { } l)
            {
                if (!byLabel.TryGetValue(l, out var list))
                {
                    byLabel[l] = list = [];
                }
                list.Add(t);
            }
        }
        TransitionsByLabel = byLabel.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
    }

    public AcceptingPetriNet Source { get; }

    public int PlaceCount { get; }

    public int TransitionCount { get; }

    public int[][] InPlaces { get; }

    public int[][] InWeights { get; }

    public int[][] OutPlaces { get; }

    public int[][] OutWeights { get; }

    public string?[] Labels { get; }

    /// <summary>Tokens each transition consumes (the sum of its input arc weights).</summary>
    public int[] ConsumedBy { get; }

    /// <summary>Tokens each transition produces.</summary>
    public int[] ProducedBy { get; }

    public int[] Initial { get; }

    public int[] Final { get; }

    /// <summary>Visible transitions by label.</summary>
    public Dictionary<string, int[]> TransitionsByLabel { get; }

    public bool IsEnabled(int t, int[] marking)
    {
        var ps = InPlaces[t];
        var ws = InWeights[t];
        for (var i = 0; i < ps.Length; i++)
        {
            if (marking[ps[i]] < ws[i])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Fires <paramref name="t"/> in place (the caller checked it is enabled, or inserted what was missing).</summary>
    public void Fire(int t, int[] marking)
    {
        var ps = InPlaces[t];
        var ws = InWeights[t];
        for (var i = 0; i < ps.Length; i++)
        {
            marking[ps[i]] -= ws[i];
        }
        ps = OutPlaces[t];
        ws = OutWeights[t];
        for (var i = 0; i < ps.Length; i++)
        {
            marking[ps[i]] += ws[i];
        }
    }

    private int[] Dense(Marking marking)
    {
        var d = new int[PlaceCount];
        foreach (var (p, n) in marking)
        {
            if (p.Index >= PlaceCount || !ReferenceEquals(Source.Net.Places[p.Index], p))
            {
                throw new ArgumentException($"The marking names place '{p.Id}', which is not in the net.");
            }
            d[p.Index] = n;
        }
        return d;
    }

    private static (int[] Places, int[] Weights) Collect(IReadOnlyList<Arc> arcs, bool fromSource)
    {
        // Two arcs between the same pair (possible when nets are built by hand) add up.
        var places = new List<int>(arcs.Count);
        var weights = new List<int>(arcs.Count);
        foreach (var a in arcs)
        {
            var p = (fromSource ? a.Source : a.Target).Index;
            var i = places.IndexOf(p);
            if (i >= 0)
            {
                weights[i] += a.Weight;
            }
            else
            {
                places.Add(p);
                weights.Add(a.Weight);
            }
        }
        return ([.. places], [.. weights]);
    }
}
