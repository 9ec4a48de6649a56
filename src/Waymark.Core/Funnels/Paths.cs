namespace Waymark.Core.Funnels;

/// <summary>Options of <see cref="Paths"/>.</summary>
public sealed class PathOptions
{
    /// <summary>Levels shown before the anchor.</summary>
    public int StepsBefore { get; set; } = 3;
    /// <summary>Levels shown after the anchor.</summary>
    public int StepsAfter { get; set; } = 3;
    /// <summary>Per level, the most frequent this-many labels keep their name; the rest become <see cref="Paths.Other"/>.</summary>
    public int TopLabelsPerLevel { get; set; } = 8;
    /// <summary>Repeats of the same label in a row count once (a reloaded page, a burst of the same action).</summary>
    public bool CollapseRepeats { get; set; } = true;
    /// <summary>An event's label, or null to leave the event out; by default its name, else its type.</summary>
    public Func<FunnelEvent, string?>? Label { get; set; }
}

/// <summary>A case's events and the index of the event the paths are centred on.</summary>
public readonly record struct PathAnchor(IReadOnlyList<FunnelEvent> Events, int Index);

/// <summary>A Sankey node: a label at a level (0 is the anchor, −1 the step before, 1 the step after).</summary>
public sealed record SankeyNode(int Level, string Label, int Count);

/// <summary>A Sankey link between nodes of neighbouring levels, counted in cases.</summary>
public sealed record SankeyLink(int FromLevel, string FromLabel, int ToLevel, string ToLabel, int Count);

/// <summary>Nodes and links of a Sankey diagram.</summary>
public sealed record SankeyGraph(IReadOnlyList<SankeyNode> Nodes, IReadOnlyList<SankeyLink> Links);

/// <summary>
/// Paths: what cases do before and after a chosen step, as a Sankey diagram.
/// Each case contributes one node per level (at most) and one link between
/// neighbouring levels; a journey that begins or ends within the depth shows
/// <see cref="Start"/> or <see cref="End"/>, so drop-off is visible.
/// </summary>
public static class Paths
{
    /// <summary>The node of labels beyond the top N of a level.</summary>
    public const string Other = "(other)";
    /// <summary>The node before a case's first event.</summary>
    public const string Start = "(start)";
    /// <summary>The node after a case's last event.</summary>
    public const string End = "(end)";

    /// <summary>Paths around a funnel step: every case that did the step, anchored at its event for that step.</summary>
    public static SankeyGraph AroundStep(IEnumerable<FunnelCase> cases, IEnumerable<FunnelCaseResult> results, int step, PathOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(results);
        var byId = new Dictionary<string, FunnelCase>(StringComparer.Ordinal);
        foreach (var c in cases)
        {
            byId.TryAdd(c.Id, c);
        }
        var anchors = results
            .Where(r => step < r.StepEvents.Count && r.StepEvents[step] >= 0 && byId.ContainsKey(r.CaseId))
            .Select(r => new PathAnchor(InOrder(byId[r.CaseId].Events), r.StepEvents[step]));
        return Around(anchors, options);
    }

    /// <summary>Paths around anchors chosen by the caller.</summary>
    public static SankeyGraph Around(IEnumerable<PathAnchor> anchors, PathOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        var o = options ?? new PathOptions();
        var label = o.Label ?? (e => e.Name ?? e.Type);
        var paths = new List<List<(int Level, string Label)>>();
        foreach (var a in anchors)
        {
            if (a.Index < 0 || a.Index >= a.Events.Count || label(a.Events[a.Index]) is not { } anchorLabel)
            {
                continue;
            }
            var before = Side(a.Events, a.Index, -1, o.StepsBefore, anchorLabel, label, o.CollapseRepeats);
            var after = Side(a.Events, a.Index, +1, o.StepsAfter, anchorLabel, label, o.CollapseRepeats);
            var path = new List<(int, string)>(before.Count + after.Count + 1);
            for (var i = before.Count - 1; i >= 0; i--)
            {
                path.Add((-(i + 1), before[i]));
            }
            path.Add((0, anchorLabel));
            for (var i = 0; i < after.Count; i++)
            {
                path.Add((i + 1, after[i]));
            }
            paths.Add(path);
        }

        // Per level, keep the top N labels; the markers always keep their own node.
        var keep = paths.SelectMany(p => p)
            .Where(n => n.Label is not (Start or End))
            .GroupBy(n => n.Level)
            .ToDictionary(
                g => g.Key,
                g => g.GroupBy(n => n.Label, StringComparer.Ordinal)
                    .OrderByDescending(l => l.Count()).ThenBy(l => l.Key, StringComparer.Ordinal)
                    .Take(o.TopLabelsPerLevel).Select(l => l.Key).ToHashSet(StringComparer.Ordinal));
        string Bucket(int level, string l) => l is Start or End || keep[level].Contains(l) ? l : Other;

        var nodes = new Dictionary<(int, string), int>();
        var links = new Dictionary<(int, string, string), int>();
        foreach (var path in paths)
        {
            for (var i = 0; i < path.Count; i++)
            {
                var (level, l) = path[i];
                var node = (level, Bucket(level, l));
                nodes[node] = nodes.GetValueOrDefault(node) + 1;
                if (i > 0)
                {
                    var from = Bucket(path[i - 1].Level, path[i - 1].Label);
                    var link = (path[i - 1].Level, from, node.Item2);
                    links[link] = links.GetValueOrDefault(link) + 1;
                }
            }
        }
        return new SankeyGraph(
            nodes.Select(n => new SankeyNode(n.Key.Item1, n.Key.Item2, n.Value))
                .OrderBy(n => n.Level).ThenByDescending(n => n.Count).ThenBy(n => n.Label, StringComparer.Ordinal).ToList(),
            links.Select(l => new SankeyLink(l.Key.Item1, l.Key.Item2, l.Key.Item1 + 1, l.Key.Item3, l.Value))
                .OrderBy(l => l.FromLevel).ThenByDescending(l => l.Count).ThenBy(l => l.FromLabel, StringComparer.Ordinal).ThenBy(l => l.ToLabel, StringComparer.Ordinal).ToList());
    }

    // The labels on one side of the anchor, nearest first, with Start/End when
    // the journey runs out within the depth.
    private static List<string> Side(IReadOnlyList<FunnelEvent> events, int anchor, int direction, int depth, string anchorLabel, Func<FunnelEvent, string?> label, bool collapse)
    {
        var result = new List<string>(depth);
        var previous = anchorLabel;
        for (var i = anchor + direction; result.Count < depth; i += direction)
        {
            if (i < 0 || i >= events.Count)
            {
                result.Add(direction < 0 ? Start : End);
                break;
            }
            if (label(events[i]) is not { } l || (collapse && string.Equals(l, previous, StringComparison.Ordinal)))
            {
                continue;
            }
            result.Add(l);
            previous = l;
        }
        return result;
    }

    private static IReadOnlyList<FunnelEvent> InOrder(IReadOnlyList<FunnelEvent> events)
    {
        for (var i = 1; i < events.Count; i++)
        {
            if (events[i].Timestamp < events[i - 1].Timestamp)
            {
                return events.OrderBy(e => e.Timestamp).ToList();
            }
        }
        return events;
    }
}
