using Waymark.Core.Mining;
using Waymark.Core.Mining.Discovery;

namespace Waymark.Core.Tests.Mining.Discovery;

/// <summary>Nets worked out by hand from the construction and PM4Py's reduction.</summary>
public sealed class ProcessTreeToPetriNetTests
{
    private static AcceptingPetriNet Convert(string tree) => ProcessTreeToPetriNet.Convert(ProcessTree.Parse(tree));

    private static (int Places, int Visible, int Silent, int Arcs) Size(AcceptingPetriNet n) =>
        (n.Net.Places.Count, n.Net.Transitions.Count(t => !t.IsSilent), n.Net.Transitions.Count(t => t.IsSilent), n.Net.Arcs.Count);

    [Fact]
    public void Convert_Sequence_ChainsPlacesFromSourceToSink()
    {
        var n = Convert("->( 'a', 'b' )");

        Assert.Equal((3, 2, 0, 4), Size(n));
        var a = n.Net.Transitions.Single(t => t.Label == "a");
        Assert.Equal("source", a.InArcs.Single().Source.Id);
        Assert.Equal("sink", n.Net.Transitions.Single(t => t.Label == "b").OutArcs.Single().Target.Id);
    }

    [Fact]
    public void Convert_OptionalActivity_SkipSharesItsPlaces()
    {
        var n = Convert("X( tau, 'a' )");

        Assert.Equal((2, 1, 1, 4), Size(n));
        Assert.StartsWith("skip_", n.Net.Transitions.Single(t => t.IsSilent).Id, StringComparison.Ordinal);
    }

    [Fact]
    public void Convert_ParallelInsideSequence_SplitAndJoinMergeIntoTheNeighbours()
    {
        // a → (b ∥ c) → d: the silent split has a's place as its only input, the join d's only input
        // place as its output, so both are reduced away: a forks, d joins.
        var n = Convert("->( 'a', +( 'b', 'c' ), 'd' )");

        Assert.Equal((6, 4, 0, 10), Size(n));
        Assert.Equal(2, n.Net.Transitions.Single(t => t.Label == "a").OutArcs.Count);
        Assert.Equal(2, n.Net.Transitions.Single(t => t.Label == "d").InArcs.Count);
    }

    [Fact]
    public void Convert_LoopAsWholeTree_SilentStepFromSourceAndExitToSink()
    {
        // source –τ→ D –a→ E, E –b→ D, E –skip→ sink (init_loop, loop and the final τ reduced away).
        var n = Convert("*( 'a', 'b' )");

        Assert.Equal((4, 2, 2, 8), Size(n));
        Assert.Equal("tau_1", n.Net.FindPlace("source")!.OutArcs.Single().Target.Id);
        Assert.StartsWith("skip_", n.Net.FindPlace("sink")!.InArcs.Single().Source.Id, StringComparison.Ordinal);
    }

    [Fact]
    public void Convert_LoopNet_ReplaysRepetitionsWithoutMissingTokens()
    {
        var n = Convert("*( 'a', 'b' )");

        var replay = TokenReplay.Apply(LogBuilder.Of("a", "aba", "ababa"), n);

        Assert.Equal(0, replay.Missing);
        Assert.Equal(0, replay.Remaining);
        Assert.Equal(100.0, replay.PercentageOfFittingTraces);
    }

    [Fact]
    public void Convert_DiscoveredFromLog_ReplaysTheLogPerfectly()
    {
        var log = LogBuilder.Of("abcd", "acbd", "abcbcd", "ad");
        var tree = InductiveMiner.Discover(log);

        var replay = TokenReplay.Apply(log, ProcessTreeToPetriNet.Convert(tree));

        Assert.Equal(1.0, replay.LogFitness);
    }
}
