using Waymark.Core.Sessions;

namespace Waymark.Server.Store;

/// <summary>How a list of sessions is ordered.</summary>
public enum SessionOrder
{
    /// <summary>Newest first.</summary>
    Recent,
    /// <summary>Frustrated sessions first, then tolerating, then satisfied; newest first within each.</summary>
    FrustratedFirst,
}

/// <summary>
/// The one query over sessions, for the query API and the console alike.
/// Every filter is optional (null means "any"); the store answers it, and
/// <see cref="Apply"/> answers it over sessions already in hand.
/// </summary>
public sealed record SessionQuery
{
    public string? App { get; init; }
    public string? Channel { get; init; }
    public string? Country { get; init; }
    public string? City { get; init; }
    public string? DeviceClass { get; init; }
    public string? Browser { get; init; }
    public string? AppVersion { get; init; }
    /// <summary>Sessions that end at or after this time.</summary>
    public DateTimeOffset? From { get; init; }
    /// <summary>Sessions that start before this time.</summary>
    public DateTimeOffset? To { get; init; }
    public Experience? Experience { get; init; }
    public bool? HasErrors { get; init; }
    public bool? Converted { get; init; }
    /// <summary>Open sessions only (true) or ended ones only (false): the journey ends a session, no reader guesses.</summary>
    public bool? Active { get; init; }
    public string? UserTag { get; init; }
    public string? Visitor { get; init; }
    /// <summary>A customer's visitors and (shared-device) sessions: a session matches when it belongs to one of them.</summary>
    public IReadOnlyCollection<string>? Visitors { get; init; }
    public IReadOnlyCollection<string>? SessionIds { get; init; }
    public SessionOrder Order { get; init; }
    public int Limit { get; init; } = 100;
    public int Offset { get; init; }

    /// <summary>The same filters, order and page over sessions in hand (a customer's, read by the identity walk).</summary>
    public (IReadOnlyList<SessionSummary> Sessions, long Total) Apply(IEnumerable<SessionSummary> sessions)
    {
        var matching = sessions.Where(Matches);
        var ordered = Order == SessionOrder.FrustratedFirst
            ? matching.OrderByDescending(s => s.Experience).ThenByDescending(s => s.Start).ThenBy(s => s.SessionId, StringComparer.Ordinal)
            : matching.OrderByDescending(s => s.Start).ThenBy(s => s.SessionId, StringComparer.Ordinal);
        var all = ordered.ToList();
        return ([.. all.Skip(Offset).Take(Limit)], all.Count);
    }

    public bool Matches(SessionSummary s) =>
        (App is null || s.App == App)
        && (Channel is null || s.Channel == Channel)
        && (Country is null || string.Equals(s.Country, Country, StringComparison.OrdinalIgnoreCase))
        && (City is null || s.City == City)
        && (DeviceClass is null || s.DeviceClass == DeviceClass)
        && (Browser is null || s.Browser == Browser)
        && (AppVersion is null || s.AppVersion == AppVersion)
        && (From is null || s.End >= From)
        && (To is null || s.Start < To)
        && (Experience is null || s.Experience == Experience)
        && (HasErrors is null || (s.Errors > 0) == HasErrors)
        && (Converted is null || s.Converted == Converted)
        && (Active is null || !s.Ended == Active)
        && (UserTag is null || s.UserTag == UserTag)
        && (Visitor is null || s.Visitor == Visitor)
        && (Visitors is null || Visitors.Contains(s.Visitor))
        && (SessionIds is null || SessionIds.Contains(s.SessionId));
}

/// <summary>The values the stored sessions of an app have, for filter choices.</summary>
public sealed record Facets(IReadOnlyList<string> Countries, IReadOnlyList<string> Cities, IReadOnlyList<string> Devices, IReadOnlyList<string> Browsers, IReadOnlyList<string> AppVersions)
{
    public static Facets Empty { get; } = new([], [], [], [], []);
}
