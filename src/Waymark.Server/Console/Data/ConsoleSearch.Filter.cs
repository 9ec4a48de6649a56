using Waymark.Core.Sessions;

namespace Waymark.Server.Console.Data;

public sealed partial record ConsoleSearch
{
    /// <summary>
    /// The same filters, order and page over sessions already in hand (a
    /// customer's, which the identity walk has read): no second trip to the store.
    /// </summary>
    public (IReadOnlyList<SessionSummary> Sessions, long Total) Apply(IEnumerable<SessionSummary> sessions)
    {
        var matching = sessions.Where(Matches);
        var ordered = Order == SearchOrder.FrustratedFirst
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
        && (Device is null || s.DeviceClass == Device)
        && (Browser is null || s.Browser == Browser)
        && (AppVersion is null || s.AppVersion == AppVersion)
        && (From is null || s.End >= From)
        && (To is null || s.Start < To)
        && (Experience is null || s.Experience == Experience)
        && (HasErrors is null || (s.Errors > 0) == HasErrors)
        && (Converted is null || s.Converted == Converted)
        && (ActiveSince is null || (!s.Ended && s.LastReceived >= ActiveSince))
        && (UserTag is null || s.UserTag == UserTag)
        && (Visitors is null || Visitors.Contains(s.Visitor))
        && (SessionIds is null || SessionIds.Contains(s.SessionId));
}
