namespace Waymark.Core.Mining;

/// <summary>
/// A process map as Disco and Celonis draw it: the directly-follows graph
/// simplified by two sliders. The activity slider keeps the most frequent
/// activities (their share of the activities, most frequent first) and
/// removes the other events from the cases before the graph is counted, so
/// the edges are those of the projected log. The path slider then keeps the
/// most frequent edges, and for every activity kept its strongest incoming and
/// outgoing edge, so nothing on the map floats unconnected.
/// </summary>
public sealed record ProcessMap(
    IReadOnlyList<ProcessMapActivity> Activities,
    IReadOnlyList<DfgEdge> Edges,
    IReadOnlyDictionary<string, int> StartActivities,
    IReadOnlyDictionary<string, int> EndActivities,
    int Cases,
    int ActivitiesInLog,
    int EdgesInLog)
{
    /// <summary>Builds the map.</summary>
    /// <param name="log">The log.</param>
    /// <param name="activityShare">Share of the activities to keep, in [0, 1] (at least one is kept).</param>
    /// <param name="pathShare">Share of the edges between the kept activities to keep, in [0, 1].</param>
    /// <param name="classifier">What an activity is.</param>
    public static ProcessMap Build(EventLog log, double activityShare = 1, double pathShare = 1, EventClassifier? classifier = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (!(activityShare is >= 0 and <= 1) || !(pathShare is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(activityShare), "The slider shares are between 0 and 1.");
        }
        classifier ??= EventClassifier.Activity;
        var full = DirectlyFollowsGraph.Discover(log, classifier);
        var ranked = full.ActivityCounts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var keepCount = ranked.Count == 0 ? 0 : Math.Clamp((int)Math.Ceiling(activityShare * ranked.Count), 1, ranked.Count);
        var kept = ranked.Take(keepCount).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);

        var graph = keepCount == ranked.Count ? full : DirectlyFollowsGraph.Discover(Project(log, classifier, kept), EventClassifier.Activity);
        var edges = graph.Edges;
        var edgeKeep = edges.Count == 0 ? 0 : Math.Clamp((int)Math.Ceiling(pathShare * edges.Count), 0, edges.Count);
        var keep = new HashSet<DfgEdge>(edges.Take(edgeKeep));
        foreach (var a in kept)
        {
            // Edges are most frequent first: the first match is the strongest.
            if (edges.FirstOrDefault(e => e.From == a && e.To != a) is { } outgoing && !graph.EndActivities.ContainsKey(a))
            {
                keep.Add(outgoing);
            }
            if (edges.FirstOrDefault(e => e.To == a && e.From != a) is { } incoming && !graph.StartActivities.ContainsKey(a))
            {
                keep.Add(incoming);
            }
        }
        var activities = ranked.Where(kv => kept.Contains(kv.Key))
            .Select(kv => new ProcessMapActivity(kv.Key, kv.Value, graph.StartActivities.GetValueOrDefault(kv.Key), graph.EndActivities.GetValueOrDefault(kv.Key)))
            .ToList();
        return new ProcessMap(activities, [.. edges.Where(keep.Contains)], graph.StartActivities, graph.EndActivities,
            log.Traces.Count, ranked.Count, full.Edges.Count);
    }

    private static EventLog Project(EventLog log, EventClassifier classifier, HashSet<string> kept)
    {
        var projected = new EventLog();
        foreach (var t in log.Traces)
        {
            var trace = new LogTrace(t.CaseId);
            foreach (var e in t.Events)
            {
                var activity = classifier.Classify(e);
                if (kept.Contains(activity))
                {
                    trace.Events.Add(new LogEvent(activity) { Timestamp = e.Timestamp });
                }
            }
            if (trace.Events.Count > 0)
            {
                projected.Traces.Add(trace);
            }
        }
        return projected;
    }
}

/// <summary>An activity on the map: how often it occurs, starts and ends a case.</summary>
public sealed record ProcessMapActivity(string Name, int Frequency, int Starts, int Ends);
