using System.Security.Cryptography;
using System.Text;
using Waymark.Core.Events;
using Waymark.Core.Protocol;
using Waymark.Core.Rules;

namespace Waymark.Server.Ingest;

/// <summary>
/// Consent enforced on the server, whatever the client did: at <c>analytics</c> no identity is kept (no user tag, no
/// identify event, no customer named); at <c>none</c> the visit is counted anonymously as well (the visitor id is
/// replaced by one derived from the app and session that no later visit shares, and no IP address or city is kept).
/// </summary>
public static class ConsentGate
{
    /// <summary>The wire names a client may send, with the agent's <c>anonymous</c> (ids in memory only) as analytics.</summary>
    public const string Names = "none, analytics (or the agent's anonymous), full";

    /// <summary>The level a batch runs at: what the client said, else the app's default; null when neither says.</summary>
    public static bool TryRead(string? said, out ConsentLevel? level)
    {
        level = null;
        if (said is null)
        {
            return true;
        }
        if (string.Equals(said, "anonymous", StringComparison.OrdinalIgnoreCase))
        {
            level = ConsentLevel.Analytics;
            return true;
        }
        if (ConsentLevels.TryParse(said.ToLowerInvariant(), out var parsed))
        {
            level = parsed;
            return true;
        }
        return false;
    }

    /// <summary>
    /// Takes out of the batch what the level does not allow: the header's user tag and visitor (at none), and every
    /// identify event, each reported in <paramref name="rejected"/> with the reason.
    /// </summary>
    public static IReadOnlyList<IncomingEvent> Restrict(ConsentLevel level, BeaconHeader h, IReadOnlyList<IncomingEvent> events, List<EventError> rejected)
    {
        if (level == ConsentLevel.Full)
        {
            return events;
        }
        h.User = null;
        if (level == ConsentLevel.None)
        {
            h.Visitor = AnonymousVisitor(h.App, h.Session ?? h.Visitor);
        }
        var kept = new List<IncomingEvent>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].Type == EventType.Identify)
            {
                rejected.Add(new EventError(i, events[i].EventId, $"events[{i}]",
                    $"not stored: an identity (user tag, e-mail, phone, loyalty card) needs full consent, and this batch's consent is {ConsentLevels.Name(level)}"));
                continue;
            }
            kept.Add(events[i]);
        }
        return kept.Count == events.Count ? events : kept;
    }

    /// <summary>The context as stored at this level: at none without the IP address and the city.</summary>
    public static BatchContext Stored(ConsentLevel level, BatchContext context) => level == ConsentLevel.None
        ? context with { Ip = null, City = null, UserTag = null, Consent = ConsentLevels.Name(level) }
        : context with { Consent = ConsentLevels.Name(level), UserTag = level == ConsentLevel.Full ? context.UserTag : null };

    /// <summary>A visitor id that keeps one session's events together and links it to nothing else.</summary>
    public static string AnonymousVisitor(string app, string session) =>
        "anon-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(app + "\n" + session)))[..24];
}
