namespace Waymark.Core.Mining;

/// <summary>
/// The activities a marking enables "eventually": visible transitions enabled
/// in it or after silent transitions, explored the way PM4Py 2.7 explores them
/// so precision matches its figures. That exploration is not a plain
/// reachability search: it walks a growing list of transitions in id order,
/// each paired with the marking it was last seen enabled in — a transition
/// seen enabled again later is re-paired with the newer marking, also for the
/// entries of it still waiting in the list. A silent transition is fired from
/// the marking it is paired with when its entry comes up, at most once per
/// (transition, marking). So an activity enabled only from an earlier marking
/// can be missed (on 11_tickets, "Closed" after "Resolve ticket"), and
/// PM4Py's precision counts it as not enabled. Memoised per marking; not
/// thread-safe (one per graph).
/// </summary>
internal sealed class EnabledActivities
{
    private readonly MarkingGraph _graph;
    private readonly int[] _activityOf;
    private readonly int[] _rank;
    private readonly Dictionary<int, HashSet<int>> _memo = [];

    public EnabledActivities(MarkingGraph graph, int[] activityOf)
    {
        _graph = graph;
        _activityOf = activityOf;
        var transitions = graph.Net.Source.Net.Transitions;
        var byId = Enumerable.Range(0, transitions.Count).OrderBy(t => transitions[t].Id, StringComparer.Ordinal).ToArray();
        _rank = new int[byId.Length];
        for (var r = 0; r < byId.Length; r++)
        {
            _rank[byId[r]] = r;
        }
    }

    /// <summary>Activity numbers (see <see cref="Alignments.ActivityOfTransition"/>) enabled eventually in <paramref name="marking"/>.</summary>
    public HashSet<int> Of(int marking)
    {
        if (_memo.TryGetValue(marking, out var known))
        {
            return known;
        }
        var result = new HashSet<int>();
        var list = new List<int>();
        var pairedWith = new Dictionary<int, int>();
        var done = new HashSet<long>();
        Append(marking, list, pairedWith);
        for (var i = 0; i < list.Count; i++)
        {
            var t = list[i];
            var m = pairedWith[t];
            if (!done.Add(((long)t << 32) | (uint)m))
            {
                continue;
            }
            if (_activityOf[t] >= 0)
            {
                result.Add(_activityOf[t]);
                continue;
            }
            var (transitions, successors) = _graph.Expand(m);
            var k = Array.IndexOf(transitions, t);
            Append(successors[k], list, pairedWith);
        }
        _memo[marking] = result;
        return result;
    }

    /// <summary>Appends the transitions enabled in <paramref name="marking"/>, in id order, and pairs each with it.</summary>
    private void Append(int marking, List<int> list, Dictionary<int, int> pairedWith)
    {
        var (transitions, _) = _graph.Expand(marking);
        var sorted = (int[])transitions.Clone();
        Array.Sort(sorted, (a, b) => _rank[a].CompareTo(_rank[b]));
        foreach (var t in sorted)
        {
            list.Add(t);
            pairedWith[t] = marking;
        }
    }
}
