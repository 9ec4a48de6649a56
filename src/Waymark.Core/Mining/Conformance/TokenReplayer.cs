namespace Waymark.Core.Mining;

/// <summary>
/// The replay engine of one net: the heuristics of Berti and van der Aalst
/// (2019) for silent transitions, on dense int markings. Thread-safe: every
/// replay works on its own arrays.
/// </summary>
internal sealed partial class TokenReplayer
{
    private readonly CompiledNet _net;
    private readonly SilentPaths _paths;
    private readonly TokenReplayOptions _options;
    private readonly int[][] _transitionsOfActivity;
    private readonly IReadOnlyList<string> _activities;
    private readonly int[] _placesById;
    private readonly int[] _idRank;
    private readonly int[] _finalPlaces;

    public TokenReplayer(CompiledNet net, IReadOnlyList<string> activities, TokenReplayOptions options)
    {
        _net = net;
        _paths = new SilentPaths(net);
        _options = options;
        _activities = activities;
        _transitionsOfActivity = new int[activities.Count][];
        for (var a = 0; a < activities.Count; a++)
        {
            _transitionsOfActivity[a] = net.TransitionsByLabel.GetValueOrDefault(activities[a]) ?? [];
        }
        var places = net.Source.Net.Places;
        _placesById = [.. Enumerable.Range(0, net.PlaceCount).OrderBy(p => places[p].Id, StringComparer.Ordinal)];
        _finalPlaces = [.. _placesById.Where(p => net.Final[p] > 0)];
        _idRank = new int[net.PlaceCount];
        for (var r = 0; r < _placesById.Length; r++)
        {
            _idRank[_placesById[r]] = r;
        }
    }

    /// <summary>
    /// Replays one activity sequence. <paramref name="afterEvent"/>, when given,
    /// sees the marking after each event and whether no token was missing so far
    /// (what ETConformance needs of each prefix).
    /// </summary>
    public TraceReplay Replay(int[] trace, Action<int, int[], bool>? afterEvent)
    {
        var state = new State(_net);
        var notInModel = new List<string>();
        for (var i = 0; i < trace.Length; i++)
        {
            var candidates = _transitionsOfActivity[trace[i]];
            if (candidates.Length == 0)
            {
                notInModel.Add(_activities[trace[i]]);
                afterEvent?.Invoke(i, state.Marking, state.Missing == 0);
                continue;
            }
            var t = Choose(candidates, state.Marking);
            if (!_net.IsEnabled(t, state.Marking))
            {
                // What the silent firings achieved stays even when t is still not
                // enabled: PM4Py's totals on the reference logs match only so.
                EnableThroughSilent(t, state, 0, []);
            }
            if (!_net.IsEnabled(t, state.Marking))
            {
                state.InsertMissing(t);
            }
            state.Fire(t);
            afterEvent?.Invoke(i, state.Marking, state.Missing == 0);
        }
        if (_options.ReachFinalMarkingThroughSilent && !SameMarking(state.Marking, _net.Final))
        {
            TryReachFinal(state);
        }
        var missing = state.Missing;
        var consumed = state.Consumed;
        var remaining = 0;
        var final = _net.Final;
        for (var p = 0; p < final.Length; p++)
        {
            var have = state.Marking[p];
            if (have < final[p])
            {
                missing += final[p] - have;
            }
            else
            {
                remaining += have - final[p];
            }
            consumed += final[p];
        }
        return new TraceReplay(state.Produced, consumed, missing, remaining, _options.ConsiderRemainingInFitness, [.. notInModel]);
    }

    /// <summary>Among transitions sharing a label, the first enabled one, else the first.</summary>
    private int Choose(int[] candidates, int[] marking)
    {
        foreach (var t in candidates)
        {
            if (_net.IsEnabled(t, marking))
            {
                return t;
            }
        }
        return candidates[0];
    }

