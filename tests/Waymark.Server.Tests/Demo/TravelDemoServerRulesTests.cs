using Waymark.Core.Protocol;
using Waymark.Core.Journeys;
using Waymark.Core.Sessions;
using Waymark.Demo;

namespace Waymark.Server.Tests.Demo;

/// <summary>The demo day through the server's own parser and session rules.</summary>
public sealed class TravelDemoServerRulesTests
{
    [Fact]
    public void Beacons_ThroughTheServersParser_EveryEventAcceptedUnchanged()
    {
        var parser = new BeaconParser(new BeaconLimits());

        foreach (var batch in GeneratedDay.Batches)
        {
            var parsed = parser.Parse(DemoWire.ToBeacon(batch));

            Assert.Empty(parsed.Rejected);
            Assert.Equal(batch.Context.Channel, parsed.Header.Channel);
            Assert.Equal(batch.Events, parsed.Events);
        }
    }

    [Fact]
    public void VisitorJourney_DemoDay_SessionsComeOutAsTheStoriesTell()
    {
        var sessions = Sessionize();
        var datePicker = GeneratedDay.Sessions.Where(s => s.HasError(DemoErrors.DatePickerFingerprint)).Select(s => s.First.ClientSession).ToHashSet();
        var clientSessions = GeneratedDay.Sessions.ToDictionary(s => s.First.ClientSession!);

        // No session reaches the 200-action or 6-hour limits; only the cart dawdlers pass 30 minutes idle.
        Assert.DoesNotContain(sessions, s => s.EndReason is "max-actions" or "max-duration");
        var splits = sessions.Where(s => s.SessionId != s.ClientSession).ToList();
        Assert.InRange(splits.Count, 15, 200);
        Assert.All(splits, s =>
        {
            Assert.EndsWith("-2", s.SessionId, StringComparison.Ordinal);
            Assert.False(s.Converted);
            Assert.True(clientSessions[s.ClientSession!].HasView("Cart"));
        });
        Assert.Equal(GeneratedDay.Sessions.Count + splits.Count, sessions.Count);

        // The date-picker bug's sessions are frustrated, and none converts.
        var hit = sessions.Where(s => datePicker.Contains(s.ClientSession)).ToList();
        Assert.Equal(datePicker.Count, hit.Count);
        Assert.All(hit, s => Assert.Equal(Experience.Frustrated, s.Experience));
        Assert.All(hit, s => Assert.False(s.Converted));

        // Most web sessions are fine; every class occurs.
        var web = sessions.Where(s => s.Channel == "web").ToList();
        Assert.InRange(web.Count(s => s.Experience == Experience.Satisfied) / (double)web.Count, 0.5, 0.95);
        Assert.Contains(web, s => s.Experience == Experience.Tolerating);
        Assert.Equal(GeneratedDay.Sessions.Count(s => s.Converted), sessions.Count(s => s.Converted));
    }

    private static List<SessionSummary> Sessionize()
    {
        var rules = new SessionRules();
        var apdex = new ApdexThresholds();
        var journeys = new Dictionary<string, VisitorJourney>(StringComparer.Ordinal);
        var sessions = new Dictionary<string, SessionSummary>(StringComparer.Ordinal);
        foreach (var batch in GeneratedDay.Batches)
        {
            var key = batch.Context.App + "/" + batch.Context.Visitor;
            if (!journeys.TryGetValue(key, out var journey))
            {
                journeys[key] = journey = new VisitorJourney(batch.Context.App, batch.Context.Visitor, rules, apdex);
            }
            var update = journey.Apply(batch.Context, GeneratedDay.Accepted(batch));
            Assert.Equal(0, update.Duplicates);
            foreach (var s in update.Sessions)
            {
                sessions[s.SessionId] = s;
            }
        }
        return [.. sessions.Values];
    }
}
