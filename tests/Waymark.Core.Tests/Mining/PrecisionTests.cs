using Waymark.Core.Mining;

namespace Waymark.Core.Tests.Mining;

public sealed class PrecisionTests
{
    [Theory]
    [MemberData(nameof(ReferenceData.ModelPairs), MemberType = typeof(ReferenceData))]
    public void TokenBased_ReferenceLogAndNet_MatchesPm4pyEtConformance(string log, string net)
    {
        var expected = ReferenceData.Model(log, net).GetProperty("precision_tbr").GetDouble();

        var result = Precision.TokenBased(ReferenceData.ReadLog(log), ReferenceData.ReadNet(net));

        Assert.Equal(expected, result.Value, 1e-9);
    }

    [Theory]
    [MemberData(nameof(ReferenceData.ModelPairs), MemberType = typeof(ReferenceData))]
    public void AlignmentBased_ReferenceLogAndNet_MatchesPm4pyAlignEtConformance(string log, string net)
    {
        var expected = ReferenceData.Model(log, net).GetProperty("precision_alignments").GetDouble();

        var result = Precision.AlignmentBased(ReferenceData.ReadLog(log), ReferenceData.ReadNet(net));

        Assert.Equal(expected, result.Value, 1e-9);
    }

    [Fact]
    public void TokenBased_ModelAllowsOnlyWhatTheLogDoes_IsOne()
    {
        var result = Precision.TokenBased(LogBuilder.Of("abc"), NetBuilder.Sequence());

        Assert.Equal(1.0, result.Value);
        Assert.Equal(3, result.ActivatedEdges); // ⟨⟩ enables a, ⟨a⟩ b, ⟨a,b⟩ c
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BothKinds_SkipNeverTaken_OneEscapingEdge(bool alignmentBased)
    {
        // After ⟨a⟩ the model enables b and, through the silent skip, c; the log only ever does b.
        var log = LogBuilder.Of("abc");
        var net = NetBuilder.OptionalB();

        var result = alignmentBased ? Precision.AlignmentBased(log, net) : Precision.TokenBased(log, net);

        Assert.Equal((1, 4), (result.EscapingEdges, result.ActivatedEdges));
        Assert.Equal(0.75, result.Value);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BothKinds_PrefixThatDoesNotFit_IsLeftOut(bool alignmentBased)
    {
        // ⟨a, c⟩ needs b's token: that prefix does not count; ⟨a⟩ enables b where the log does c.
        var log = LogBuilder.Of("acb");
        var net = NetBuilder.Sequence();

        var result = alignmentBased ? Precision.AlignmentBased(log, net) : Precision.TokenBased(log, net);

        Assert.Equal((1, 2, 1), (result.EscapingEdges, result.ActivatedEdges, result.PrefixOccurrencesLeftOut));
        Assert.Equal(0.5, result.Value);
    }
}
