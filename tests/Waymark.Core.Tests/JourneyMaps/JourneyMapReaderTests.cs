using Waymark.Core.Funnels;
using Waymark.Core.JourneyMaps;

namespace Waymark.Core.Tests.JourneyMaps;

public sealed class JourneyMapReaderTests
{
    private const string Small = """
        id: buy
        goal: Buy a thing
        stages:
          - name: Look
            touchpoints:
              - id: home
                name: Home
                channel: web
                match: { page: Home }
                expectedDuration: 1m30s
                systems: [CMS]
                department: marketing
                repeatable: true
          - name: Pay
            touchpoints:
              - id: pay
                name: Payment
                channel: mobile
                match:
                  screen: Payment
                  properties: { method: card }
                expectation: quick
                optional: true
        """;

    private static string DemoPath => Path.Combine(AppContext.BaseDirectory, "Data", "journey-maps", "book-a-holiday.yaml");

    [Fact]
    public void Read_SmallMap_GivesEveryField()
    {
        var r = JourneyMapReader.Read(Small);

        Assert.True(r.Ok, string.Join("\n", r.Errors));
        var map = r.Map!;
        Assert.Equal("buy", map.Id);
        Assert.Equal(1, map.Version);
        Assert.Equal(["Look", "Pay"], map.Stages.Select(s => s.Name));
        var home = map.Find("home")!;
        Assert.Equal(TimeSpan.FromSeconds(90), home.ExpectedDuration);
        Assert.Equal(["CMS"], home.Systems);
        Assert.Equal("marketing", home.Department);
        Assert.True(home.Repeatable);
        var pay = map.Find("pay")!;
        Assert.True(pay.Optional);
        Assert.Equal("Payment", pay.Match.Screen);
        Assert.Equal("card", pay.Match.Properties["method"]);
    }

    [Fact]
    public void Read_UnknownField_SaysLineColumnAndPath()
    {
        var text = Small.Replace("expectation: quick", "expectaton: quick", StringComparison.Ordinal);

        var r = JourneyMapReader.Read(text);

        var e = Assert.Single(r.Errors);
        Assert.False(r.Ok);
        Assert.Equal(22, e.Line);
        Assert.Equal(9, e.Column);
        Assert.Equal("stages[1].touchpoints[0].expectaton", e.Path);
        Assert.Contains("unknown field", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BadDurationAndDuplicateId_ListsBoth()
    {
        var text = Small.Replace("1m30s", "soon", StringComparison.Ordinal).Replace("id: pay", "id: home", StringComparison.Ordinal);

        var r = JourneyMapReader.Read(text);

        Assert.Equal(2, r.Errors.Count);
        Assert.Equal("stages[0].touchpoints[0].expectedDuration", r.Errors[0].Path);
        Assert.Equal(10, r.Errors[0].Line);
        Assert.Equal("stages[1].touchpoints[0].id", r.Errors[1].Path);
        Assert.Contains("already in the map", r.Errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MatcherWithTwoKinds_IsRefusedAtTheMatcher()
    {
        var text = Small.Replace("match: { page: Home }", "match: { page: Home, event: x }", StringComparison.Ordinal);

        var r = JourneyMapReader.Read(text);

        var e = Assert.Single(r.Errors);
        Assert.Equal("stages[0].touchpoints[0].match", e.Path);
        Assert.Equal(9, e.Line);
        Assert.Contains("exactly one", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingRequired_NamesTheField()
    {
        var r = JourneyMapReader.Read("id: x\nstages: []\n");

        Assert.Equal(["goal", "stages"], r.Errors.Select(e => e.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Read_BadJson_SaysWhere()
    {
        var r = JourneyMapReader.Read("{\n  \"id\": \"x\"\n  \"goal\": \"y\"\n}");

        var e = Assert.Single(r.Errors);
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public void Read_BadId_IsRefused()
    {
        var r = JourneyMapReader.Read(Small.Replace("id: buy", "id: Buy It", StringComparison.Ordinal));

        Assert.Equal("id", Assert.Single(r.Errors).Path);
    }

    [Fact]
    public void Write_YamlAndJson_ReadBackEqual()
    {
        var map = JourneyMapReader.Read(File.ReadAllText(DemoPath)).Map!;

        var fromYaml = JourneyMapReader.Read(JourneyMapWriter.ToYaml(map));
        var fromJson = JourneyMapReader.Read(JourneyMapWriter.ToJson(map));

        Assert.True(fromYaml.Ok, string.Join("\n", fromYaml.Errors));
        Assert.True(fromJson.Ok, string.Join("\n", fromJson.Errors));
        Assert.Equal(JourneyMapWriter.ToJson(map), JourneyMapWriter.ToJson(fromYaml.Map!));
        Assert.Equal(JourneyMapWriter.ToJson(map), JourneyMapWriter.ToJson(fromJson.Map!));
    }

    [Fact]
    public void DemoMap_Reads_WithTheDemoPages()
    {
        var r = JourneyMapReader.Read(File.ReadAllText(DemoPath));

        Assert.True(r.Ok, string.Join("\n", r.Errors));
        var map = r.Map!;
        Assert.Equal("book-a-holiday", map.Id);
        Assert.Equal("Date selection", map.Find("web-dates")!.Match.Page);
        Assert.Equal(["web", "mobile", "kiosk", "contact-center", "checkin"], map.Touchpoints.Select(t => t.Channel).Distinct());
    }

    [Fact]
    public void ToFunnel_OneStepPerStage_MatchesTouchpoints()
    {
        var map = JourneyMapReader.Read(Small).Map!;
        var funnel = map.ToFunnel();

        Assert.Equal(2, funnel.Steps.Count);
        Assert.Empty(funnel.Validate());
        Assert.True(funnel.Steps[0].Matches(new FunnelEvent(DateTimeOffset.UnixEpoch, "view", "Home", "web")));
        Assert.False(funnel.Steps[0].Matches(new FunnelEvent(DateTimeOffset.UnixEpoch, "view", "Home", "mobile")));
        Assert.True(funnel.Steps[1].Matches(new FunnelEvent(DateTimeOffset.UnixEpoch, "view", "Payment", "mobile", null, new Dictionary<string, string> { ["method"] = "card" })));
        Assert.False(funnel.Steps[1].Matches(new FunnelEvent(DateTimeOffset.UnixEpoch, "view", "Payment", "mobile")));
    }

    [Fact]
    public void FormatDuration_ReadsBack()
    {
        Assert.Equal("1h30m", JourneyMapWriter.FormatDuration(TimeSpan.FromMinutes(90)));
        Assert.Equal("1m500ms", JourneyMapWriter.FormatDuration(TimeSpan.FromMilliseconds(60_500)));
    }
}
