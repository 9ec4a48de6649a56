namespace Waymark.Core.Mining;

/// <summary>
/// The directly-follows graph of a log (definitions.md): an edge a→b counted
/// once per occurrence of b directly after a in a case, with the time between
/// the two events; start and end activities counted per case.
/// </summary>
public sealed class DirectlyFollowsGraph
{
    private DirectlyFollowsGraph(List<DfgEdge> edges, Dictionary<string, int> starts, Dictionary<string, int> ends, Dictionary<string, int> activities)
    {
        Edges = edges;
        StartActivities = starts;
        EndActivities = ends;
        ActivityCounts = activities;
    }

    /// <summary>Edges, most frequent first (ties in order of first occurrence).</summary>
    public IReadOnlyList<DfgEdge> Edges { get; }

    /// <summary>First activity of each case, with the number of cases.</summary>
    public IReadOnlyDictionary<string, int> StartActivities { get; }

    /// <summary>Last activity of each case, with the number of cases.</summary>
    public IReadOnlyDictionary<string, int> EndActivities { get; }

    /// <summary>Occurrences of each activity.</summary>
    public IReadOnlyDictionary<string, int> ActivityCounts { get; }

    /// <summary>Builds the graph; durations need both events' timestamps, pairs without them only count.</summary>
    /// <param name="log">The log.</param>
    /// <param name="classifier">What an activity is; the activity name by default.</param>
    /// <param name="clock">How the time between two events is measured; see <see cref="DurationClock"/>.</param>
    public static DirectlyFollowsGraph Discover(EventLog log, EventClassifier? classifier = null, DurationClock clock = DurationClock.Elapsed)
    {
        ArgumentNullException.ThrowIfNull(log);
        classifier ??= EventClassifier.Activity;
        var index = new Dictionary<(string, string), int>();
        var acc = new List<(string From, string To, int Count, List<long> Ticks)>();
        var starts = new Dictionary<string, int>(StringComparer.Ordinal);
        var ends = new Dictionary<string, int>(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var trace in log.Traces)
        {
            var events = trace.Events;
            if (events.Count == 0)
            {
                continue;
            }
            string? previous = null;
            DateTimeOffset? previousTime = null;
            foreach (var e in events)
            {
                var a = classifier.Classify(e);
                counts[a] = counts.GetValueOrDefault(a) + 1;
                if (previous is not null)
                {
                    if (!index.TryGetValue((previous, a), out var k))
                    {
                        k = acc.Count;
                        index.Add((previous, a), k);
                        acc.Add((previous, a, 0, []));
                    }
                    var entry = acc[k];
                    entry.Count++;
                    if (previousTime is { } t0 && e.Timestamp is { } t1)
                    {
                        entry.Ticks.Add(clock == DurationClock.WallClock ? (t1.DateTime - t0.DateTime).Ticks : (t1 - t0).Ticks);
                    }
                    acc[k] = entry;
                }
                previous = a;
                previousTime = e.Timestamp;
            }
            var first = classifier.Classify(events[0]);
            starts[first] = starts.GetValueOrDefault(first) + 1;
            ends[previous!] = ends.GetValueOrDefault(previous!) + 1;
        }
        var edges = new List<DfgEdge>(acc.Count);
        foreach (var (from, to, count, ticks) in acc)
        {
            edges.Add(new DfgEdge(from, to, count, DurationStats.FromTicks(ticks)));
        }
        // List.Sort is not stable; order by (count desc, first occurrence).
        var ordered = edges.Select((e, i) => (e, i)).OrderByDescending(x => x.e.Frequency).ThenBy(x => x.i).Select(x => x.e).ToList();
        return new DirectlyFollowsGraph(ordered, starts, ends, counts);
    }
}

/// <summary>How durations between events are measured.</summary>
public enum DurationClock
{
    /// <summary>Real elapsed time between the two instants (UTC offsets applied).</summary>
    Elapsed = 0,

    /// <summary>
    /// The difference of the local clock times as written, ignoring UTC
    /// offsets: what PM4Py 2.7 reports when a log mixes offsets (e.g. across a
    /// daylight-saving change, as reviewing.xes does). Use it to compare with PM4Py.
    /// </summary>
    WallClock = 1,
}

/// <summary>One directly-follows edge; <see cref="Durations"/> is null when no pair had both timestamps.</summary>
public sealed record DfgEdge(string From, string To, int Frequency, DurationStats? Durations);

/// <summary>Mean, median, minimum and maximum of a set of durations, in seconds.</summary>
public sealed record DurationStats(double MeanSeconds, double MedianSeconds, double MinSeconds, double MaxSeconds, int Count)
{
    /// <summary>
    /// Summary of durations given in ticks; null for none. The sum is exact
    /// (integer ticks) so the mean is one rounding from the true value; the
    /// median of an even count is the mean of the two middle values.
    /// </summary>
    public static DurationStats? FromTicks(List<long> ticks)
    {
        ArgumentNullException.ThrowIfNull(ticks);
        if (ticks.Count == 0)
        {
            return null;
        }
        ticks.Sort();
        Int128 sum = 0;
        foreach (var t in ticks)
        {
            sum += t;
        }
        var n = ticks.Count;
        var mean = (double)sum / TimeSpan.TicksPerSecond / n;
        var median = n % 2 == 1
            ? Seconds(ticks[n / 2])
            : (Seconds(ticks[(n / 2) - 1]) + Seconds(ticks[n / 2])) / 2;
        return new DurationStats(mean, median, Seconds(ticks[0]), Seconds(ticks[^1]), n);
    }

    private static double Seconds(long ticks) => (double)ticks / TimeSpan.TicksPerSecond;
}
