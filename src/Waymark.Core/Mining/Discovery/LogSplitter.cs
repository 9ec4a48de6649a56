namespace Waymark.Core.Mining.Discovery;

/// <summary>
/// Splits a sub-log along a cut into one sub-log per part. With noise some
/// traces do not fit the cut; the splits then drop the deviating events as
/// IMf's splitters do (Leemans et al. 2013, "...containing infrequent behaviour").
/// </summary>
internal static class LogSplitter
{
    public static List<SubLog> Split(SubLog log, Dfg dfg, Cut cut)
    {
        var part = PartOf(dfg, cut);
        return cut.Operator switch
        {
            ProcessTreeOperator.Exclusive => Exclusive(log, part, cut.Groups.Count),
            ProcessTreeOperator.Sequence => Sequence(log, part, cut.Groups.Count),
            ProcessTreeOperator.Parallel => Parallel(log, part, cut.Groups.Count),
            ProcessTreeOperator.Loop => Loop(log, part, cut.Groups),
            _ => throw new ArgumentOutOfRangeException(nameof(cut)),
        };
    }

    // Part index per global activity id (only the sub-log's activities are looked up).
    private static Dictionary<int, int> PartOf(Dfg dfg, Cut cut)
    {
        var part = new Dictionary<int, int>(dfg.K);
        for (var p = 0; p < cut.Groups.Count; p++)
        {
            foreach (var local in cut.Groups[p])
            {
                part[dfg.Acts[local]] = p;
            }
        }
        return part;
    }

    private static List<SubLog> NewLogs(int n) => [.. Enumerable.Range(0, n).Select(_ => new SubLog())];

    /// <summary>Each trace goes to the part holding most of its events (the first such part on a tie), keeping only those events.</summary>
    private static List<SubLog> Exclusive(SubLog log, Dictionary<int, int> part, int n)
    {
        var logs = NewLogs(n);
        var counts = new int[n];
        for (var v = 0; v < log.Count; v++)
        {
            var t = log.Trace(v);
            Array.Clear(counts);
            foreach (var a in t)
            {
                counts[part[a]]++;
            }
            var best = 0;
            for (var p = 1; p < n; p++)
            {
                if (counts[p] > counts[best])
                {
                    best = p;
                }
            }
            logs[best].Add(Project(t, 0, t.Length, part, best), log.Multiplicity(v));
        }
        return logs;
    }

    /// <summary>
    /// Each trace is cut into consecutive pieces, one per part; each cut point is
    /// where the events kept for the part minus the events dropped is largest
    /// (the earliest such point), the last part takes the rest.
    /// </summary>
    private static List<SubLog> Sequence(SubLog log, Dictionary<int, int> part, int n)
    {
        var logs = NewLogs(n);
        for (var v = 0; v < log.Count; v++)
        {
            var t = log.Trace(v);
            var start = 0;
            for (var p = 0; p < n; p++)
            {
                var end = p == n - 1 ? t.Length : SplitPoint(t, start, part, p);
                logs[p].Add(Project(t, start, end, part, p), log.Multiplicity(v));
                start = end;
            }
        }
        return logs;
    }

    private static int SplitPoint(int[] t, int start, Dictionary<int, int> part, int p)
    {
        int cost = 0, best = 0, at = start;
        for (var i = start; i < t.Length; i++)
        {
            cost += part[t[i]] == p ? -1 : 1;
            if (cost < best)
            {
                best = cost;
                at = i + 1;
            }
        }
        return at;
    }

    /// <summary>
    /// Each trace is projected on each part. As PM4Py 2.7.14 does (the IMf
    /// reference trees depend on it), a projection that several variants share
    /// takes the count of the last of them, not the sum.
    /// </summary>
    private static List<SubLog> Parallel(SubLog log, Dictionary<int, int> part, int n)
    {
        var logs = NewLogs(n);
        for (var v = 0; v < log.Count; v++)
        {
            var t = log.Trace(v);
            for (var p = 0; p < n; p++)
            {
                logs[p].Set(Project(t, 0, t.Length, part, p), log.Multiplicity(v));
            }
        }
        return logs;
    }

    /// <summary>
    /// Each trace is cut wherever it passes between the do part and the redo
    /// parts: the do pieces form the do log (one per visit, a trailing empty one
    /// included), each redo piece goes to the redo part sharing most distinct
    /// activities with it (the later part on a tie).
    /// </summary>
    private static List<SubLog> Loop(SubLog log, Dictionary<int, int> part, List<List<int>> groups)
    {
        var n = groups.Count;
        var logs = NewLogs(n);
        var doPiece = new List<int>();
        var redoPiece = new List<int>();
        for (var v = 0; v < log.Count; v++)
        {
            var t = log.Trace(v);
            var m = log.Multiplicity(v);
            doPiece.Clear();
            redoPiece.Clear();
            foreach (var a in t)
            {
                if (part[a] == 0)
                {
                    doPiece.Add(a);
                    if (redoPiece.Count > 0)
                    {
                        AddRedo(logs, part, redoPiece, m);
                    }
                }
                else
                {
                    redoPiece.Add(a);
                    if (doPiece.Count > 0)
                    {
                        logs[0].Add([.. doPiece], m);
                        doPiece.Clear();
                    }
                }
            }
            if (redoPiece.Count > 0)
            {
                AddRedo(logs, part, redoPiece, m);
            }
            logs[0].Add([.. doPiece], m);
        }
        return logs;
    }

    private static void AddRedo(List<SubLog> logs, Dictionary<int, int> part, List<int> piece, long m)
    {
        var shared = new int[logs.Count];
        foreach (var a in piece.Distinct())
        {
            shared[part[a]]++;
        }
        var best = 1;
        for (var p = 2; p < logs.Count; p++)
        {
            if (shared[p] >= shared[best])
            {
                best = p;
            }
        }
        logs[best].Add([.. piece], m);
        piece.Clear();
    }

    private static int[] Project(int[] t, int from, int to, Dictionary<int, int> part, int p)
    {
        var r = new List<int>(to - from);
        for (var i = from; i < to; i++)
        {
            if (part[t[i]] == p)
            {
                r.Add(t[i]);
            }
        }
        return [.. r];
    }
}
