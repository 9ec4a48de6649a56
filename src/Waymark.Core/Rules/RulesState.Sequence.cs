namespace Waymark.Core.Rules;

/// <summary>
/// Sequences (Flink CEP's and Esper's semantics, named in the rule
/// document): every event that matches the first step starts a partial
/// match; events between steps are handled by the contiguity; a step with
/// atLeast moves on as soon as the next step matches (reluctant). After a
/// match every partial match of the rule in the session is dropped (Flink's
/// skip-past-last-event), so the events of one match never count again.
/// <para>
/// Partial matches are bounded without losing matches: of two in the same
/// state (same step, same count), the one that started later and took its
/// last event later can complete whenever the other can, so the other is
/// dropped; of two waits, the one due first fires first and any event that
/// cancels one cancels both. So a rule keeps at most one partial match per
/// state of its pattern, plus one wait, and the bound
/// (<see cref="RuleSettings.MaxPartialMatches"/>) only matters for patterns
/// with per-step windows or more states than it; beyond it, the partial match
/// that started first (the first to expire) goes.
/// </para>
/// </summary>
internal sealed partial class RulesState
{
    /// <summary>Event ids a match reports at most: the first seven and the last.</summary>
    public const int MaxIds = 8;

    private Candidate? OnSequence(int rule, SequencePattern p, Slot slot, ref EventView v, long now)
    {
        // Events the pattern does not consider are not "the next event" of its
        // steps, but an absent or idle wait still hears them.
        var considered = p.Considers(v.Event.Type);
        var st = slot.Rules?[rule] as SequenceState;
        if (!considered && st is not { Waiting: > 0 })
        {
            return null;
        }
        var n = p.Steps.Length;
        var id = v.Event.EventId;
        Run? done = null;
        if (st is { Count: > 0 })
        {
            var existing = st.Count;
            for (var k = 0; k < existing; k++)
            {
                var r = st.Runs[k];
                if (r.Step < 0)
                {
                    continue;
                }
                if (r.Step == n)
                {
                    if (p.End!.Cancel.Matches(ref v))
                    {
                        st.Runs[k].Step = -1;
                    }
                    continue;
                }
                if (!considered)
                {
                    continue;
                }
                if (p.Within is { } w && now - r.Start > w.Ticks)
                {
                    st.Runs[k].Step = -1;
                    continue;
                }
                var step = p.Steps[r.Step];
                var canNext = r.Taken >= step.Min && r.Step + 1 < n && Takes(p.Steps[r.Step + 1], first: true, r.Last, now, ref v);
                var canRepeat = (!canNext || p.Contiguity == Contiguity.Any) && r.Taken < step.Max && Takes(step, first: r.Taken == 0, r.Last, now, ref v);
                if (p.Contiguity == Contiguity.Any)
                {
                    // Skip till any match: the run stays as it was (it skipped
                    // the event) and each way of taking the event is a fork.
                    if (canNext)
                    {
                        var f = Fork(r);
                        f.Step++;
                        f.Taken = 1;
                        Take(ref f, now, id);
                        Settle(p, ref f, now, st, ref done);
                    }
                    if (canRepeat)
                    {
                        var f = Fork(r);
                        f.Taken++;
                        Take(ref f, now, id);
                        Settle(p, ref f, now, st, ref done);
                    }
                    continue;
                }
                if (canNext)
                {
                    r.Step++;
                    r.Taken = 1;
                }
                else if (canRepeat)
                {
                    r.Taken++;
                }
                else
                {
                    if (p.Contiguity == Contiguity.Strict)
                    {
                        st.Runs[k].Step = -1;
                    }
                    continue;
                }
                Take(ref r, now, id);
                st.Runs[k].Step = -1;
                Settle(p, ref r, now, st, ref done);
            }
        }
        if (considered && done is null && p.Steps[0].Match.Matches(ref v))
        {
            var r = new Run { Step = 0, Taken = 1, Start = now, Last = now, Ids = p.IdCapacity == 0 ? [] : new string?[p.IdCapacity] };
            Take(ref r, now, id);
            st ??= slot.Get<SequenceState>(rule, _set.Enabled.Length);
            Settle(p, ref r, now, st, ref done);
        }
        if (done is { } match)
        {
            st!.Clear();
            return new Candidate(rule, slot, match.Start, match.Last, match.Ids, match.IdCount, 0);
        }
        st?.Compact(p, _set.Settings.MaxPartialMatches);
        return null;
    }

    /// <summary>Whether a step takes the event: its matcher, and for the step's first event its window since the step before.</summary>
    private static bool Takes(SequenceStep step, bool first, long last, long now, ref EventView v) =>
        (!first || step.Within is not { } w || now - last <= w.Ticks) && step.Match.Matches(ref v);

    /// <summary>
    /// Moves a run past every step it has satisfied that cannot take more
    /// (times reached, or atLeast reached on the last step) and files it: a
    /// completed match (the earliest-started one wins), a wait, or a partial match.
    /// </summary>
    private static void Settle(SequencePattern p, ref Run r, long now, SequenceState st, ref Run? done)
    {
        var n = p.Steps.Length;
        while (r.Step < n && r.Taken >= p.Steps[r.Step].Min && (p.Steps[r.Step].Max == p.Steps[r.Step].Min || r.Step == n - 1))
        {
            r.Step++;
            r.Taken = 0;
        }
        if (r.Step < n)
        {
            st.Add(r);
        }
        else if (p.End is { } end)
        {
            r.Due = now + end.For.Ticks;
            st.Add(r);
        }
        else if (done is not { } d || r.Start < d.Start)
        {
            done = r;
        }
    }

    private static void Take(ref Run r, long now, string id)
    {
        r.Last = now;
        if (r.Ids.Length > 0)
        {
            r.Ids[Math.Min(r.IdCount, r.Ids.Length - 1)] = id;
        }
        r.IdCount++;
    }

    private static Run Fork(in Run r)
    {
        var f = r;
        f.Ids = r.Ids.Length == 0 ? r.Ids : (string?[])r.Ids.Clone();
        return f;
    }

    /// <summary>
    /// Fires the waits due before <paramref name="dueBefore"/>: each fires if
    /// its session was still active at its due time, else it is dropped.
    /// Fired or dropped, the rule's partial matches in that session go with it.
    /// </summary>
    private void FireDue(long now, long dueBefore, Journeys.JourneyContext context)
    {
        List<Candidate>? candidates = null;
        var inactivity = _logic.Options.SessionInactivity.Ticks;
        for (var s = _slots; s is not null; s = s.Next)
        {
            if (s.Rules is null)
            {
                continue;
            }
            for (var i = 0; i < s.Rules.Length; i++)
            {
                if (s.Rules[i] is not SequenceState { Waiting: > 0 } st || st.EarliestWait() is not { } k || st.Runs[k].Due >= dueBefore)
                {
                    continue;
                }
                var r = st.Runs[k];
                if (!s.Session.Ended && r.Due - s.Session.End.UtcTicks <= inactivity)
                {
                    (candidates ??= []).Add(new Candidate(i, s, r.Start, r.Last, r.Ids, r.IdCount, r.Due));
                }
                st.Clear();
            }
        }
        if (candidates is not null)
        {
            Decide(candidates, context, now);
        }
    }

    /// <summary>One partial match: the step it waits for and what it took; Step is the step count while it waits at the end, -1 once dropped.</summary>
    internal struct Run
    {
        public int Step;
        public int Taken;
        public long Start;
        public long Last;
        public long Due;
        public string?[] Ids;
        public int IdCount;
    }
}
