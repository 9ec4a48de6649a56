using Waymark.Core.Analytics;
using Waymark.Core.Events;
using Waymark.Core.Sessions;
using Waymark.Server.Analytics;
using Waymark.Server.Store;

namespace Waymark.Server.Tests.Analytics;

/// <summary>The experience report on small hand-built sessions.</summary>
public sealed class ExperienceAnalyzerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private static readonly System.Text.Json.JsonSerializerOptions s_web = new(System.Text.Json.JsonSerializerDefaults.Web);
    private static int s_ids;

    private sealed record Ev(EventType Type, string? Name = null, double? Duration = null, string? Message = null, string? Url = null, int? Status = null,
        bool ThirdParty = false, string? Props = null, bool Failed = false);

    private static SessionWithEvents Session(string browser, bool converted, params Ev[] events) => Session(browser, converted, "v" + Interlocked.Increment(ref s_ids), events);

    private static SessionWithEvents Session(string browser, bool converted, string visitor, params Ev[] events)
    {
        var id = "s" + Interlocked.Increment(ref s_ids);
        var ctx = new BatchContext { App = "shop", Channel = "web", Visitor = visitor, Received = T0, DeviceClass = "desktop", Browser = browser };
        var summary = new SessionSummary
        {
            App = "shop", SessionId = id, Visitor = visitor, Channel = "web", Start = T0, End = T0.AddMinutes(5), Converted = converted,
            DeviceClass = "desktop", Browser = browser, Pages = events.Count(e => e.Type == EventType.View),
            Crashes = events.Count(e => e.Type == EventType.Error && e.Failed), Errors = events.Count(e => e.Type == EventType.Error),
            FrustratingElements = events.Count(e => e.Type == EventType.Error), SatisfiedActions = 1,
        };
        var stored = events.Select((e, i) => new StoredEvent(id, ctx, new EventRecord
        {
            EventId = id + "-" + i, Type = e.Type, Timestamp = T0.AddSeconds(i * 10), Name = e.Name, Duration = e.Duration, Message = e.Message,
            Url = e.Url, Status = e.Status, ThirdParty = e.ThirdParty, Props = e.Props, Failed = e.Failed,
        })).ToList();
        return new SessionWithEvents(summary, stored);
    }

    private static ExperienceReport Run(IEnumerable<SessionWithEvents> sessions, Segment? segment = null, IReadOnlySet<string>? noise = null)
    {
        var a = new ExperienceAnalyzer(new ExperienceOptions(), new ApdexThresholds(), new VitalThresholds());
        foreach (var s in sessions)
        {
            a.Add(s, segment ?? Segment.All);
        }
        return a.Report(new ExperienceScope("shop", T0, T0.AddDays(1), segment ?? Segment.All), noise ?? new HashSet<string>(), T0);
    }

    private static Ev View(string page, double load = 800) => new(EventType.View, page, load);

    [Fact]
    public void ErrorCost_ComparesWithSessionsThatReachedTheErrorsPage_NotWithEveryone()
    {
        var sessions = new List<SessionWithEvents>();
        // 50 leave from the home page; 10 reach the dates, 6 of them convert; 5 hit the error on the dates and none converts.
        sessions.AddRange(Enumerable.Range(0, 50).Select(_ => Session("Safari", false, View("Home"))));
        sessions.AddRange(Enumerable.Range(0, 10).Select(i => Session("Safari", i < 6, View("Home"), View("Dates"))));
        sessions.AddRange(Enumerable.Range(0, 5).Select(_ => Session("Safari", false, View("Home"), View("Dates"), new Ev(EventType.Error, Message: "TypeError: 'x' is undefined"))));
        // A harmless message on the confirmation page of converting sessions.
        sessions.AddRange(Enumerable.Range(0, 4).Select(_ => Session("Safari", true, View("Home"), View("Dates"), View("Done"), new Ev(EventType.Error, Message: "ResizeObserver loop"))));

        var errors = Run(sessions).Errors;

        var bug = errors[0];
        Assert.Equal("TypeError: 'x' is undefined", bug.Message);
        Assert.Equal((5, 0.0), (bug.Sessions, bug.ConversionWith));
        // Comparable: the 14 other sessions that viewed Dates, 10 of which converted.
        Assert.Equal(10.0 / 14, bug.ExpectedConversion, 9);
        Assert.Equal(5 * 10.0 / 14, bug.LostConversions, 9);
        var noise = Assert.Single(errors, e => e.Message == "ResizeObserver loop");
        Assert.True(noise.LostConversions <= 0);

        // Marked as noise, the bug is listed last and marked.
        var marked = Run(sessions, noise: new HashSet<string> { bug.Fingerprint }).Errors;
        Assert.Equal((bug.Fingerprint, true), (marked[^1].Fingerprint, marked[^1].Noise));
    }

    [Fact]
    public void ThirdParty_SessionsHurtAtFirstContact_AgainstTheOnesServedWell()
    {
        const string Url = "https://partner.example/v1/prices?x=1";
        Ev Call(int status, double ms) => new(EventType.Request, Url: Url, Status: status, Duration: ms, ThirdParty: true, Failed: status >= 500 || status == 0);
        var sessions = new List<SessionWithEvents>();
        // Served well at first: 8 of 10 convert (a later failure does not count as hurt).
        sessions.AddRange(Enumerable.Range(0, 10).Select(i => Session("Chrome", i < 8, View("Results"), Call(200, 300), Call(503, 100))));
        // Failed at first contact: 1 of 4 converts; too slow at first: 0 of 2.
        sessions.AddRange(Enumerable.Range(0, 4).Select(i => Session("Chrome", i == 0, View("Results"), Call(503, 120))));
        sessions.AddRange(Enumerable.Range(0, 2).Select(_ => Session("Chrome", false, View("Results"), Call(200, 12_000))));
        sessions.Add(Session("Chrome", true, View("Home")));

        var host = Assert.Single(Run(sessions).ThirdParties);

        Assert.Equal("partner.example", host.Host);
        Assert.Equal((26L, 14L), (host.Calls, host.Failed));
        Assert.Equal((16, 6), (host.Sessions, host.HurtSessions));
        Assert.Equal(1.0 / 6, host.ConversionHurt, 9);
        Assert.Equal(0.8, host.ConversionOthers, 9);
        Assert.Equal(6 * 0.8 - 1, host.LostConversions, 9);
        Assert.Equal("partner.example/v1/prices", Assert.Single(host.Endpoints).Endpoint);
    }

    [Fact]
    public void Segment_Browser_ReturningVisitor_Property()
    {
        var sessions = new[]
        {
            Session("Safari", false, "ann", View("Home")),
            Session("Safari", true, "ann", View("Home"), new Ev(EventType.Custom, "search", Props: "{\"trip\":\"ski\"}")),
            Session("Chrome", false, "bob", View("Home"), new Ev(EventType.Custom, "search", Props: "{\"trip\":\"beach\"}")),
        };
        Assert.Equal(3, Run(sessions).Satisfaction.All.Sessions);
        Assert.Equal(2, Run(sessions, new Segment(Browser: "safari")).Satisfaction.All.Sessions);
        var returning = Run(sessions, new Segment(Visitor: "returning")).Satisfaction.All;
        Assert.Equal((1L, 1L), (returning.Sessions, returning.Converted));
        Assert.Equal(1, Run(sessions, new Segment(Prop: "trip:beach")).Satisfaction.All.Sessions);

        var errors = new List<string>();
        Segment.FromQuery("visitor=sometimes&prop=nocolon", errors);
        Assert.Equal(["visitor: new or returning", "prop: key:value (a property of any event of the session)"], errors);
        Assert.Equal("browser=Safari&prop=trip%3Aski", new Segment(Browser: "Safari", Prop: "trip:ski").ToQuery());
    }

    [Fact]
    public void Satisfaction_ACrashIsFrustrated_PagesCountViewsBouncesAndLoads()
    {
        var sessions = new[]
        {
            Session("Chrome", false, View("Home", 500)),
            Session("Chrome", false, View("Home", 1500), View("Results", 900), new Ev(EventType.Error, Message: "device.crash", Failed: true)),
        };
        var report = Run(sessions);
        Assert.Equal((1L, 1L), (report.Satisfaction.All.Satisfied, report.Satisfaction.All.Frustrated));
        var home = report.Pages.Single(p => p.Page == "Home");
        Assert.Equal((2, 2, 1), (home.Views, home.Entrances, home.Bounces));
        Assert.Equal(1000, home.LoadP50);
        Assert.Equal(1.0, report.Pages.Single(p => p.Page == "Results").ErrorsPerView);

        // Empty speed buckets, no speed estimate, no vitals: the API can still write it (JSON has no NaN).
        Assert.Contains(report.Speed.Buckets, b => b.Sessions == 0 && b.Rate is null);
        var json = System.Text.Json.JsonSerializer.Serialize(report, s_web);
        Assert.Contains("\"buckets\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_QuotesAndDefusesFormulas()
    {
        var csv = ExperienceCsv.Table(["a", "b", "c"], [["=HYPERLINK(\"x\")", "one, two", 0.5]]);
        Assert.Equal("a,b,c\r\n\"'=HYPERLINK(\"\"x\"\")\",\"one, two\",0.5\r\n", csv);
    }
}
