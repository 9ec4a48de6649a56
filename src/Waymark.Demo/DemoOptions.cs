namespace Waymark.Demo;

/// <summary>
/// How much demo data Horizon Travel produces. One day at the default volumes
/// gives about 80 000 events: a mid-sized travel agency's quiet weekday.
/// </summary>
public sealed record DemoOptions
{
    /// <summary>The same seed and day always give the same data.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>The app id every batch carries.</summary>
    public string App { get; init; } = "horizon";

    /// <summary>Browser sessions on www.horizon-travel.example.</summary>
    public int WebSessions { get; init; } = 2500;

    /// <summary>Sessions of the iOS and Android app.</summary>
    public int MobileSessions { get; init; } = 1200;

    /// <summary>Sessions on the kiosks in the stores.</summary>
    public int KioskSessions { get; init; } = 250;

    /// <summary>Sessions on the self-service check-in desks at airports.</summary>
    public int CheckinSessions { get; init; } = 400;

    /// <summary>Calls to the contact centre, including those the date-picker bug causes.</summary>
    public int ContactCenterCalls { get; init; } = 250;

    /// <summary>
    /// How many days of 24 hours <see cref="TravelDemo.Days"/> plans, ending
    /// now: calendar days (UTC) from the one <c>Days</c> days ago, cut at this
    /// time of day, to today, cut at now.
    /// </summary>
    public int Days { get; init; } = 14;

    /// <summary>
    /// How many days before today the web release <see cref="DemoRelease.BuggyWebVersion"/>
    /// goes out, at midnight UTC (4: day 10 of 14). Web sessions before it run
    /// <see cref="DemoRelease.PreviousWebVersion"/>, which has no date-picker bug.
    /// </summary>
    public int ReleaseDaysAgo { get; init; } = 4;

    /// <summary>
    /// When the web release with the date-picker bug went out: web sessions
    /// that start at or after it run it. The default, long ago, puts the bug on
    /// every session of a single day; <see cref="TravelDemo.Days"/> sets it
    /// from <see cref="ReleaseDaysAgo"/>.
    /// </summary>
    public DateTimeOffset Release { get; init; } = DateTimeOffset.MinValue;

    /// <summary>Sessions that start before this are left out (the oldest day of a span begins at this time of day).</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Batches received after this are left out (today ends now: its last sessions are still active).</summary>
    public DateTimeOffset? Until { get; init; }
}
