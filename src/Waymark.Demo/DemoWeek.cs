namespace Waymark.Demo;

/// <summary>
/// How a day of the week changes Horizon Travel's volumes, modestly: people
/// plan holidays at the weekend, stores are busiest on Saturday and quiet on
/// Sunday, airports on Friday, the contact centre on weekdays. On top of that
/// each day varies by a few percent of its own.
/// </summary>
internal static class DemoWeek
{
    //                                        Sun   Mon   Tue   Wed   Thu   Fri   Sat
    private static readonly double[] s_web = [1.12, 1.00, 0.97, 0.98, 1.00, 0.93, 1.06];
    private static readonly double[] s_mobile = [1.15, 0.98, 0.95, 0.96, 0.98, 0.97, 1.10];
    private static readonly double[] s_stores = [0.70, 0.95, 0.95, 1.00, 1.05, 1.10, 1.25];
    private static readonly double[] s_airports = [1.05, 1.00, 0.90, 0.92, 1.00, 1.15, 1.10];
    private static readonly double[] s_calls = [0.70, 1.10, 1.05, 1.00, 1.00, 1.00, 0.80];

    /// <summary>The day's seed: the same seed and date always give the same day.</summary>
    public static int DaySeed(int seed, DateOnly date)
    {
        // A fixed mix (string.GetHashCode differs between runs).
        var x = unchecked(((ulong)(uint)seed << 32) | (uint)date.DayNumber);
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        return unchecked((int)(x ^ (x >> 31)));
    }

    /// <summary>The options with each channel's volume for that day of the week.</summary>
    public static DemoOptions Scaled(DemoOptions options, DateOnly date)
    {
        var d = (int)date.DayOfWeek;
        var noise = new DemoRandom(DaySeed(options.Seed ^ 0x5EED, date));
        int Scale(int n, double[] factor) => (int)Math.Round(n * factor[d] * noise.Uniform(0.95, 1.05));
        return options with
        {
            WebSessions = Scale(options.WebSessions, s_web),
            MobileSessions = Scale(options.MobileSessions, s_mobile),
            KioskSessions = Scale(options.KioskSessions, s_stores),
            CheckinSessions = Scale(options.CheckinSessions, s_airports),
            ContactCenterCalls = Scale(options.ContactCenterCalls, s_calls),
        };
    }
}
