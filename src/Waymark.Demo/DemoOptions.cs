namespace Waymark.Demo;

/// <summary>
/// How much demo data one day of Horizon Travel produces. The defaults give
/// about 90 000 events: a mid-sized travel agency's quiet weekday.
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
}
