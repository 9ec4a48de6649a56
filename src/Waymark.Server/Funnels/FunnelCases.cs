using System.Globalization;
using System.Text.Json;
using Waymark.Core.Events;
using Waymark.Core.Funnels;
using Waymark.Server.Store;

namespace Waymark.Server.Funnels;

/// <summary>Whether a funnel's cases are sessions or customers.</summary>
public enum CaseKind : byte
{
    Session = 0,
    Customer = 1,
}

/// <summary>One session as funnels, paths, the overlay and attribution read it.</summary>
public sealed record FunnelSession(SessionWithEvents Source, IReadOnlyList<FunnelEvent> Events, IReadOnlyList<StoredEvent> Stored);

/// <summary>The cases of an analysis with their sessions, and the features "why they dropped" compares.</summary>
public sealed class FunnelCaseSet
{
    public required List<FunnelCase> Cases { get; init; }
    /// <summary>Per case, its sessions in start order.</summary>
    public required Dictionary<string, List<FunnelSession>> Sessions { get; init; }
    /// <summary>Per case, its events in case order with the stored event each came from.</summary>
    public required Dictionary<string, List<StoredEvent>> Stored { get; init; }
}

/// <summary>
/// Reads one app's sessions (<see cref="ISessionEvents"/>, so every store gives
/// the same answer) and makes funnel cases of them: a session each, or a
/// customer each. Customers are joined as the identity links join them
/// (DerivedLinks): a visitor — or, on a shared device (kiosk, check-in desk),
/// a session — is one with every key it named (its user tag, identify events
/// and their traits), and two of them are one customer when they share a key.
/// </summary>
public static class FunnelCases
{
    public static async Task<FunnelCaseSet> LoadAsync(
        ISessionEvents store, string app, DateTimeOffset from, DateTimeOffset to, CaseKind kind, Func<SessionWithEvents, string?>? segment,
        CancellationToken cancellationToken)
    {
        var sessions = new List<FunnelSession>();
        await foreach (var s in store.ReadSessionEventsAsync(new SessionEventsQuery(app, from, to), cancellationToken))
        {
            var stored = s.Events.Where(e => e.Event.Type != EventType.Vital && !EventTypes.IsSystemFact(e.Event.Type)).ToList();
            sessions.Add(new FunnelSession(s, [.. stored.Select(ToFunnelEvent)], stored));
        }
        var groups = kind == CaseKind.Session
            ? sessions.Select(s => (Id: s.Source.Session.SessionId, Sessions: new List<FunnelSession> { s })).ToList()
            : Customers(sessions);
        var cases = new List<FunnelCase>(groups.Count);
        var bySession = new Dictionary<string, List<FunnelSession>>(StringComparer.Ordinal);
        var storedByCase = new Dictionary<string, List<StoredEvent>>(StringComparer.Ordinal);
        foreach (var (id, list) in groups)
        {
            var merged = list.SelectMany(s => s.Events.Select((e, i) => (e, Stored: s.Stored[i])))
                .OrderBy(x => x.e.Timestamp).ToList();
            cases.Add(new FunnelCase(id, [.. merged.Select(x => x.e)], segment is null ? null : segment(list[0].Source)));
            bySession[id] = list;
            storedByCase[id] = [.. merged.Select(x => x.Stored)];
        }
        return new FunnelCaseSet { Cases = cases, Sessions = bySession, Stored = storedByCase };
    }

    public static FunnelEvent ToFunnelEvent(StoredEvent s)
    {
        var e = s.Event;
        return new FunnelEvent(e.Timestamp, EventTypes.Name(e.Type), e.Name, s.Context.Channel, s.Context.Touchpoint, Properties(e.Props));
    }

    /// <summary>A JSON object's members as strings (nested values as their JSON text).</summary>
    public static IReadOnlyDictionary<string, string>? Properties(string? props)
    {
        if (string.IsNullOrEmpty(props))
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(props);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            var d = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                d[p.Name] = p.Value.ValueKind switch
                {
                    JsonValueKind.String => p.Value.GetString()!,
                    JsonValueKind.Number => p.Value.GetDouble().ToString(CultureInfo.InvariantCulture),
                    _ => p.Value.GetRawText(),
                };
            }
            return d;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static List<(string Id, List<FunnelSession> Sessions)> Customers(List<FunnelSession> sessions)
    {
        // Union-find over holders ("v:" visitor, "s:" session on a shared device) and keys ("k:kind:key").
        var parent = new Dictionary<string, string>(StringComparer.Ordinal);
        string Find(string x)
        {
            if (!parent.TryGetValue(x, out var p))
            {
                parent[x] = x;
                return x;
            }
            while (p != x)
            {
                var gp = parent[p];
                parent[x] = gp;
                x = p;
                p = gp;
            }
            return x;
        }
        void Union(string a, string b)
        {
            var (ra, rb) = (Find(a), Find(b));
            if (ra != rb)
            {
                // Keys as roots, so a customer is named by a key when it has one.
                if (ra.StartsWith("k:", StringComparison.Ordinal))
                {
                    parent[rb] = ra;
                }
                else
                {
                    parent[ra] = rb;
                }
            }
        }
        var holders = new List<(FunnelSession Session, string Holder)>();
        foreach (var s in sessions)
        {
            var summary = s.Source.Session;
            var holder = Channels.IsSharedDevice(summary.Channel) ? "s:" + summary.SessionId : "v:" + summary.Visitor;
            Find(holder);
            holders.Add((s, holder));
            foreach (var e in s.Source.Events)
            {
                if (e.Context.UserTag is { } tag)
                {
                    Union("k:user:" + tag, holder);
                }
                if (e.Event.Identity is { } id)
                {
                    Union("k:" + id.Kind + ":" + id.Key, holder);
                    foreach (var t in id.Traits ?? [])
                    {
                        Union("k:" + t.Kind + ":" + t.Key, holder);
                    }
                }
            }
        }
        return [.. holders.GroupBy(h => Find(h.Holder), StringComparer.Ordinal)
            .Select(g => (Id: CustomerId(g.Key), Sessions: g.Select(h => h.Session).ToList()))];
    }

    private static string CustomerId(string root) => root.StartsWith("k:", StringComparison.Ordinal) ? root[2..] : root.StartsWith("v:", StringComparison.Ordinal) ? "visitor:" + root[2..] : "session:" + root[2..];
}
