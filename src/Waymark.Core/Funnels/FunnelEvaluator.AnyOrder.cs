namespace Waymark.Core.Funnels;

public static partial class Funnel
{
    // Any order: the window opens at the earliest funnel event that still has the
    // entry (the first step-1 event) inside it. A case reaches step k when steps
    // 1…k (optional ones may be missing) each have their own event in the window:
    // one event cannot be two steps. Events are assigned by bipartite matching
    // (augmenting paths, Kuhn 1955), trying earlier events first, so a broad
    // step does not take the only event a narrow step could use.
    private static int AnyOrder(FunnelDefinition d, IReadOnlyList<FunnelEvent> events, int entry, string? held, int[] chosen)
    {
        var m = d.Steps.Count;
        var entryTime = events[entry].Timestamp;
        var start = entry;
        for (var i = 0; i < entry; i++)
        {
            if (events[i].Timestamp >= entryTime - d.ConversionWindow && SameHeld(d, events[i], held) && d.Steps.Any(s => s.Matches(events[i])))
            {
                start = i;
                break;
            }
        }
        var deadline = events[start].Timestamp + d.ConversionWindow;
        var candidates = new List<int>[m];
        for (var k = 0; k < m; k++)
        {
            candidates[k] = [];
            for (var i = start; i < events.Count && events[i].Timestamp <= deadline; i++)
            {
                if (d.Steps[k].Matches(events[i]) && SameHeld(d, events[i], held))
                {
                    candidates[k].Add(i);
                }
            }
        }
        var owner = new Dictionary<int, int>();
        var furthest = -1;
        for (var k = 0; k < m; k++)
        {
            if (Augment(k, candidates, owner, chosen, []))
            {
                furthest = k;
            }
            else if (!d.Steps[k].Optional)
            {
                break;
            }
        }
        // Steps matched past the furthest required gap do not count.
        for (var k = furthest + 1; k < m; k++)
        {
            chosen[k] = -1;
        }
        return furthest;
    }

    private static bool Augment(int step, List<int>[] candidates, Dictionary<int, int> owner, int[] chosen, HashSet<int> visited)
    {
        foreach (var e in candidates[step])
        {
            if (!visited.Add(e))
            {
                continue;
            }
            if (!owner.TryGetValue(e, out var other) || Augment(other, candidates, owner, chosen, visited))
            {
                owner[e] = step;
                chosen[step] = e;
                return true;
            }
        }
        return false;
    }
}