    /// <summary>
    /// The enabling heuristic: candidate paths are the shortest silent paths from
    /// each marked place to each input place of <paramref name="t"/> that lacks
    /// tokens, shortest first (ties by place id, so the result does not depend on
    /// the order the net lists its places). A first sweep fires what is enabled
    /// along the paths in turn, stopping when <paramref name="t"/> is enabled or a
    /// path fires nothing; if that is not enough, a second sweep over the paths
    /// from the new marking enables the silent transitions on them recursively
    /// (to <see cref="TokenReplayOptions.MaxSilentRecursion"/> levels). A silent
    /// transition fires at most once per attempt.
    /// </summary>
    private void EnableThroughSilent(int t, State state, int depth, HashSet<int> fired)
    {
        if (depth >= _options.MaxSilentRecursion || !fired.Add(t))
        {
            return;
        }
        var paths = PathsToMissing(t, state.Marking);
        if (paths.Count == 0)
        {
            return;
        }
        foreach (var path in paths)
        {
            var changed = false;
            foreach (var u in path)
            {
                if (u != t && !fired.Contains(u) && _net.IsEnabled(u, state.Marking))
                {
                    state.Fire(u);
                    fired.Add(u);
                    changed = true;
                }
                if (_net.IsEnabled(t, state.Marking))
                {
                    return;
                }
            }
            if (!changed)
            {
                break;
            }
        }
        if (_net.IsEnabled(t, state.Marking))
        {
            return;
        }
        foreach (var path in PathsToMissing(t, state.Marking))
        {
            foreach (var u in path)
            {
                if (u == t || fired.Contains(u))
                {
                    continue;
                }
                if (!_net.IsEnabled(u, state.Marking))
                {
                    EnableThroughSilent(u, state, depth + 1, fired);
                }
                if (_net.IsEnabled(u, state.Marking))
                {
                    state.Fire(u);
                    fired.Add(u);
                }
            }
        }
    }

    /// <summary>Shortest silent paths from marked places to the places <paramref name="t"/> lacks tokens in, shortest first.</summary>
    private List<int[]> PathsToMissing(int t, int[] marking)
    {
        var ins = _net.InPlaces[t];
        var ws = _net.InWeights[t];
        var missing = new List<int>(ins.Length);
        for (var i = 0; i < ins.Length; i++)
        {
            if (marking[ins[i]] < ws[i])
            {
                missing.Add(ins[i]);
            }
        }
        missing.Sort((a, b) => _idRank[a].CompareTo(_idRank[b]));
        var result = new List<int[]>();
        foreach (var s in _placesById)
        {
            if (marking[s] == 0)
            {
                continue;
            }
            foreach (var q in missing)
            {
                if (_paths.Path(s, q) is { } path)
                {
                    result.Add(path);
                }
            }
        }
        return StableByLength(result);
    }

    private static List<int[]> StableByLength(List<int[]> paths) => paths.Count < 2 ? paths : [.. paths.OrderBy(p => p.Length)];

    private static bool SameMarking(int[] a, int[] b) => a.AsSpan().SequenceEqual(b);

    /// <summary>The marking and the counters of a replay in progress.</summary>
    private sealed class State
    {
        private readonly CompiledNet _net;

        public State(CompiledNet net)
        {
            _net = net;
            Marking = (int[])net.Initial.Clone();
            foreach (var n in net.Initial)
            {
                Produced += n;
            }
        }

        public int[] Marking { get; }

        public int Produced { get; private set; }

        public int Consumed { get; private set; }

        public int Missing { get; private set; }

        public void Fire(int t)
        {
            _net.Fire(t, Marking);
            Consumed += _net.ConsumedBy[t];
            Produced += _net.ProducedBy[t];
        }

        public void InsertMissing(int t)
        {
            var ps = _net.InPlaces[t];
            var ws = _net.InWeights[t];
            for (var i = 0; i < ps.Length; i++)
            {
                var lack = ws[i] - Marking[ps[i]];
                if (lack > 0)
                {
                    Missing += lack;
                    Marking[ps[i]] += lack;
                }
            }
        }

    }
}

