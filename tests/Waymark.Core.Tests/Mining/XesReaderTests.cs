using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Waymark.Core.Mining;

namespace Waymark.Core.Tests.Mining;

public sealed class XesReaderTests
{
    [Theory]
    [MemberData(nameof(ReferenceData.LogNames), MemberType = typeof(ReferenceData))]
    public void Read_ReferenceLog_HasPm4pyCaseEventAndActivityCounts(string log)
    {
        var reference = ReferenceData.Log(log);
        var bytes = File.ReadAllBytes(ReferenceData.LogPath(log));
        Assert.Equal(reference.GetProperty("source").GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));

        var parsed = ReferenceData.ReadLog(log);

        Assert.Equal(reference.GetProperty("cases").GetInt32(), parsed.Traces.Count);
        Assert.Equal(reference.GetProperty("events").GetInt32(), parsed.EventCount);
        var activities = parsed.Traces.SelectMany(t => t.Events).Select(e => e.Activity).Distinct().Count();
        Assert.Equal(reference.GetProperty("activities").GetInt32(), activities);
        Assert.Equal(reference.GetProperty("trace_length").GetProperty("min").GetInt32(), parsed.Traces.Min(t => t.Events.Count));
        Assert.Equal(reference.GetProperty("trace_length").GetProperty("max").GetInt32(), parsed.Traces.Max(t => t.Events.Count));
    }

    [Fact]
    public void Read_RunningExample_LiftsStandardAttributesAndKeepsTypedOthers()
    {
        var log = ReferenceData.ReadLog("running-example.xes");

        var first = log.Traces[0];
        Assert.Equal("3", first.CaseId);
        var e = first.Events[0];
        Assert.Equal("register request", e.Activity);
        Assert.Equal("Pete", e.Resource);
        Assert.Equal(new DateTimeOffset(2010, 12, 30, 14, 32, 0, TimeSpan.FromHours(1)), e.Timestamp);
        Assert.Equal("50", e.Find("Costs")!.StringValue);
        Assert.Equal(3, log.Extensions.Count);
        Assert.Equal(["Activity"], log.Classifiers[0].Keys);
        Assert.Equal(6, log.EventGlobals.Count);
    }

    [Fact]
    public void Read_StringTimestamps_AreParsedAsTimes()
    {
        var log = ReferenceData.ReadLog("10_orders.xes.gz");

        var e = log.Traces[0].Events[0];
        Assert.Equal(new DateTimeOffset(2019, 11, 3, 1, 11, 19, TimeSpan.Zero), e.Timestamp);
        Assert.Equal("3", log.Traces[0].CaseId); // an int-typed concept:name
        Assert.Equal(5, e.Find("variant:count")!.IntValue);
    }

    [Fact]
    public void Read_GzipWithoutGzName_IsDetectedByMagicBytes()
    {
        const string xes = "<log><trace><string key=\"concept:name\" value=\"c1\"/><event><string key=\"concept:name\" value=\"a\"/></event></trace></log>";
        using var packed = new MemoryStream();
        using (var z = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(Encoding.UTF8.GetBytes(xes));
        }
        using var nonSeekable = new ForwardOnlyStream(packed.ToArray());

        var log = XesReader.Read(nonSeekable);

        Assert.Equal("c1", log.Traces.Single().CaseId);
        Assert.Equal("a", log.Traces[0].Events.Single().Activity);
    }

    [Fact]
    public void Parse_NestedListAndContainer_KeepsTypesAndChildren()
    {
        const string xes = """
            <log xes.version="2.0">
              <trace>
                <event>
                  <string key="concept:name" value="a"/>
                  <list key="items"><values><int key="n" value="1"/><float key="x" value="2.5"/></values></list>
                  <container key="box"><boolean key="ok" value="true"/><id key="ref" value="5f1c"/></container>
                  <string key="note" value="hi"><date key="at" value="2024-01-02T03:04:05.678Z"/></string>
                </event>
              </trace>
            </log>
            """;

        var e = XesReader.Parse(xes).Traces[0].Events[0];

        var items = e.Find("items")!;
        Assert.Equal(AttributeKind.List, items.Kind);
        Assert.Equal(1, items.Children[0].IntValue);
        Assert.Equal(2.5, items.Children[1].FloatValue);
        var box = e.Find("box")!;
        Assert.True(box.Children[0].BooleanValue);
        Assert.Equal(AttributeKind.Id, box.Children[1].Kind);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, 678, TimeSpan.Zero), e.Find("note")!.Children[0].DateValue);
    }

    [Fact]
    public void Parse_UnclosedElement_ThrowsWithLine()
    {
        const string xes = "<log>\n<trace>\n<event>\n</trace>\n</log>";

        var ex = Assert.Throws<XesFormatException>(() => XesReader.Parse(xes));

        Assert.Equal(4, ex.LineNumber);
        Assert.Contains("line 4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadIntValue_ThrowsNamingTheKey()
    {
        const string xes = "<log><trace><event><int key=\"n\" value=\"1.5\"/></event></trace></log>";

        var ex = Assert.Throws<XesFormatException>(() => XesReader.Parse(xes));

        Assert.Contains("'n'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, ex.LineNumber);
    }

    [Fact]
    public void Parse_DocumentWithDtdEntity_IsRefused()
    {
        const string xxe = """
            <?xml version="1.0"?>
            <!DOCTYPE log [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <log><trace><event><string key="concept:name" value="&xxe;"/></event></trace></log>
            """;

        Assert.Throws<XesFormatException>(() => XesReader.Parse(xxe));
    }

    [Fact]
    public void Parse_NotAnXesRoot_Throws() =>
        Assert.Throws<XesFormatException>(() => XesReader.Parse("<pnml/>"));

    /// <summary>A stream that cannot seek, like a network body.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }
}
