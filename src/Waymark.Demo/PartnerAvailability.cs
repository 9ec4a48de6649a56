namespace Waymark.Demo;

/// <summary>
/// The third-party availability service Horizon Travel's results and date
/// picker wait on: median about 900 ms, about 15 % above 4 s, about 5 %
/// failing with 503 or a network timeout (status 0). Between 13:30 and 15:00
/// it has an incident, so the failures bunch up where a chart shows them.
/// </summary>
internal static class PartnerAvailability
{
    public const string Url = "https://availability.partner-api.example/v2/availability";

    private static readonly TimeSpan s_incidentStart = new(13, 30, 0);
    private static readonly TimeSpan s_incidentEnd = new(15, 0, 0);

    /// <summary>One call's duration and HTTP status; 0 is a network failure.</summary>
    public static (double DurationMs, int Status) Call(DemoRandom rng, TimeSpan timeOfDay)
    {
        var incident = timeOfDay >= s_incidentStart && timeOfDay < s_incidentEnd;
        var failure = incident ? 0.20 : 0.035;
        var slow = incident ? 0.30 : 0.12;
        if (rng.Chance(failure))
        {
            return rng.Chance(0.6)
                ? (rng.LogNormal(420, 0.5, 80, 3000), 503)
                : (rng.Uniform(9_800, 10_200), 0);
        }
        return rng.Chance(slow)
            ? (rng.LogNormal(5_600, 0.3, 4_050, 15_000), 200)
            : (rng.LogNormal(800, 0.5, 120, 3_950), 200);
    }
}
