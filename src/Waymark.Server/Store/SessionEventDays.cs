using Waymark.Core.Sessions;

namespace Waymark.Server.Store;

/// <summary>What both stores share in reading sessions with their events: the day chunks and the grouping.</summary>
public static class SessionEventDays
{
    /// <summary>[from, to) cut at UTC midnights.</summary>
    public static IEnumerable<(DateTimeOffset From, DateTimeOffset To)> Of(DateTimeOffset from, DateTimeOffset to)
    {
        var start = from;
        while (start < to)
        {
            var next = new DateTimeOffset(start.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
            var end = next < to ? next : to;
            yield return (start, end);
            start = end;
        }
    }

    /// <summary>The part of the query's range that holds sessions: from the first start to just after the last (both within the range).</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Bounds(SessionEventsQuery q, DateTimeOffset firstStart, DateTimeOffset lastStart)
    {
        var from = firstStart > q.From ? firstStart : q.From;
        var to = lastStart.AddTicks(10) < q.To ? lastStart.AddTicks(10) : q.To;
        return (from, to);
    }

    public static Dictionary<(string Visitor, string Session), List<StoredEvent>> Index(IEnumerable<SessionSummary> sessions)
    {
        var index = new Dictionary<(string, string), List<StoredEvent>>();
        foreach (var s in sessions)
        {
            index[(s.Visitor, s.SessionId)] = [];
        }
        return index;
    }

    /// <summary>Adds an event to its session's list, once per visitor and event id, when the session is one of the chunk's.</summary>
    public static void Add(Dictionary<(string Visitor, string Session), List<StoredEvent>> index, HashSet<(string, string)> seen, StoredEvent e)
    {
        if (index.TryGetValue((e.Context.Visitor, e.Session), out var list) && seen.Add((e.Context.Visitor, e.Event.EventId)))
        {
            list.Add(e);
        }
    }

    public static List<SessionWithEvents> Collect(List<SessionSummary> sessions, Dictionary<(string Visitor, string Session), List<StoredEvent>> index) =>
        [.. sessions.Select(s => new SessionWithEvents(s, index[(s.Visitor, s.SessionId)]))];
}
