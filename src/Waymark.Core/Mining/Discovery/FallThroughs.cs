namespace Waymark.Core.Mining.Discovery;

/// <summary>
/// What the Inductive Miner does when no cut is found, tried in PM4Py's order:
/// an activity once per trace, an activity concurrent to the rest, a strict
/// τ-loop, a τ-loop, and last the flower model (Leemans 2017, ch. 5). Activities
/// are tried in ordinal order of their names.
/// </summary>
internal static class FallThroughs
{
    /// <summary>The result: the node to build and the sub-logs of its children (null child = τ).</summary>
    public sealed record Step(ProcessTreeOperator Operator, SubLog?[] Children);

    public static Step Apply(SubLog log, Dfg dfg) =>
        ActivityOncePerTrace(log, dfg)
        ?? ActivityConcurrent(log, dfg)
        ?? StrictTauLoop(log, dfg)
        ?? TauLoop(log, dfg)
        ?? Flower(dfg);

    /// <summary>An activity that occurs exactly once in every trace runs in parallel with the rest: +( a, rest ).</summary>
    private static Step? ActivityOncePerTrace(SubLog log, Dfg dfg)
    {
        foreach (var a in dfg.Acts)
        {
            var once = true;
            for (var v = 0; v < log.Count && once; v++)
            {
                var n = 0;
                foreach (var x in log.Trace(v))
                {
                    if (x == a)
                    {
                        n++;
                    }
                }
                once = n == 1;
            }
            if (once)
            {
                return new Step(ProcessTreeOperator.Parallel, [Only(log, a), Without(log, a)]);
            }
        }
        return null;
    }

    /// <summary>The first activity whose removal leaves a log in which a cut is found runs in parallel with the rest.</summary>
    private static Step? ActivityConcurrent(SubLog log, Dfg dfg)
    {
        if (dfg.K < 2)
        {
            return null;
        }
        foreach (var a in dfg.Acts)
        {
            var rest = Without(log, a);
            if (CutFinder.Find(Dfg.Of(rest).View()) is not null)
            {
                return new Step(ProcessTreeOperator.Parallel, [Only(log, a), rest]);
            }
        }
        return null;
    }

    /// <summary>Cut each trace between an end activity directly followed by a start activity: *( pieces, tau ).</summary>
    private static Step? StrictTauLoop(SubLog log, Dfg dfg) =>
        SplitLoop(log, (t, i) => dfg.Ends[dfg.Local(t[i - 1])] > 0 && dfg.Starts[dfg.Local(t[i])] > 0);

    /// <summary>Cut each trace before every start activity but the first event: *( pieces, tau ).</summary>
    private static Step? TauLoop(SubLog log, Dfg dfg) =>
        SplitLoop(log, (t, i) => dfg.Starts[dfg.Local(t[i])] > 0);

    /// <summary>Any activity, any number of times: *( X( a, b, ... ), tau ).</summary>
    private static Step Flower(Dfg dfg)
    {
        var each = new SubLog();
        foreach (var a in dfg.Acts)
        {
            each.Add([a], 1);
        }
        return new Step(ProcessTreeOperator.Loop, [each, null]);
    }

    // cutBefore(t, i): start a new piece at position i (i >= 1).
    private static Step? SplitLoop(SubLog log, Func<int[], int, bool> cutBefore)
    {
        var pieces = new SubLog();
        var split = false;
        for (var v = 0; v < log.Count; v++)
        {
            var t = log.Trace(v);
            var m = log.Multiplicity(v);
            var from = 0;
            for (var i = 1; i < t.Length; i++)
            {
                if (cutBefore(t, i))
                {
                    pieces.Add(t[from..i], m);
                    from = i;
                    split = true;
                }
            }
            pieces.Add(t[from..], m);
        }
        return split ? new Step(ProcessTreeOperator.Loop, [pieces, null]) : null;
    }

    private static SubLog Only(SubLog log, int a) => Filter(log, x => x == a);

    private static SubLog Without(SubLog log, int a) => Filter(log, x => x != a);

    private static SubLog Filter(SubLog log, Func<int, bool> keep)
    {
        var r = new SubLog();
        for (var v = 0; v < log.Count; v++)
        {
            r.Add([.. log.Trace(v).Where(keep)], log.Multiplicity(v));
        }
        return r;
    }
}
