namespace Waymark.Demo;

/// <summary>
/// One day of demo data for Horizon Travel, a fictional travel agency with a
/// website, an app, kiosks in its stores, check-in desks at airports and a
/// contact centre. The day shows four stories: a date-picker bug that stops
/// Safari users on de-DE and nl-NL from booking (some then call), a slow and
/// sometimes failing availability partner, carts abandoned after dawdling, and
/// ordinary bookings.
/// </summary>
public sealed class TravelDemo
{
    private TravelDemo()
    {
    }

    /// <summary>
    /// The day's beacons in the order the server receives them, as a real
    /// client would send them; the same for the same day and options.
    /// </summary>
    public static IEnumerable<DemoBatch> Generate(DateTimeOffset dayStart, DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var batches = new DemoDay(dayStart, options).Build();
        // OrderBy is stable: batches received in the same millisecond keep the order they were made in.
        return batches.OrderBy(b => b.Context.Received).ToArray();
    }
}
