using Waymark.Core.Identity;
using Waymark.Core.Sessions;

namespace Waymark.Server.Store;

/// <summary>
/// A customer is the connected part of the graph of keys and visitors: from
/// one key, the links that name a key or a visitor found so far, round after
/// round, until nothing new turns up. Every store walks it the same way over
/// its own two reads.
/// </summary>
public static class CustomerWalk
{
    /// <summary>The walk stops after this many rounds (a sane customer has a handful of links).</summary>
    public const int MaxRounds = 8;

    /// <summary>Links read at the most.</summary>
    public const int MaxLinks = 2000;

    /// <summary>Reads the links of an app that name one of the keys or (links not bound to a session) one of the visitors; active ones only, or all.</summary>
    public delegate Task<List<LinkInfo>> ReadLinks(HashSet<(string Kind, string Key)> keys, HashSet<string> visitors, bool activeOnly);

    /// <summary>Reads the sessions of the visitors and of the sessions named (shared devices).</summary>
    public delegate Task<List<SessionSummary>> ReadSessions(HashSet<string> visitors, HashSet<string> sessions);

    public static async Task<CustomerJourney?> RunAsync(string kind, string key, ReadLinks readLinks, ReadSessions readSessions)
    {
        var keys = new HashSet<(string, string)> { (kind, key) };
        var visitors = new HashSet<string>(StringComparer.Ordinal);
        var sessions = new HashSet<string>(StringComparer.Ordinal);
        var links = new Dictionary<string, LinkInfo>(StringComparer.Ordinal);
        for (var round = 0; round < MaxRounds && links.Count < MaxLinks; round++)
        {
            var grew = false;
            foreach (var l in await readLinks(keys, visitors, activeOnly: true))
            {
                if (!links.TryAdd(l.Id, l))
                {
                    continue;
                }
                grew = true;
                keys.Add((l.Kind, l.Key));
                if (l.Session is null)
                {
                    visitors.Add(l.Visitor);
                }
                else
                {
                    sessions.Add(l.Session);
                }
            }
            if (!grew)
            {
                break;
            }
        }
        if (links.Count == 0)
        {
            return null;
        }
        // Undone links of the same keys are shown too, marked, so an operator
        // sees what was taken apart and when.
        foreach (var l in await readLinks(keys, [], activeOnly: false))
        {
            links.TryAdd(l.Id, l);
        }
        var id = keys.OrderBy(k => k.Item1 == IdentityKeys.User ? 0 : 1).ThenBy(k => k.Item1, StringComparer.Ordinal).ThenBy(k => k.Item2, StringComparer.Ordinal)
            .Select(k => k.Item1 + ":" + k.Item2).First();
        var summaries = await readSessions(visitors, sessions);
        return new CustomerJourney(id, [.. links.Values.OrderBy(l => l.At)], summaries);
    }
}
