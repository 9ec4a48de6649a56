namespace Waymark.Demo;

/// <summary>One calendar day of a demo span: its midnight (UTC) and the options that generate it.</summary>
public sealed record DemoDaySpec(DateOnly Date, DateTimeOffset Start, DemoOptions Options);

/// <summary>
/// Demo data for Horizon Travel, a fictional travel agency with a website, an
/// app, kiosks in its stores, check-in desks at airports and a contact centre.
/// The data shows its stories: a web release that breaks the date picker for
/// Safari users on de-DE and nl-NL (some then call), a slow and sometimes
/// failing availability partner, carts abandoned after dawdling, and ordinary
/// bookings.
/// </summary>
public sealed class TravelDemo
{
    private TravelDemo()
    {
    }

    /// <summary>
    /// One day's beacons in the order the server receives them, as a real
    /// client would send them; the same for the same day and options.
    /// </summary>
    public static IEnumerable<DemoBatch> Generate(DateTimeOffset dayStart, DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IEnumerable<DemoBatch> batches = new DemoDay(dayStart, options).Build();
        if (options.From is { } from)
        {
            // Whole sessions only: a session that started before the span is not cut in half.
            var early = batches.GroupBy(b => (b.Context.Visitor, b.Context.ClientSession))
                .Where(g => g.Min(b => b.Events.Min(e => e.Timestamp)) < from)
                .Select(g => g.Key)
                .ToHashSet();
            batches = batches.Where(b => !early.Contains((b.Context.Visitor, b.Context.ClientSession)));
        }
        if (options.Until is { } until)
        {
            batches = batches.Where(b => b.Context.Received <= until);
        }
        // OrderBy is stable: batches received in the same millisecond keep the order they were made in.
        return batches.OrderBy(b => b.Context.Received).ToArray();
    }

    /// <summary>
    /// The calendar days (UTC) of the <see cref="DemoOptions.Days"/> × 24 hours
    /// that end at <paramref name="now"/>, oldest first: the first begins at
    /// now's time of day, today ends now. Each day draws from a seed of its own
    /// (derived from the seed and the date), its volumes vary with the day of
    /// the week, and web sessions from <see cref="DemoOptions.ReleaseDaysAgo"/>
    /// days before today on run the release with the date-picker bug.
    /// Generate each with <see cref="Generate"/>; no visitor spans two days, so
    /// the days may be loaded in any order.
    /// </summary>
    public static IReadOnlyList<DemoDaySpec> Days(DateTimeOffset now, DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Days, 1);
        now = now.ToUniversalTime();
        var from = now.AddDays(-options.Days);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var release = new DateTimeOffset(today.AddDays(-options.ReleaseDaysAgo), TimeOnly.MinValue, TimeSpan.Zero);
        var days = new List<DemoDaySpec>(options.Days + 1);
        for (var date = DateOnly.FromDateTime(from.UtcDateTime); date <= today; date = date.AddDays(1))
        {
            var start = new DateTimeOffset(date, TimeOnly.MinValue, TimeSpan.Zero);
            if (start.AddDays(1) <= from)
            {
                continue;
            }
            days.Add(new DemoDaySpec(date, start, DemoWeek.Scaled(options, date) with
            {
                Seed = DemoWeek.DaySeed(options.Seed, date),
                Release = release,
                From = start < from ? from : null,
                Until = date == today ? now : null,
            }));
        }
        return days;
    }
}
