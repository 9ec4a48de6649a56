namespace Waymark.Core.Funnels;

/// <summary>How far one case got.</summary>
/// <param name="CaseId">The case.</param>
/// <param name="FurthestStep">0-based index of the furthest step reached; −1 when the case never entered.</param>
/// <param name="StepTimes">Per step, when it happened on the chosen path; null when not reached or skipped (optional).</param>
/// <param name="StepEvents">Per step, the index of its event in the case's events; −1 when not reached or skipped.</param>
/// <param name="Segment">The case's breakdown value.</param>
public sealed record FunnelCaseResult(
    string CaseId,
    int FurthestStep,
    IReadOnlyList<DateTimeOffset?> StepTimes,
    IReadOnlyList<int> StepEvents,
    string? Segment)
{
    /// <summary>The case reached the first step.</summary>
    public bool Entered => FurthestStep >= 0;
    /// <summary>The case reached the last step.</summary>
    public bool Converted => FurthestStep == StepTimes.Count - 1;
}

/// <summary>
/// Evaluates a funnel on cases (definitions.md, "Funnels"). A case enters at its
/// first step-1 event and counts once; from there it reaches the furthest step
/// it can within the windows, and of the paths that get that far the earliest
/// (each step's event as early as possible, in step order). Exclusions and
/// step windows are judged per path: a customer who adds to the cart, empties
/// it (excluded) and adds again still reaches checkout through the second add.
/// </summary>
public static partial class Funnel
{
    /// <summary>Every case's result, in the order given.</summary>
    public static IReadOnlyList<FunnelCaseResult> Evaluate(FunnelDefinition definition, IEnumerable<FunnelCase> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ThrowIfInvalid(definition);
        return cases.Select(c => EvaluateValid(definition, c)).ToList();
    }

    /// <summary>One case's result.</summary>
    public static FunnelCaseResult Evaluate(FunnelDefinition definition, FunnelCase funnelCase)
    {
        ThrowIfInvalid(definition);
        return EvaluateValid(definition, funnelCase);
    }

