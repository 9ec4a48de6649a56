namespace Waymark.Core.Mining;

/// <summary>
/// For every ordered pair of places, a shortest sequence of silent transitions
/// that carries a token from the first to the second (Berti and van der Aalst
/// 2019, "Reviving Token-based Replay", preprocessing): p leads to q through
/// a silent transition u when p ∈ •u and q ∈ u•. A place may lead back to
/// itself through a silent cycle. Found by a depth-first search along the
/// arcs in the net's order, a path replaced only by a strictly shorter one,
/// which fixes the choice among equally short paths.
/// </summary>
internal sealed class SilentPaths
{
    private readonly int[]?[] _paths;
    private readonly int _places;

    public SilentPaths(CompiledNet net)
    {
        _places = net.PlaceCount;
        _paths = new int[]?[_places * _places];
        var places = net.Source.Net.Places;
        // Silent successors of each place in arc order: (transition, its output places).
        var next = new (int Transition, int[] Outputs)[_places][];
        for (var p = 0; p < _places; p++)
        {
            next[p] = [.. places[p].OutArcs
                .Select(a => (Transition)a.Target)
                .Where(t => t.IsSilent)
                .Select(t => (t.Index, t.OutArcs.Select(o => o.Target.Index).ToArray()))];
        }
        var stack = new List<int>();
        for (var s = 0; s < _places; s++)
        {
            Search(s, s, stack, next);
        }
    }

    /// <summary>The silent transitions from <paramref name="from"/> to <paramref name="to"/> in firing order, or null when there is no such path.</summary>
    public int[]? Path(int from, int to) => _paths[(from * _places) + to];

    private void Search(int start, int current, List<int> path, (int Transition, int[] Outputs)[][] next)
    {
        if (path.Count >= _places)
        {
            return;
        }
        foreach (var (u, outputs) in next[current])
        {
            foreach (var q in outputs)
            {
                var known = _paths[(start * _places) + q];
                if (known is not null && known.Length <= path.Count + 1)
                {
                    continue;
                }
                path.Add(u);
                _paths[(start * _places) + q] = [.. path];
                Search(start, q, path, next);
                path.RemoveAt(path.Count - 1);
            }
        }
    }
}
