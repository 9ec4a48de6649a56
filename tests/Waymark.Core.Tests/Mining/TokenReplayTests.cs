using Waymark.Core.Mining;

namespace Waymark.Core.Tests.Mining;

public sealed class TokenReplayTests
{
    [Theory]
    [MemberData(nameof(ReferenceData.ModelPairs), MemberType = typeof(ReferenceData))]
    public void Apply_ReferenceLogAndNet_MatchesPm4pyTokenTotalsAndFitness(string log, string net)
    {
        var reference = ReferenceData.Model(log, net);
        var totals = reference.GetProperty("tbr_token_totals");
        var fitness = reference.GetProperty("tbr_fitness");

        var result = TokenReplay.Apply(ReferenceData.ReadLog(log), ReferenceData.ReadNet(net));

        Assert.Equal(totals.GetProperty("produced_tokens").GetInt64(), result.Produced);
        Assert.Equal(totals.GetProperty("consumed_tokens").GetInt64(), result.Consumed);
        Assert.Equal(totals.GetProperty("missing_tokens").GetInt64(), result.Missing);
        Assert.Equal(totals.GetProperty("remaining_tokens").GetInt64(), result.Remaining);
        Assert.Equal(totals.GetProperty("fit_traces").GetInt32(), result.FittingCases);
        Assert.Equal(fitness.GetProperty("log_fitness").GetDouble(), result.LogFitness);
        Assert.Equal(fitness.GetProperty("average_trace_fitness").GetDouble(), result.AverageTraceFitness, 1e-12);
        Assert.Equal(fitness.GetProperty("percentage_of_fitting_traces").GetDouble(), result.PercentageOfFittingTraces, 1e-12);
    }

    [Fact]
    public void Apply_SkippedActivity_OneMissingOneRemaining()
    {
        // ⟨a, c⟩ on a → b → c: c lacks the token b would have produced, and a's token stays.
        var result = TokenReplay.Apply(LogBuilder.Of("ac"), NetBuilder.Sequence());

        var trace = result.ForTrace(0);
        Assert.Equal((3, 3, 1, 1), (trace.Produced, trace.Consumed, trace.Missing, trace.Remaining));
        Assert.False(trace.IsFit);
        Assert.Equal(2.0 / 3, trace.Fitness, 1e-15);
    }

    [Fact]
    public void Apply_SilentSkipNeeded_FiresItInsteadOfInsertingTokens()
    {
        var result = TokenReplay.Apply(LogBuilder.Of("ac", "abc"), NetBuilder.OptionalB());

        Assert.Equal((4, 4, 0, 0), (result.ForTrace(0).Produced, result.ForTrace(0).Consumed, result.ForTrace(0).Missing, result.ForTrace(0).Remaining));
        Assert.True(result.ForTrace(1).IsFit);
        Assert.Equal(1.0, result.LogFitness);
        Assert.Equal(100.0, result.PercentageOfFittingTraces);
    }

    [Fact]
    public void Apply_ParallelBranchesInEitherOrder_FitThroughSilentSplitAndJoin()
    {
        var result = TokenReplay.Apply(LogBuilder.Of("abcd", "acbd"), NetBuilder.ParallelBC());

        foreach (var i in new[] { 0, 1 })
        {
            var t = result.ForTrace(i);
            // 1 initial + a 1 + split 2 + b 1 + c 1 + join 1 + d 1 = 8 produced; consumed likewise with the final token.
            Assert.Equal((8, 8, 0, 0), (t.Produced, t.Consumed, t.Missing, t.Remaining));
        }
    }

    [Fact]
    public void Apply_TraceEndsEarly_FinalMarkingTokenIsMissing()
    {
        var result = TokenReplay.Apply(LogBuilder.Of("ab"), NetBuilder.Sequence());

        var t = result.ForTrace(0);
        Assert.Equal((3, 3, 1, 1), (t.Produced, t.Consumed, t.Missing, t.Remaining));
        Assert.Equal(0.5 * (1 - (1.0 / 3)) + 0.5 * (1 - (1.0 / 3)), result.LogFitness, 1e-15);
    }

    [Fact]
    public void Apply_ActivityNotInModel_IsSkippedAndReported()
    {
        var result = TokenReplay.Apply(LogBuilder.Of("axbc"), NetBuilder.Sequence());

        var t = result.ForTrace(0);
        Assert.True(t.IsFit);
        Assert.Equal(["x"], t.ActivitiesNotInModel);
    }
}
