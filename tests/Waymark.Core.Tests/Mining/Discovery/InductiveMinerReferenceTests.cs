using Waymark.Core.Mining;
using Waymark.Core.Mining.Discovery;

namespace Waymark.Core.Tests.Mining.Discovery;

/// <summary>Discovery on the ten reference logs against PM4Py 2.7.14's trees and nets (Data/process-mining).</summary>
public sealed class InductiveMinerReferenceTests
{
    public static TheoryData<string, string> Models => ReferenceData.ModelPairs;

    [Theory]
    [MemberData(nameof(Models))]
    public void Discover_ReferenceLog_TreeEqualsPm4pys(string log, string net)
    {
        var model = ReferenceData.Model(log, net);
        var expected = ProcessTree.Parse(model.GetProperty("process_tree").GetString()!);
        var options = new InductiveMinerOptions { NoiseThreshold = model.GetProperty("noise_threshold").GetDouble() };

        var tree = InductiveMiner.Discover(ReferenceData.ReadLog(log), options);

        Assert.Equal(expected.CanonicalForm(), tree.CanonicalForm());
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Convert_ReferenceTree_NetHasPm4pysSize(string log, string net)
    {
        var model = ReferenceData.Model(log, net);
        var size = model.GetProperty("net");

        var accepting = ProcessTreeToPetriNet.Convert(ProcessTree.Parse(model.GetProperty("process_tree").GetString()!));

        var n = accepting.Net;
        Assert.Equal(
            (size.GetProperty("places").GetInt32(), size.GetProperty("visible_transitions").GetInt32(), size.GetProperty("silent_transitions").GetInt32(), size.GetProperty("arcs").GetInt32()),
            (n.Places.Count, n.Transitions.Count(t => !t.IsSilent), n.Transitions.Count(t => t.IsSilent), n.Arcs.Count));
        Assert.Equal(1, accepting.InitialMarking[n.FindPlace("source")!]);
        Assert.Equal(1, accepting.FinalMarking[n.FindPlace("sink")!]);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Convert_DiscoveredTree_TokenReplayGivesPm4pysTotals(string log, string net)
    {
        var model = ReferenceData.Model(log, net);
        var totals = model.GetProperty("tbr_token_totals");
        var events = ReferenceData.ReadLog(log);
        var options = new InductiveMinerOptions { NoiseThreshold = model.GetProperty("noise_threshold").GetDouble() };

        var accepting = ProcessTreeToPetriNet.Convert(InductiveMiner.Discover(events, options));
        var replay = TokenReplay.Apply(events, accepting);

        Assert.Equal(
            (totals.GetProperty("produced_tokens").GetInt64(), totals.GetProperty("consumed_tokens").GetInt64(), totals.GetProperty("missing_tokens").GetInt64(), totals.GetProperty("remaining_tokens").GetInt64()),
            ((long)replay.Produced, (long)replay.Consumed, (long)replay.Missing, (long)replay.Remaining));
    }
}
