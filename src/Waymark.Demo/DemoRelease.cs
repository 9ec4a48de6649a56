namespace Waymark.Demo;

/// <summary>
/// The web releases of the demo span. Web sessions carry the release they run
/// as their app version; the date-picker bug ships with
/// <see cref="BuggyWebVersion"/> (the release day is <see cref="DemoOptions.ReleaseDaysAgo"/>).
/// </summary>
public static class DemoRelease
{
    /// <summary>The website before the release: the date picker works in every locale.</summary>
    public const string PreviousWebVersion = "2026.11.2";

    /// <summary>The website from the release on: its new date picker throws on Safari for de-DE and nl-NL.</summary>
    public const string BuggyWebVersion = "2026.11.3";

    /// <summary>The web version a session that starts at this time runs.</summary>
    public static string WebVersion(DateTimeOffset sessionStart, DateTimeOffset release) =>
        sessionStart >= release ? BuggyWebVersion : PreviousWebVersion;
}
