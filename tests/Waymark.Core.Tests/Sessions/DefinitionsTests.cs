using Waymark.Core.Events;
using Waymark.Core.Journeys;
using Waymark.Core.Sessions;

namespace Waymark.Core.Tests.Sessions;

/// <summary>The metrics of definitions.md, computed exactly.</summary>
public sealed class DefinitionsTests
{
    [Theory]
    [InlineData(3000.0, ApdexClass.Satisfied)]    // t = T
    [InlineData(3000.1, ApdexClass.Tolerating)]
    [InlineData(12000.0, ApdexClass.Tolerating)]  // t = 4T
    [InlineData(12000.1, ApdexClass.Frustrated)]
    public void ApdexClassify_AtTheBoundaries_FollowsTAnd4T(double ms, ApdexClass expected) =>
        Assert.Equal(expected, Apdex.Classify(ms, 3000, failed: false));

    [Fact]
    public void ApdexClassify_ActionThatEndsInAnError_IsFrustrated() =>
        Assert.Equal(ApdexClass.Frustrated, Apdex.Classify(10, 1000, failed: true));

    [Fact]
    public void ApdexScore_SatisfiedPlusHalfTolerating_OverTotal()
    {
        Assert.Equal((60 + 30 / 2.0) / 100, Apdex.Score(60, 30, 10));
        Assert.Null(Apdex.Score(0, 0, 0));
    }

    [Theory]
    [InlineData(0.94, "excellent")]
    [InlineData(0.9399, "good")]
    [InlineData(0.85, "good")]
    [InlineData(0.70, "fair")]
    [InlineData(0.50, "poor")]
    [InlineData(0.4999, "unacceptable")]
    public void ApdexBand_Thresholds(double score, string band) => Assert.Equal(band, Apdex.Band(score));

    [Theory]
    // satisfied, tolerating, frustrated actions, frustrating elements, last action frustrating
    [InlineData(10, 0, 0, 0, false, Experience.Satisfied)]
    [InlineData(5, 5, 0, 0, false, Experience.Satisfied)]     // S = 50 % exactly
    [InlineData(4, 6, 0, 0, false, Experience.Tolerating)]    // S < 50 %
    [InlineData(10, 0, 0, 1, false, Experience.Tolerating)]   // a frustrating element rules out satisfied
    [InlineData(7, 0, 3, 0, false, Experience.Frustrated)]    // F = 9/30 = 30 %
    [InlineData(8, 0, 2, 3, false, Experience.Tolerating)]    // F = (3·2 + 3) / 33 = 27 %, and elements rule out satisfied
    [InlineData(7, 0, 2, 4, false, Experience.Frustrated)]    // F = (3·2 + 4) / 31 = 32 %
    [InlineData(9, 0, 0, 0, true, Experience.Frustrated)]     // the last action was frustrating
    public void ExperienceClassify_WeightsActionsThreeAndElementsOne(int s, int t, int f, int elements, bool last, Experience expected)
        => Assert.Equal(expected, ExperienceScore.Classify(s, t, f, elements, last));

    [Theory]
    [InlineData(20, 0, 0, 1)]  // one crash among many satisfied actions
    [InlineData(5, 2, 0, 1)]   // tolerating without the rule
    public void ExperienceClassify_SessionWithCrash_IsFrustrated(int s, int t, int f, int crashes)
    {
        Assert.NotEqual(Experience.Frustrated, ExperienceScore.Classify(s, t, f, crashes, false));
        Assert.Equal(Experience.Frustrated, ExperienceScore.Classify(s, t, f, crashes, false, crashes));
    }

    [Fact]
    public void Journey_RetriedEvent_IsFlaggedAndNotCountedTwice()
    {
        var journey = new VisitorJourney("a", "v", new SessionRules(), new ApdexThresholds());
        var t0 = DateTimeOffset.UnixEpoch.AddDays(20000);
        var ctx = Context("s1", t0);
        EventRecord[] batch = [View("a", t0), Error("b", t0.AddSeconds(1))];

        journey.Apply(ctx, batch);
        var again = journey.Apply(ctx, batch);

        Assert.Equal(2, again.Duplicates);
        Assert.Empty(again.Sessions);
        Assert.Empty(again.Facts);
        var third = journey.Apply(ctx, [View("c", t0.AddSeconds(2))]);
        Assert.Equal(1, third.Sessions.Single().Errors);
        Assert.Equal(3, third.Sessions.Single().Events);
    }

    [Fact]
    public void Journey_ThirtyMinutesIdleIsTheSameSession_AMinuteMoreIsNot()
    {
        var journey = new VisitorJourney("a", "v", new SessionRules(), new ApdexThresholds());
        var t0 = DateTimeOffset.UnixEpoch.AddDays(20000);
        var ctx = Context("s1", t0);
        var a = journey.Apply(ctx, [View("a", t0), View("b", t0.AddMinutes(30))]);
        var b = journey.Apply(ctx, [View("c", t0.AddMinutes(61))]);

        Assert.Equal(["s1", "s1", "s1"], a.Facts.Select(f => f.Session));
        Assert.Equal(["session.start", "view", "view"], a.Facts.Select(f => EventTypes.Name(f.Event.Type)));
        // The next event ends the first session (its session.end fact, with the reason) and begins the second.
        Assert.Equal([("s1", "session.end"), ("s1-2", "session.start"), ("s1-2", "view")], b.Facts.Select(f => (f.Session, EventTypes.Name(f.Event.Type))));
        Assert.Equal("inactivity", b.Sessions.Single(s => s.SessionId == "s1").EndReason);
    }

    [Fact]
    public void Journey_BounceIsOneViewWithNoActionAfterIt()
    {
        var journey = new VisitorJourney("a", "v", new SessionRules(), new ApdexThresholds());
        var t0 = DateTimeOffset.UnixEpoch.AddDays(20000);
        var bounced = journey.Apply(Context("s1", t0), [View("a", t0)]).Sessions.Single();
        var acted = journey.Apply(Context("s1", t0), [new EventRecord { EventId = "b", Type = EventType.Action, Timestamp = t0.AddSeconds(3) }]).Sessions.Single();

        Assert.True(bounced.Bounce);
        Assert.False(acted.Bounce);
    }

    [Fact]
    public void Journey_FatalErrorAfterSatisfiedViews_SessionIsFrustrated()
    {
        var journey = new VisitorJourney("a", "v", new SessionRules(), new ApdexThresholds());
        var t0 = DateTimeOffset.UnixEpoch.AddDays(20000);
        EventRecord[] views = [.. Enumerable.Range(0, 12).Select(i => View("v" + i, t0.AddSeconds(i)))];
        var before = journey.Apply(Context("s1", t0), views).Sessions.Single();
        var crashed = journey.Apply(Context("s1", t0),
            [new EventRecord { EventId = "c", Type = EventType.Error, Timestamp = t0.AddSeconds(20), Message = "device.crash", Failed = true }]).Sessions.Single();

        Assert.Equal(Experience.Satisfied, before.Experience);
        Assert.Equal(1, crashed.Crashes);
        Assert.Equal(Experience.Frustrated, crashed.Experience);
    }

    private static BatchContext Context(string session, DateTimeOffset received) =>
        new() { App = "a", Channel = "web", Visitor = "v", ClientSession = session, Received = received };

    private static EventRecord View(string id, DateTimeOffset ts) => new() { EventId = id, Type = EventType.View, Timestamp = ts, Name = "Home", Duration = 500 };

    private static EventRecord Error(string id, DateTimeOffset ts) => new() { EventId = id, Type = EventType.Error, Timestamp = ts, Message = "boom" };
}
