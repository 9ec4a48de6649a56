namespace Waymark.Core.Mining;

internal sealed partial class TokenReplayer
{
    /// <summary>
    /// At the end of a trace: up to five rounds, each firing what is enabled along
    /// the shortest silent paths from marked places to the final marking's places
    /// (shortest first), until every final place has its tokens; then, for a
    /// single final place, up to five sweeps along the paths from each marked
    /// place to it, each path followed while its transitions are enabled.
    /// </summary>
    private void TryReachFinal(State state)
    {
        var final = _net.Final;
        for (var round = 0; round < 5 && !FinalPlacesCovered(state.Marking); round++)
        {
            var paths = new List<int[]>();
            foreach (var s in _placesById)
            {
                if (state.Marking[s] == 0)
                {
                    continue;
                }
                foreach (var q in _placesById)
                {
                    if (final[q] > 0 && _paths.Path(s, q) is { } path)
                    {
                        paths.Add(path);
                    }
                }
            }
            foreach (var path in StableByLength(paths))
            {
                foreach (var u in path)
                {
                    if (_net.IsEnabled(u, state.Marking))
                    {
                        state.Fire(u);
                    }
                }
                if (FinalPlacesCovered(state.Marking))
                {
                    break;
                }
            }
        }
        if (FinalPlacesCovered(state.Marking) || _finalPlaces.Length != 1)
        {
            return;
        }
        var sink = _finalPlaces[0];
        var toSink = new List<int[]>();
        foreach (var s in _placesById)
        {
            if (state.Marking[s] > 0 && _paths.Path(s, sink) is { } path)
            {
                toSink.Add(path);
            }
        }
        toSink = StableByLength(toSink);
        for (var sweep = 0; sweep < 5; sweep++)
        {
            foreach (var path in toSink)
            {
                foreach (var u in path)
                {
                    if (!_net.IsEnabled(u, state.Marking))
                    {
                        break;
                    }
                    state.Fire(u);
                }
            }
        }
    }

    private bool FinalPlacesCovered(int[] marking)
    {
        foreach (var q in _finalPlaces)
        {
            if (marking[q] < _net.Final[q])
            {
                return false;
            }
        }
        return true;
    }
}