    private static void ThrowIfInvalid(FunnelDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var problems = definition.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(definition));
        }
    }

    private static FunnelCaseResult EvaluateValid(FunnelDefinition d, FunnelCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var events = InTimeOrder(c.Events);
        var m = d.Steps.Count;
        var times = new DateTimeOffset?[m];
        var chosen = Enumerable.Repeat(-1, m).ToArray();

        // The held value is fixed by the first step-1 event that carries the property.
        string? held = null;
        var entry = -1;
        for (var i = 0; i < events.Count; i++)
        {
            if (d.Steps[0].Matches(events[i]) && HeldValue(d, events[i], out var v))
            {
                entry = i;
                held = v;
                break;
            }
        }
        if (entry < 0)
        {
            return new FunnelCaseResult(c.Id, -1, times, chosen, c.Segment);
        }

        var furthest = d.Order == FunnelOrder.Any
            ? AnyOrder(d, events, entry, held, chosen)
            : InOrder(d, events, entry, held, chosen);
        for (var k = 0; k < m; k++)
        {
            times[k] = chosen[k] >= 0 ? events[chosen[k]].Timestamp : null;
        }
        return new FunnelCaseResult(c.Id, furthest, times, chosen, c.Segment);
    }

    // Strict and ordered: reachability over (step, event) pairs forwards, then
    // backwards from the furthest step, then the earliest path through the pairs
    // that lead there.
    private static int InOrder(FunnelDefinition d, IReadOnlyList<FunnelEvent> events, int entry, string? held, int[] chosen)
    {
        var m = d.Steps.Count;
        var deadline = events[entry].Timestamp + d.ConversionWindow;
        var candidates = new List<int>[m];
        candidates[0] = [entry];
        for (var k = 1; k < m; k++)
        {
            candidates[k] = [];
            for (var i = entry + 1; i < events.Count && events[i].Timestamp <= deadline; i++)
            {
                if (d.Steps[k].Matches(events[i]) && SameHeld(d, events[i], held))
                {
                    candidates[k].Add(i);
                }
            }
        }
        // excluded[k][i]: how many events before i are exclusions of step k (a prefix count).
        var excluded = new int[m][];
        for (var k = 1; k < m; k++)
        {
            if (d.Steps[k].ExcludedBefore.Count == 0)
            {
                continue;
            }
            excluded[k] = new int[events.Count + 1];
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                var hit = d.Steps[k].ExcludedBefore.Any(x => x.Matches(e)) && ExclusionApplies(d, e, held);
                excluded[k][i + 1] = excluded[k][i] + (hit ? 1 : 0);
            }
        }

        bool Transition(int from, int a, int to, int b)
        {
            if (b <= a || (d.Order == FunnelOrder.Strict && b != a + 1))
            {
                return false;
            }
            if (d.Steps[to].MaxTimeFromPrevious is { } w && events[b].Timestamp - events[a].Timestamp > w)
            {
                return false;
            }
            // Skipping optional steps puts their exclusions in the same gap.
            for (var k = from + 1; k <= to; k++)
            {
                if (excluded[k] is { } x && x[b] - x[a + 1] > 0)
                {
                    return false;
                }
            }
            return true;
        }

        // Every constraint on a transition a → b (b after a, b right after a when
        // strict, the step window, no exclusion in between) only gets easier as a
        // moves later or b earlier. So the latest reachable a before b is the only
        // predecessor worth trying, and the earliest leading b after a the only
        // successor: each step pair is one merge-like sweep, not all pairs.

        // Forward: reach[k][j] — candidate j of step k is on some valid path from the entry.
        var reach = new bool[m][];
        reach[0] = [true];
        var furthest = 0;
        for (var k = 1; k < m; k++)
        {
            reach[k] = new bool[candidates[k].Count];
            foreach (var from in Predecessors(d, k))
            {
                var latest = -1;
                var p = 0;
                for (var j = 0; j < candidates[k].Count; j++)
                {
                    var b = candidates[k][j];
                    for (; p < candidates[from].Count && candidates[from][p] < b; p++)
                    {
                        if (reach[from][p])
                        {
                            latest = candidates[from][p];
                        }
                    }
                    if (!reach[k][j] && latest >= 0 && Transition(from, latest, k, b))
                    {
                        reach[k][j] = true;
                    }
                }
            }
            if (Array.IndexOf(reach[k], true) >= 0)
            {
                furthest = k;
            }
        }

        // Backward: lead[k][j] — and from it a valid path goes on to the furthest step.
        var lead = new bool[m][];
        lead[furthest] = reach[furthest];
        for (var k = furthest - 1; k >= 0; k--)
        {
            lead[k] = new bool[candidates[k].Count];
            foreach (var to in Successors(d, k, furthest))
            {
                var earliest = -1;
                var q = candidates[to].Count - 1;
                for (var j = candidates[k].Count - 1; j >= 0; j--)
                {
                    var a = candidates[k][j];
                    for (; q >= 0 && candidates[to][q] > a; q--)
                    {
                        if (lead[to][q])
                        {
                            earliest = candidates[to][q];
                        }
                    }
                    if (reach[k][j] && !lead[k][j] && earliest >= 0 && Transition(k, a, to, earliest))
                    {
                        lead[k][j] = true;
                    }
                }
            }
        }

        // The earliest path: from each chosen event the earliest next event that still
        // leads on (ties between steps go to the earlier step: an optional step done is kept).
        chosen[0] = entry;
        var (step, at) = (0, entry);
        while (step < furthest)
        {
            var best = (Step: -1, Event: int.MaxValue);
            foreach (var to in Successors(d, step, furthest))
            {
                for (var i = 0; i < candidates[to].Count; i++)
                {
                    var b = candidates[to][i];
                    if (b > at && lead[to][i])
                    {
                        if (b < best.Event && Transition(step, at, to, b))
                        {
                            best = (to, b);
                        }
                        break;
                    }
                }
            }
            (step, at) = best;
            chosen[step] = at;
        }
        return furthest;
    }

    // Steps a path can come to step k from: the previous one, or further back over optional steps.
    private static IEnumerable<int> Predecessors(FunnelDefinition d, int k)
    {
        for (var from = k - 1; from >= 0; from--)
        {
            yield return from;
            if (!d.Steps[from].Optional)
            {
                yield break;
            }
        }
    }

    // Steps a path can go to from step k, in step order: the next one, or further on over optional steps.
    private static IEnumerable<int> Successors(FunnelDefinition d, int k, int last)
    {
        for (var to = k + 1; to <= last; to++)
        {
            yield return to;
            if (!d.Steps[to].Optional)
            {
                yield break;
            }
        }
    }

    private static bool HeldValue(FunnelDefinition d, FunnelEvent e, out string? value)
    {
        value = null;
        return d.HoldConstant is null || (e.Properties?.TryGetValue(d.HoldConstant, out value) ?? false);
    }

    private static bool SameHeld(FunnelDefinition d, FunnelEvent e, string? held) =>
        d.HoldConstant is null || (HeldValue(d, e, out var v) && string.Equals(v, held, StringComparison.Ordinal));

    private static bool ExclusionApplies(FunnelDefinition d, FunnelEvent e, string? held) =>
        d.HoldConstant is null || !HeldValue(d, e, out var v) || string.Equals(v, held, StringComparison.Ordinal);

    private static IReadOnlyList<FunnelEvent> InTimeOrder(IReadOnlyList<FunnelEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        for (var i = 1; i < events.Count; i++)
        {
            if (events[i].Timestamp < events[i - 1].Timestamp)
            {
                // Stable: events at the same instant keep their order.
                return events.OrderBy(e => e.Timestamp).ToList();
            }
        }
        return events;
    }
}
