using Waymark.Core.Mining.Discovery;

namespace Waymark.Core.Tests.Mining.Discovery;

/// <summary>Small logs whose trees are worked out by hand from the cut and fall-through rules.</summary>
public sealed class InductiveMinerTests
{
    private static ProcessTree Mine(double noise, params (string Trace, long Count)[] variants) =>
        InductiveMiner.Discover(
            VariantLog.Create(variants.Select(v => ((IReadOnlyList<string>)[.. v.Trace.Select(c => c.ToString())], v.Count))),
            new InductiveMinerOptions { NoiseThreshold = noise });

    private static void AssertTree(string expected, ProcessTree actual) =>
        Assert.Equal(ProcessTree.Parse(expected).CanonicalForm(), actual.CanonicalForm());

    [Fact]
    public void Discover_OneActivity_IsThatLeaf()
    {
        Assert.Equal("'a'", Mine(0, ("a", 3)).ToString());
    }

    [Fact]
    public void Discover_NoTraces_IsTau()
    {
        Assert.True(InductiveMiner.Discover(VariantLog.Create([])).IsTau);
    }

    [Fact]
    public void Discover_SomeEmptyTraces_MakesTheRestOptional()
    {
        AssertTree("X( tau, 'a' )", Mine(0, ("a", 3), ("", 1)));
    }

    [Fact]
    public void Discover_SequenceChoiceParallelAndLoop_FindsEachCut()
    {
        AssertTree("->( 'a', 'b', 'c' )", Mine(0, ("abc", 1)));
        AssertTree("X( ->( 'a', 'b' ), 'c' )", Mine(0, ("ab", 1), ("c", 1)));
        AssertTree("->( 'a', +( 'b', 'c' ), 'd' )", Mine(0, ("abcd", 1), ("acbd", 1)));
        AssertTree("*( 'a', 'b' )", Mine(0, ("a", 1), ("aba", 1)));
    }

    [Fact]
    public void Discover_SkipOverSeveralSequenceParts_SkipsThemTogether()
    {
        // a→d jumps over b and c: PM4Py merges them into one optional part
        // rather than two separately optional ones.
        AssertTree("->( 'a', X( tau, ->( 'b', 'c' ) ), 'd' )", Mine(0, ("abcd", 1), ("ad", 1)));
    }

    [Fact]
    public void Discover_NoCutEndFollowedByStart_StrictTauLoop()
    {
        // a⇄b: no cut (the parallel parts would lack an end / a start); b (an end) is followed by a (a start).
        AssertTree("*( ->( 'a', 'b' ), tau )", Mine(0, ("abab", 1)));
    }

    [Fact]
    public void Discover_NoCutActivityOncePerTrace_PutsItInParallel()
    {
        // a occurs once in every trace; the rest ⟨b, c⟩, ⟨c⟩ is a sequence with b optional.
        AssertTree("+( 'a', ->( X( tau, 'b' ), 'c' ) )", Mine(0, ("abc", 10), ("ca", 1)));
    }

    [Fact]
    public void Discover_NoCutStartActivitiesInside_TauLoopOverPieces()
    {
        // Cut before every a or b after the first event: ⟨a⟩ ⟨a,c⟩ ⟨b⟩ and ⟨b,c⟩ ⟨a,c⟩ ⟨b⟩.
        AssertTree("*( ->( X( 'a', 'b' ), X( tau, 'c' ) ), tau )", Mine(0, ("aacb", 1), ("bcacb", 1)));
    }

    [Fact]
    public void Discover_ImfRareBackEdge_FiltersItAndFindsTheSequence()
    {
        // c→a (1) is below 0.2 × 10 (c's largest outgoing count, its end count); without it
        // the sequence a, b, c holds; ⟨c, a⟩ then leaves one empty trace (1 of 11) for a, b: dropped.
        AssertTree("+( 'a', ->( X( tau, 'b' ), 'c' ) )", Mine(0, ("abc", 10), ("ca", 1)));
        AssertTree("->( 'a', 'b', 'c' )", Mine(0.2, ("abc", 10), ("ca", 1)));
    }

    [Fact]
    public void Discover_ImfRareEmptyTraces_DropsThemUnlessAboveTheThreshold()
    {
        Assert.Equal("'a'", Mine(0.2, ("a", 9), ("", 1)).ToString());
        AssertTree("X( tau, 'a' )", Mine(0.05, ("a", 9), ("", 1)));
        AssertTree("X( tau, 'a' )", Mine(0, ("a", 9), ("", 1)));
    }

    [Fact]
    public void Discover_ImfParallelSplit_SharedProjectionTakesTheLastVariantsCount()
    {
        // +(a, b) splits ⟨a,b⟩×50, ⟨b,a⟩×2, ⟨b⟩×5. Summed, a's log would be ⟨a⟩×52, ⟨⟩×5 (5 ≤ 0.2 × 57:
        // dropped); PM4Py keeps the last count per projection, ⟨a⟩×2, ⟨⟩×5, so the empty traces stay.
        AssertTree("+( X( tau, 'a' ), 'b' )", Mine(0.2, ("ab", 50), ("ba", 2), ("b", 5)));
    }

    [Fact]
    public void Discover_NoiseThresholdOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Mine(1.0, ("a", 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Mine(-0.1, ("a", 1)));
    }

    [Fact]
    public void Create_SameSequenceTwice_AddsTheCounts()
    {
        var log = VariantLog.Create([(["b", "a"], 2), (["b", "a"], 3), (["c"], 1)]);

        Assert.Equal(2, log.VariantCount);
        Assert.Equal(6, log.CaseCount);
        Assert.Equal(["a", "b", "c"], log.Activities);
        Assert.Throws<ArgumentOutOfRangeException>(() => VariantLog.Create([(["a"], 0)]));
    }
}
