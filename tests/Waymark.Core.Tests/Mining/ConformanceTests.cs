using Waymark.Core.Mining;

namespace Waymark.Core.Tests.Mining;

public sealed class ConformanceTests
{
    [Fact]
    public void Check_RoadTrafficOnItsFilteredNet_ReportsAllFourPm4pyFigures()
    {
        const string log = "roadtraffic50traces.xes";
        const string net = "roadtraffic50traces__im_nt0.2.pnml";
        var reference = ReferenceData.Model(log, net);

        var report = Conformance.Check(ReferenceData.ReadLog(log), ReferenceData.ReadNet(net));

        Assert.Equal(reference.GetProperty("tbr_fitness").GetProperty("log_fitness").GetDouble(), report.TokenReplay.LogFitness);
        Assert.Equal(reference.GetProperty("alignment_fitness").GetProperty("log_fitness").GetDouble(), report.Alignments.LogFitness, 1e-9);
        Assert.Equal(reference.GetProperty("precision_tbr").GetDouble(), report.TokenBasedPrecision.Value, 1e-9);
        Assert.Equal(reference.GetProperty("precision_alignments").GetDouble(), report.AlignmentBasedPrecision.Value, 1e-9);
        // 7 cases deviate; the deviations are ranked by the cases they touch.
        var deviations = report.Alignments.Deviations();
        Assert.Equal(14, deviations.Sum(d => d.Occurrences));
        Assert.True(deviations.Zip(deviations.Skip(1)).All(p => p.First.Cases >= p.Second.Cases));
    }
}
