using Waymark.Core.Sessions;

namespace Waymark.Server.Mining;

/// <summary>What one case of the log is.</summary>
public enum CaseNotion
{
    /// <summary>One session.</summary>
    Session,

    /// <summary>A customer's journey across channels: every session of the visitors an identity link joins.</summary>
    Customer,
}

/// <summary>What makes two events the same activity.</summary>
public enum ActivityClassifier
{
    /// <summary>Page or screen views, by page or screen name.</summary>
    Page,

    /// <summary>Views, actions, custom events and conversions, by their name.</summary>
    Event,

    /// <summary>"channel: touchpoint" (the batch's touchpoint, else the view or event name); repeats in a row count once.</summary>
    ChannelTouchpoint,
}

/// <summary>Which sessions count: each set field must match the session.</summary>
public sealed record JourneySegment(
    string? Device = null, string? Country = null, string? AppVersion = null, string? Browser = null,
    string? Os = null, string? Locale = null, bool? Converted = null)
{
    public bool Matches(SessionSummary s) =>
        Same(Device, s.DeviceClass) && Same(Country, s.Country) && Same(AppVersion, s.AppVersion) && Same(Browser, s.Browser)
        && Same(Os, s.Os) && Same(Locale, s.Locale) && (Converted is null || Converted == s.Converted);

    public bool IsEmpty => this == new JourneySegment();

    private static bool Same(string? wanted, string? actual) =>
        wanted is null || string.Equals(wanted, actual, StringComparison.OrdinalIgnoreCase);
}

/// <summary>An event log to build from an app's journeys.</summary>
public sealed record JourneyLogQuery(
    string App, DateTimeOffset From, DateTimeOffset To,
    CaseNotion Case = CaseNotion.Session,
    ActivityClassifier Activity = ActivityClassifier.Page,
    string? Channel = null,
    JourneySegment? Segment = null,
    int MaxSessions = 200_000);
