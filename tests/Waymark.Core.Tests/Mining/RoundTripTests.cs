using Waymark.Core.Mining;

namespace Waymark.Core.Tests.Mining;

public sealed class RoundTripTests
{
    [Theory]
    [MemberData(nameof(ReferenceData.LogNames), MemberType = typeof(ReferenceData))]
    public void XesWriter_ReferenceLog_ReadsBackToTheSameLog(string log)
    {
        var original = XesReader.Read(ReferenceData.LogPath(log));

        var back = XesReader.Parse(XesWriter.WriteToString(original));

        AssertSameLog(original, back);
    }

    [Fact]
    public void XesWriter_GzipFile_ReadsBackToTheSameLog()
    {
        var original = ReferenceData.ReadLog("running-example.xes");
        var path = Path.Combine(Path.GetTempPath(), $"waymark-{Guid.NewGuid():N}.xes.gz");
        try
        {
            XesWriter.Write(original, path);

            Assert.Equal(0x1F, File.ReadAllBytes(path)[0]);
            AssertSameLog(original, XesReader.Read(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void XesWriter_EveryAttributeType_ReadsBackTyped()
    {
        var log = new EventLog();
        log.Attributes.Add(XesAttribute.String("concept:name", "journeys"));
        log.Classifiers.Add(new EventClassifier("Activity and lifecycle", ["concept:name", "lifecycle:transition"]));
        log.Classifiers.Add(new EventClassifier("Spaced", ["my key", "concept:name"]));
        log.EventGlobals.Add(XesAttribute.String("concept:name", "__INVALID__"));
        var trace = new LogTrace("visitor-1/session-7");
        trace.Attributes.Add(XesAttribute.Boolean("converted", true));
        var e = new LogEvent("checkout & pay <now>")
        {
            Timestamp = new DateTimeOffset(2024, 5, 6, 7, 8, 9, 123, TimeSpan.FromHours(2)).AddTicks(4567),
            Lifecycle = "complete",
            Resource = "kiosk-3",
        };
        e.Attributes.Add(XesAttribute.Int("items", -42));
        e.Attributes.Add(XesAttribute.Float("amount", 0.1 + 0.2));
        e.Attributes.Add(XesAttribute.Id("order", "4c3a2d0e-9f1b-4b8e-8a57-0d6f3c2b1a90"));
        e.Attributes.Add(XesAttribute.Date("shipped", new DateTimeOffset(2024, 5, 7, 0, 0, 0, TimeSpan.Zero)));
        e.Attributes.Add(XesAttribute.List("tags", [XesAttribute.String("tag", "a"), XesAttribute.String("tag", "b")]));
        var box = XesAttribute.Container("address", [XesAttribute.String("city", "Köln")]);
        e.Attributes.Add(box);
        var meta = XesAttribute.String("channel", "web");
        meta.Children.Add(XesAttribute.Float("confidence", 0.75));
        e.Attributes.Add(meta);
        trace.Events.Add(e);
        log.Traces.Add(trace);

        var back = XesReader.Parse(XesWriter.WriteToString(log));

        AssertSameLog(log, back);
        var read = back.Traces[0].Events[0];
        Assert.Equal(0.30000000000000004, read.Find("amount")!.FloatValue);
        Assert.Equal(e.Timestamp, read.Timestamp);
        Assert.Equal(["my key", "concept:name"], back.Classifiers[1].Keys);
        Assert.Contains(back.Extensions, x => x.Prefix == "org"); // the standard extensions are declared
    }

    [Theory]
    [MemberData(nameof(ReferenceData.ModelPairs), MemberType = typeof(ReferenceData))]
    public void PnmlWriter_ReferenceNet_ReadsBackToTheSameNet(string log, string net)
    {
        _ = log;
        var original = ReferenceData.ReadNet(net);

        var back = PnmlReader.Parse(PnmlWriter.WriteToString(original));

        AssertSameNet(original, back);
    }

    [Fact]
    public void PnmlWriter_WeightedArcsAndMarkings_ReadBack()
    {
        var net = new PetriNet("w");
        var a = net.AddPlace("a");
        var b = net.AddPlace("b", "the end");
        var t = net.AddTransition("t", "pay");
        var tau = net.AddTransition("tau", null);
        net.AddArc(a, t, 2);
        net.AddArc(t, b, 3);
        net.AddArc(b, tau);
        net.AddArc(tau, a);
        var original = new AcceptingPetriNet(net, new Marking { { a, 2 } }, new Marking { { b, 3 } });

        var back = PnmlReader.Parse(PnmlWriter.WriteToString(original));

        AssertSameNet(original, back);
        Assert.Equal("the end", back.Net.FindPlace("b")!.Name);
    }

    private static void AssertSameLog(EventLog expected, EventLog actual)
    {
        Assert.Equal(expected.Attributes, actual.Attributes);
        Assert.Equal(expected.TraceGlobals, actual.TraceGlobals);
        Assert.Equal(expected.EventGlobals, actual.EventGlobals);
        Assert.Equal(expected.Classifiers, actual.Classifiers);
        Assert.All(expected.Extensions, x => Assert.Contains(x, actual.Extensions));
        Assert.Equal(expected.Traces.Count, actual.Traces.Count);
        for (var i = 0; i < expected.Traces.Count; i++)
        {
            var (t, u) = (expected.Traces[i], actual.Traces[i]);
            Assert.Equal(t.CaseId, u.CaseId);
            Assert.Equal(t.Attributes, u.Attributes);
            Assert.Equal(t.Events.Count, u.Events.Count);
            for (var j = 0; j < t.Events.Count; j++)
            {
                var (e, f) = (t.Events[j], u.Events[j]);
                Assert.Equal(e.Activity, f.Activity);
                Assert.Equal(e.Timestamp, f.Timestamp);
                Assert.Equal(e.Timestamp?.Offset, f.Timestamp?.Offset);
                Assert.Equal(e.Lifecycle, f.Lifecycle);
                Assert.Equal(e.Resource, f.Resource);
                Assert.Equal(e.Attributes, f.Attributes);
            }
        }
    }

    private static void AssertSameNet(AcceptingPetriNet expected, AcceptingPetriNet actual)
    {
        Assert.Equal(expected.Net.Places.Select(p => (p.Id, p.Name)), actual.Net.Places.Select(p => (p.Id, p.Name)));
        Assert.Equal(expected.Net.Transitions.Select(t => (t.Id, t.Label)), actual.Net.Transitions.Select(t => (t.Id, t.Label)));
        Assert.Equal(expected.Net.Arcs.Select(a => (a.Source.Id, a.Target.Id, a.Weight)), actual.Net.Arcs.Select(a => (a.Source.Id, a.Target.Id, a.Weight)));
        Assert.Equal(Ids(expected.InitialMarking), Ids(actual.InitialMarking));
        Assert.Equal(Ids(expected.FinalMarking), Ids(actual.FinalMarking));
    }

    private static IEnumerable<(string, int)> Ids(Marking m) => m.Select(kv => (kv.Key.Id, kv.Value)).OrderBy(x => x.Item1, StringComparer.Ordinal);
}
