using Waymark.Core.Mining;

namespace Waymark.Core.Tests.Mining;

public sealed class PnmlReaderTests
{
    [Theory]
    [MemberData(nameof(ReferenceData.ModelPairs), MemberType = typeof(ReferenceData))]
    public void Read_ReferenceNet_HasPm4pyShapeAndMarkings(string log, string netFile)
    {
        var expected = ReferenceData.Model(log, netFile).GetProperty("net");

        var (net, initial, final) = ReferenceData.ReadNet(netFile);

        Assert.Equal(expected.GetProperty("places").GetInt32(), net.Places.Count);
        Assert.Equal(expected.GetProperty("transitions").GetInt32(), net.Transitions.Count);
        Assert.Equal(expected.GetProperty("visible_transitions").GetInt32(), net.Transitions.Count(t => !t.IsSilent));
        Assert.Equal(expected.GetProperty("silent_transitions").GetInt32(), net.Transitions.Count(t => t.IsSilent));
        Assert.Equal(expected.GetProperty("arcs").GetInt32(), net.Arcs.Count);
        Assert.Equal(1, initial[net.FindPlace("source")!]);
        Assert.Equal(1, initial.TokenCount);
        Assert.Equal(1, final[net.FindPlace("sink")!]);
        Assert.Equal(1, final.TokenCount);
    }

    [Fact]
    public void Parse_WeightedArcAndNestedPage_AreRead()
    {
        const string pnml = """
            <pnml><net id="n"><page id="p0">
              <place id="a"><initialMarking><text>2</text></initialMarking></place>
              <page id="p1"><place id="b"/></page>
              <transition id="t"><name><text>pay</text></name></transition>
              <transition id="tau"><toolspecific tool="ProM" version="6.4" activity="$invisible$"/></transition>
              <arc id="x" source="a" target="t"><inscription><text>2</text></inscription></arc>
              <arc id="y" source="t" target="b"/>
            </page>
            <finalmarkings><marking><place idref="b"><text>1</text></place></marking></finalmarkings>
            </net></pnml>
            """;

        var (net, initial, final) = PnmlReader.Parse(pnml);

        Assert.Equal(2, initial[net.FindPlace("a")!]);
        Assert.Equal(1, final[net.FindPlace("b")!]);
        Assert.Equal("pay", net.FindTransition("t")!.Label);
        Assert.True(net.FindTransition("tau")!.IsSilent);
        Assert.Equal(2, net.Arcs[0].Weight);
    }

    [Fact]
    public void Parse_ArcToUnknownNode_ThrowsWithLine()
    {
        const string pnml = "<pnml><net id=\"n\">\n<place id=\"a\"/>\n<arc id=\"x\" source=\"a\" target=\"nope\"/></net></pnml>";

        var ex = Assert.Throws<XesFormatException>(() => PnmlReader.Parse(pnml));

        Assert.Equal(3, ex.LineNumber);
    }
}
