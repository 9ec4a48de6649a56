namespace Waymark.Demo;

/// <summary>
/// When in the day sessions start, per channel: relative weights per hour of
/// the business's local day (quiet at night, peaks at lunch and in the
/// evening; stores and the contact centre only in opening hours).
/// </summary>
internal static class DiurnalCurve
{
    public static readonly double[] Web =
        [0.20, 0.10, 0.06, 0.05, 0.06, 0.15, 0.35, 0.60, 0.85, 0.95, 1.00, 1.20, 1.55, 1.40, 1.10, 1.00, 1.00, 1.10, 1.30, 1.65, 1.85, 1.60, 1.00, 0.45];

    public static readonly double[] Mobile =
        [0.25, 0.12, 0.06, 0.05, 0.06, 0.20, 0.50, 0.90, 0.90, 0.80, 0.90, 1.10, 1.45, 1.20, 1.00, 0.90, 1.00, 1.20, 1.40, 1.70, 2.00, 1.90, 1.30, 0.60];

    public static readonly double[] Stores =
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0.60, 0.90, 1.10, 1.50, 1.40, 1.00, 1.00, 1.20, 1.30, 0.80, 0, 0, 0, 0, 0];

    public static readonly double[] Airports =
        [0, 0, 0, 0, 0.30, 1.20, 1.80, 1.60, 1.20, 1.00, 1.00, 1.20, 1.10, 1.00, 1.00, 1.10, 1.30, 1.20, 1.00, 0.80, 0.50, 0.30, 0, 0];

    public static readonly double[] ContactCenter =
        [0, 0, 0, 0, 0, 0, 0, 0, 0.80, 1.20, 1.30, 1.30, 1.50, 1.40, 1.20, 1.10, 1.00, 0.90, 0.70, 0.50, 0.30, 0, 0, 0];

    /// <summary>Whether the contact centre takes calls at this time of day.</summary>
    public static bool ContactCenterOpen(TimeSpan timeOfDay) => ContactCenter[(int)timeOfDay.TotalHours % 24] > 0;

    /// <summary>A time of day drawn from the curve: an hour by weight, then uniformly within it.</summary>
    public static TimeSpan Sample(DemoRandom rng, double[] weights)
    {
        var hours = new (int Item, double Weight)[weights.Length];
        for (var h = 0; h < weights.Length; h++)
        {
            hours[h] = (h, weights[h]);
        }
        var hour = rng.Pick(hours);
        return TimeSpan.FromHours(hour) + TimeSpan.FromMilliseconds(Math.Floor(rng.Uniform(0, 3_600_000)));
    }
}
