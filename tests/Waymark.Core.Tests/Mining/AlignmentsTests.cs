using Waymark.Core.Mining;

namespace Waymark.Core.Tests.Mining;

public sealed class AlignmentsTests
{
    [Theory]
    [MemberData(nameof(ReferenceData.ModelPairs), MemberType = typeof(ReferenceData))]
    public void Apply_ReferenceLogAndNet_MatchesPm4pyCostsMovesAndFitness(string log, string net)
    {
        var reference = ReferenceData.Model(log, net);
        var totals = reference.GetProperty("alignment_totals");
        var fitness = reference.GetProperty("alignment_fitness");

        var result = Alignments.Apply(ReferenceData.ReadLog(log), ReferenceData.ReadNet(net));

        Assert.Equal(0, result.UnalignedCases);
        Assert.Equal(totals.GetProperty("sum_cost_raw").GetInt64(), result.SumCost);
        Assert.Equal(totals.GetProperty("sum_bwc_raw").GetInt64(), result.SumBestWorstCost);
        Assert.Equal(totals.GetProperty("sync_moves").GetInt64(), result.SynchronousMoves);
        Assert.Equal(totals.GetProperty("log_moves").GetInt64(), result.LogMoves);
        Assert.Equal(totals.GetProperty("visible_model_moves").GetInt64(), result.VisibleModelMoves);
        Assert.Equal(totals.GetProperty("silent_model_moves").GetInt64(), result.SilentModelMoves);
        Assert.Equal(totals.GetProperty("fit_traces").GetInt32(), result.FittingCases);
        Assert.Equal(fitness.GetProperty("log_fitness").GetDouble(), result.LogFitness, 1e-9);
        Assert.Equal(fitness.GetProperty("average_trace_fitness").GetDouble(), result.AverageTraceFitness, 1e-9);
        Assert.Equal(fitness.GetProperty("percentage_of_fitting_traces").GetDouble(), result.PercentageOfFittingTraces, 1e-9);
    }

    [Fact]
    public void Apply_SkippedActivity_OneVisibleModelMove()
    {
        // ⟨a, c⟩ on a → b → c: b is skipped. bwc = 2·10000 + 30000 (the model's cheapest run is a, b, c).
        var result = Alignments.Apply(LogBuilder.Of("ac"), NetBuilder.Sequence());

        var a = result.ForTrace(0);
        Assert.Equal(10000, a.Cost);
        Assert.Equal(50000, a.BestWorstCost);
        Assert.Equal(1 - (1.0 / 5), a.Fitness);
        Assert.False(a.IsFit);
        Assert.Equal([MoveKind.Synchronous, MoveKind.Model, MoveKind.Synchronous], a.Moves.Select(m => m.Kind));
        Assert.Equal("b", a.Moves[1].Transition!.Label);
        Assert.Equal(["b"], a.Skipped);
        Assert.Empty(a.Unexpected);
        Assert.Equal(new Deviation(DeviationKind.Skipped, "b", 1, 1), result.Deviations().Single());
    }

    [Fact]
    public void Apply_SilentSkip_CostsOneAndStillFits()
    {
        // The cheapest model run is a, τ, c: 20001. Log fitness is 1 − 1 / (20000 + 20001).
        var result = Alignments.Apply(LogBuilder.Of("ac"), NetBuilder.OptionalB());

        var a = result.ForTrace(0);
        Assert.Equal(1, a.Cost);
        Assert.Equal(40001, a.BestWorstCost);
        Assert.True(a.IsFit);
        Assert.Equal(1, a.SilentModelMoves);
        Assert.Equal(1 - (1.0 / 40001), result.LogFitness, 1e-15);
        Assert.Empty(result.Deviations());
    }

    [Fact]
    public void Apply_UnexpectedActivity_LogMoveRankedByCases()
    {
        var result = Alignments.Apply(LogBuilder.Of("axbc", "axbc", "abc", "abxc"), NetBuilder.Sequence());

        Assert.Equal(1, result.ForTrace(0).LogMoves);
        Assert.Equal(["x"], result.ForTrace(0).Unexpected);
        Assert.Empty(result.ForTrace(2).Unexpected);
        Assert.Equal(1, result.FittingCases);
        Assert.Equal(25.0, result.PercentageOfFittingTraces);
        Assert.Equal(new Deviation(DeviationKind.Unexpected, "x", 3, 3), result.Deviations().Single());
        Assert.Equal(3 * 10000, result.SumCost);
    }

    [Fact]
    public void Apply_SwappedParallelActivities_FitWithoutDeviation()
    {
        var result = Alignments.Apply(LogBuilder.Of("acbd"), NetBuilder.ParallelBC());

        Assert.Equal(2, result.ForTrace(0).Cost); // the τ split and the τ join
        Assert.True(result.ForTrace(0).IsFit);
    }

    [Fact]
    public void Apply_StateBoundTooSmall_ReportsBoundReachedForTheTrace()
    {
        var result = Alignments.Apply(LogBuilder.Of("xxxxxxxx"), NetBuilder.Sequence(), options: new AlignmentOptions { MaxStatesPerTrace = 5 });

        Assert.Equal(AlignmentStatus.BoundReached, result.ForTrace(0).Status);
        Assert.Equal(1, result.UnalignedCases);
        Assert.Equal(0, result.AlignedCases);
        Assert.Empty(result.ForTrace(0).Moves);
    }

    [Fact]
    public void Apply_FinalMarkingUnreachable_SaysSo()
    {
        var net = NetBuilder.Workflow(("a", ["source"], ["p1"])); // nothing ever marks sink

        var result = Alignments.Apply(LogBuilder.Of("a"), net);

        Assert.Equal(AlignmentStatus.FinalMarkingUnreachable, result.ForTrace(0).Status);
    }
}
