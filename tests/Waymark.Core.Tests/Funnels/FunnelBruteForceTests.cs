using Waymark.Core.Funnels;
using static Waymark.Core.Tests.Funnels.FunnelTestData;

namespace Waymark.Core.Tests.Funnels;

/// <summary>
/// The evaluator against the definition applied naively: every path from the
/// entry is enumerated, and the furthest step with the earliest path wins.
/// </summary>
public sealed class FunnelBruteForceTests
{
    [Theory]
    [InlineData(FunnelOrder.Ordered)]
    [InlineData(FunnelOrder.Strict)]
    public void Evaluate_RandomSmallCases_SameAsEnumeratingEveryPath(FunnelOrder order)
    {
        var rng = new Random(order == FunnelOrder.Strict ? 11 : 5);
        string[] alphabet = ["a", "b", "c", "d", "x"];
        for (var trial = 0; trial < 400; trial++)
        {
            var steps = new[]
            {
                Step("a"),
                Step("b", optional: rng.Next(2) == 0, within: rng.Next(3) == 0 ? TimeSpan.FromMinutes(3) : null),
                Step("c", optional: rng.Next(3) == 0, excluded: rng.Next(2) == 0 ? ["x"] : []),
                Step("d", within: rng.Next(2) == 0 ? TimeSpan.FromMinutes(4) : null, excluded: rng.Next(3) == 0 ? ["x"] : []),
            };
            var d = Define(order, steps) with { ConversionWindow = TimeSpan.FromMinutes(rng.Next(2) == 0 ? 12 : 60) };
            var minute = 0.0;
            var events = Enumerable.Range(0, 3 + rng.Next(8)).Select(_ =>
            {
                minute += rng.Next(4); // some events share a minute
                return E(minute, alphabet[rng.Next(alphabet.Length)]);
            }).ToList();

            var actual = Funnel.Evaluate(d, new FunnelCase("t" + trial, events));
            var (furthest, path) = BruteForce(d, events);
            var context = $"trial {trial}: {string.Join(" ", events.Select(e => $"{e.Name}@{(e.Timestamp - T0).TotalMinutes}"))}";
            Assert.True(furthest == actual.FurthestStep, $"{context}: furthest {actual.FurthestStep}, expected {furthest}");
            Assert.True(path.SequenceEqual(actual.StepEvents), $"{context}: path {string.Join(",", actual.StepEvents)}, expected {string.Join(",", path)}");
        }
    }

    private static (int Furthest, int[] Path) BruteForce(FunnelDefinition d, List<FunnelEvent> events)
    {
        var m = d.Steps.Count;
        var entry = events.FindIndex(e => d.Steps[0].Matches(e));
        if (entry < 0)
        {
            return (-1, Enumerable.Repeat(-1, m).ToArray());
        }
        var deadline = events[entry].Timestamp + d.ConversionWindow;
        var best = (Furthest: 0, Path: new List<(int Event, int Step)> { (entry, 0) });

        bool Ok(int from, int a, int to, int b)
        {
            if (events[b].Timestamp > deadline || (d.Order == FunnelOrder.Strict && b != a + 1))
            {
                return false;
            }
            if (d.Steps[to].MaxTimeFromPrevious is { } w && events[b].Timestamp - events[a].Timestamp > w)
            {
                return false;
            }
            for (var i = a + 1; i < b; i++)
            {
                for (var k = from + 1; k <= to; k++)
                {
                    if (d.Steps[k].ExcludedBefore.Any(x => x.Matches(events[i])))
                    {
                        return false;
                    }
                }
            }
            return true;
        }

        void Walk(int step, int at, List<(int Event, int Step)> path)
        {
            if (step > best.Furthest || (step == best.Furthest && Earlier(path, best.Path)))
            {
                best = (step, [.. path]);
            }
            for (var to = step + 1; to < m; to++)
            {
                for (var b = at + 1; b < events.Count; b++)
                {
                    if (d.Steps[to].Matches(events[b]) && Ok(step, at, to, b))
                    {
                        path.Add((b, to));
                        Walk(to, b, path);
                        path.RemoveAt(path.Count - 1);
                    }
                }
                if (!d.Steps[to].Optional)
                {
                    break;
                }
            }
        }

        Walk(0, entry, [(entry, 0)]);
        var result = Enumerable.Repeat(-1, m).ToArray();
        foreach (var (e, s) in best.Path)
        {
            result[s] = e;
        }
        return (best.Furthest, result);
    }

    // Lexicographic on (event, step): the earliest event first, then the earlier step.
    private static bool Earlier(List<(int Event, int Step)> a, List<(int Event, int Step)> b)
    {
        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            if (a[i] != b[i])
            {
                return a[i].Event < b[i].Event || (a[i].Event == b[i].Event && a[i].Step < b[i].Step);
            }
        }
        return false;
    }
}
