using System.Net;
using System.Text.RegularExpressions;
using Waymark.Server.Tests.Infrastructure;
using static Waymark.Server.Tests.Infrastructure.Beacons;

namespace Waymark.Server.Tests.Telemetry;

/// <summary>
/// Waymark's own metrics on the Prometheus endpoint: behind authentication, counting what the pipeline did.
/// Alone: a meter listener sees every meter of its name in the process, so servers of other tests
/// running at the same time would count into this one's.
/// </summary>
[Collection(nameof(MetricsTests))]
public sealed partial class MetricsTests
{
    [Fact]
    public async Task Metrics_AfterBeacons_CountAcceptedRejectedRefusedAndEndedSessions()
    {
        await using var server = await WaymarkServer.StartAsync();
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.OK, (await server.PostAsync(Batch("v-m", "s-m", [View("m1", now), View("m2", now.AddSeconds(1)),
            new Dictionary<string, object?> { ["id"] = "m3", ["type"] = "session_end", ["ts"] = Ms(now.AddSeconds(2)) },
            new Dictionary<string, object?> { ["id"] = "m4", ["type"] = "view" }]))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.PostAsync(Batch("v-m2", "s-m2", [View("n1", now)], key: "wrong"))).StatusCode);

        using (var anonymous = new HttpClient { BaseAddress = server.BaseAddress })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        }
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string text;
        while (true)
        {
            text = await server.Client.GetStringAsync("/metrics");
            if (Value(text, "waymark_events_accepted_total", "transport=\"beacon\"") >= 3 || DateTime.UtcNow > deadline)
            {
                break;
            }
            await Task.Delay(200);
        }
        Assert.Equal(3, Value(text, "waymark_events_accepted_total", "transport=\"beacon\""));
        Assert.Equal(1, Value(text, "waymark_events_rejected_total", "transport=\"beacon\""));
        Assert.Equal(1, Value(text, "waymark_requests_refused_total", "status=\"401\""));
        Assert.Equal(1, Value(text, "waymark_sessions_ended_total", "reason=\"app\""));
        Assert.True(Value(text, "waymark_journeys_active", "") >= 0);
        Assert.Contains("waymark_journey_commit_duration_milliseconds_bucket", text, StringComparison.Ordinal);
    }

    /// <summary>The value of the first sample of a metric whose labels contain <paramref name="label"/>; -1 when there is none.</summary>
    private static double Value(string text, string metric, string label)
    {
        foreach (Match m in Sample().Matches(text))
        {
            if (m.Groups["name"].Value == metric && m.Groups["labels"].Value.Contains(label, StringComparison.Ordinal))
            {
                return double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return -1;
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)(\{(?<labels>[^}]*)\})? (?<value>[0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}

/// <summary>Runs <see cref="MetricsTests"/> after the parallel collections, with nothing else in the process.</summary>
[CollectionDefinition(nameof(MetricsTests), DisableParallelization = true)]
public sealed class MetricsTestsCollection;
