using System.Text.Json;
using Waymark.Core.Mining;

namespace Waymark.Core.Tests.Mining;

public sealed class DirectlyFollowsGraphTests
{
    [Theory]
    [MemberData(nameof(ReferenceData.LogNames), MemberType = typeof(ReferenceData))]
    public void Discover_ReferenceLog_MatchesPm4pyEdgesFrequenciesAndDurations(string log)
    {
        var expected = ReferenceData.Log(log).GetProperty("dfg");

        var dfg = DirectlyFollowsGraph.Discover(ReferenceData.ReadLog(log), clock: DurationClock.WallClock);

        Assert.Equal(expected.GetProperty("edges").GetInt32(), dfg.Edges.Count);
        Assert.Equal(expected.GetProperty("edge_frequency_sum").GetInt32(), dfg.Edges.Sum(e => e.Frequency));
        Assert.Equal(expected.GetProperty("self_loops").GetInt32(), dfg.Edges.Count(e => e.From == e.To));
        Assert.Equal(Counts(expected.GetProperty("start_activities")), dfg.StartActivities.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.Equal(Counts(expected.GetProperty("end_activities")), dfg.EndActivities.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        var edges = dfg.Edges.ToDictionary(e => (e.From, e.To));
        foreach (var x in expected.GetProperty("edge_list").EnumerateArray())
        {
            var edge = edges[(x.GetProperty("from").GetString()!, x.GetProperty("to").GetString()!)];
            Assert.Equal(x.GetProperty("frequency").GetInt32(), edge.Frequency);
            if (x.GetProperty("mean_seconds").ValueKind == JsonValueKind.Null)
            {
                Assert.Null(edge.Durations);
                continue;
            }
            var d = edge.Durations!;
            Assert.Equal(x.GetProperty("mean_seconds").GetDouble(), d.MeanSeconds);
            Assert.Equal(x.GetProperty("median_seconds").GetDouble(), d.MedianSeconds);
            Assert.Equal(x.GetProperty("min_seconds").GetDouble(), d.MinSeconds);
            Assert.Equal(x.GetProperty("max_seconds").GetDouble(), d.MaxSeconds);
        }
    }

    [Fact]
    public void Discover_HandBuiltLog_CountsEachDirectSuccessionAndTimesIt()
    {
        var t0 = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var log = LogBuilder.Timed(
            [("a", t0), ("b", t0.AddSeconds(10)), ("a", t0.AddSeconds(40)), ("b", t0.AddSeconds(41))],
            [("a", t0), ("c", t0.AddSeconds(5))]);

        var dfg = DirectlyFollowsGraph.Discover(log);

        var ab = dfg.Edges[0];
        Assert.Equal(("a", "b", 2), (ab.From, ab.To, ab.Frequency));
        Assert.Equal(5.5, ab.Durations!.MeanSeconds);     // (10 + 1) / 2
        Assert.Equal(5.5, ab.Durations.MedianSeconds);    // even count: mean of the middle two
        Assert.Equal(1, ab.Durations.MinSeconds);
        Assert.Equal(10, ab.Durations.MaxSeconds);
        Assert.Equal(3, dfg.Edges.Count);                 // a→b, b→a, a→c
        Assert.Equal(2, dfg.StartActivities["a"]);
        Assert.Equal(1, dfg.EndActivities["b"]);
        Assert.Equal(1, dfg.EndActivities["c"]);
    }

    [Fact]
    public void Discover_PairAcrossDaylightSavingChange_ElapsedCountsTheRealHourWallClockDoesNot()
    {
        // 02:00 CET is 01:00 UTC; 03:30 CEST is 01:30 UTC: half an hour passed, the clock moved 1.5 h.
        var log = LogBuilder.Timed([
            ("a", new DateTimeOffset(2024, 3, 31, 2, 0, 0, TimeSpan.FromHours(1))),
            ("b", new DateTimeOffset(2024, 3, 31, 3, 30, 0, TimeSpan.FromHours(2)))]);

        Assert.Equal(1800, DirectlyFollowsGraph.Discover(log).Edges[0].Durations!.MeanSeconds);
        Assert.Equal(5400, DirectlyFollowsGraph.Discover(log, clock: DurationClock.WallClock).Edges[0].Durations!.MeanSeconds);
    }

    [Fact]
    public void Discover_EventsWithoutTimestamps_CountButHaveNoDurations()
    {
        var dfg = DirectlyFollowsGraph.Discover(LogBuilder.Of("ab", "ab"));

        Assert.Equal(2, dfg.Edges.Single().Frequency);
        Assert.Null(dfg.Edges[0].Durations);
    }

    private static IEnumerable<KeyValuePair<string, int>> Counts(JsonElement obj) =>
        obj.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetInt32())).OrderBy(kv => kv.Key, StringComparer.Ordinal);
}
