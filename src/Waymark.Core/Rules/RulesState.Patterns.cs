namespace Waymark.Core.Rules;

internal sealed partial class RulesState
{
    /// <summary>
    /// A threshold: each matching event is counted; the rule matches when the
    /// count reaches atLeast, in the session or within the sliding window, and
    /// the count starts again (the events of a match never count twice).
    /// </summary>
    private Candidate? OnCount(int rule, CountPattern p, Slot slot, ref EventView v, long now)
    {
        if (!p.Match.Matches(ref v))
        {
            return null;
        }
        var st = slot.Get<CountState>(rule, _set.Enabled.Length);
        if (st.Ids.Length == 0)
        {
            st.Ids = new string?[Math.Min(MaxIds, p.AtLeast)];
            st.Times = p.Within is null ? [] : new long[p.AtLeast];
        }
        if (p.Within is { } w)
        {
            // Forget the counted events that fell out of the window.
            while (st.N > 0 && now - st.Times[st.Head] > w.Ticks)
            {
                st.Head = (st.Head + 1) % st.Times.Length;
                st.N--;
            }
            st.Times[(st.Head + st.N) % st.Times.Length] = now;
        }
        else if (st.N == 0)
        {
            st.First = now;
        }
        st.N++;
        st.Ids[st.IdTotal % st.Ids.Length] = v.Event.EventId;
        st.IdTotal++;
        if (st.N < p.AtLeast)
        {
            return null;
        }
        var first = p.Within is null ? st.First : st.Times[st.Head];
        // The ring holds the latest ids; the signal lists them oldest first.
        var ids = new string?[Math.Min(st.Ids.Length, st.IdTotal)];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = st.Ids[(st.IdTotal - ids.Length + i) % st.Ids.Length];
        }
        st.N = 0;
        st.Head = 0;
        st.IdTotal = 0;
        Array.Clear(st.Ids);
        return new Candidate(rule, slot, first, now, ids, p.AtLeast, 0);
    }

    /// <summary>A count's events in one session: their times (only with a window) and their latest ids.</summary>
    internal sealed class CountState : RuleSessionState
    {
        public long[] Times = [];
        public string?[] Ids = [];
        public int Head;
        public int N;
        public int IdTotal;
        public long First;
    }

    /// <summary>A sequence's partial matches in one session.</summary>
    internal sealed class SequenceState : RuleSessionState
    {
        public Run[] Runs = [];
        public int Count;
        /// <summary>Partial matches waiting at the end (absent or idle); counted by <see cref="Compact"/>.</summary>
        public int Waiting;

        public void Add(in Run r)
        {
            if (Count == Runs.Length)
            {
                Array.Resize(ref Runs, Math.Max(1, Runs.Length * 2));
            }
            Runs[Count++] = r;
            if (r.Due != 0)
            {
                Waiting++;
            }
        }

        public void Clear()
        {
            Array.Clear(Runs, 0, Count);
            Count = 0;
            Waiting = 0;
        }

        public int? EarliestWait()
        {
            int? best = null;
            for (var k = 0; k < Count; k++)
            {
                if (Runs[k].Step >= 0 && Runs[k].Due != 0 && (best is not { } b || Runs[k].Due < Runs[b].Due))
                {
                    best = k;
                }
            }
            return best;
        }

        public long EarliestDue() => EarliestWait() is { } k ? Runs[k].Due : 0;

        /// <summary>Drops dropped runs, dominated runs, and beyond the bound the run that started first.</summary>
        public void Compact(SequencePattern p, int max)
        {
            for (var x = 0; x < Count; x++)
            {
                for (var y = 0; y < Count && Runs[x].Step >= 0; y++)
                {
                    if (x != y && Runs[y].Step >= 0 && Dominates(p, Runs[y], Runs[x], y < x))
                    {
                        Runs[x].Step = -1;
                    }
                }
            }
            var alive = 0;
            for (var k = 0; k < Count; k++)
            {
                if (Runs[k].Step >= 0)
                {
                    Runs[alive++] = Runs[k];
                }
            }
            Array.Clear(Runs, alive, Count - alive);
            Count = alive;
            while (Count > max)
            {
                var victim = -1;
                for (var k = 0; k < Count; k++)
                {
                    var r = Runs[k];
                    if (victim < 0
                        || (r.Due == 0 && (Runs[victim].Due != 0 || r.Start < Runs[victim].Start))
                        || (r.Due != 0 && Runs[victim].Due != 0 && r.Due > Runs[victim].Due))
                    {
                        victim = k;
                    }
                }
                Array.Copy(Runs, victim + 1, Runs, victim, Count - victim - 1);
                Runs[--Count] = default;
            }
            Waiting = 0;
            for (var k = 0; k < Count; k++)
            {
                if (Runs[k].Due != 0)
                {
                    Waiting++;
                }
            }
        }

        /// <summary>
        /// Whether <paramref name="y"/> can complete whenever <paramref name="x"/>
        /// can. Start only counts under a pattern window, Last only under step
        /// windows; between equals the earlier start stays (the longer match, as Flink reports it).
        /// </summary>
        private static bool Dominates(SequencePattern p, in Run y, in Run x, bool yFirst)
        {
            if (y.Step != x.Step)
            {
                return false;
            }
            if (x.Due != 0)
            {
                return y.Due < x.Due || (y.Due == x.Due && (y.Start < x.Start || (y.Start == x.Start && yFirst)));
            }
            var min = p.Steps[x.Step].Min;
            if (Math.Min(y.Taken, min) != Math.Min(x.Taken, min))
            {
                return false;
            }
            var byStart = p.Within is null ? 0 : y.Start.CompareTo(x.Start);
            var byLast = p.HasStepWindows ? y.Last.CompareTo(x.Last) : 0;
            if (byStart < 0 || byLast < 0)
            {
                return false;
            }
            return byStart > 0 || byLast > 0 || y.Start < x.Start || (y.Start == x.Start && yFirst);
        }
    }
}
