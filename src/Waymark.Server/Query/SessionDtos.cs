using Waymark.Core.Events;
using Waymark.Core.Sessions;
using Waymark.Server.Store;

namespace Waymark.Server.Query;

public sealed record DeviceDto(string Class, string? Browser, string? Os, string? AppVersion);

public sealed record LocationDto(string? Country, string? City);

/// <summary>A session as the query API shows it.</summary>
public sealed record SessionDto(
    string Id, string App, string Visitor, string Channel, string? UserTag,
    DateTimeOffset Start, DateTimeOffset End, long DurationMs,
    int Events, int Pages, int Actions, int Errors, int Crashes, int Requests, int FailedRequests, int RageClicks,
    bool Converted, double ConversionValue, bool Bounce, string? EntryPage, string? ExitPage,
    string Experience, double? Apdex, string? ApdexBand, bool Ended, string? EndReason, bool Active,
    DeviceDto Device, LocationDto Location, string? Locale, string? Touchpoint)
{
    public static SessionDto From(SessionSummary s) => new(
        s.SessionId, s.App, s.Visitor, s.Channel, s.UserTag,
        s.Start, s.End, (long)s.Duration.TotalMilliseconds,
        s.Events, s.Pages, s.Actions, s.Errors, s.Crashes, s.Requests, s.FailedRequests, s.RageClicks,
        s.Converted, s.ConversionValue, s.Bounce, s.EntryPage, s.ExitPage,
        ExperienceScore.Name(s.Experience), s.ApdexScore, s.ApdexScore is { } a ? Core.Sessions.Apdex.Band(a) : null,
        s.Ended, s.EndReason, !s.Ended,
        new DeviceDto(s.DeviceClass, s.Browser, s.Os, s.AppVersion), new LocationDto(s.Country, s.City), s.Locale, s.Touchpoint);
}

/// <summary>One event of a session's timeline.</summary>
public sealed record EventDto(
    string Id, string Type, DateTimeOffset Ts, DateTimeOffset Received, string? Name, string? Url, double? Duration,
    int? Status, string? Method, bool ThirdParty, double? Value, string? Message, string? Stack, string? Source,
    string? Fingerprint, string? Target, string[]? Frustration, string? Action, string? Props, bool Failed, string? User)
{
    public static EventDto From(StoredEvent s)
    {
        var e = s.Event;
        // An identify event shows the kind of key as its name (none for a login) and the stored key as its user.
        var name = e.Identity is { } id ? (id.IsUser ? null : id.Kind) : e.Name;
        return new(e.EventId, EventTypes.Name(e.Type), e.Timestamp, s.Context.Received, name, e.Url, e.Duration,
            e.Status, e.Method, e.ThirdParty, e.Value, e.Message, e.Stack, e.Source,
            e.Fingerprint, e.Target, e.Frustration?.Split(','), e.ActionId, e.Props, e.Failed, e.Identity?.Key);
    }
}

public sealed record SessionListDto(long Total, int Offset, int Limit, IReadOnlyList<SessionDto> Sessions);

public sealed record TimelineDto(SessionDto Session, IReadOnlyList<EventDto> Events);
