using System.IO.Hashing;
using System.Text;
using Waymark.Core.Events;
using Waymark.Core.Identity;

namespace Waymark.Server.Store;

/// <summary>One identity link a journey's facts make: a key of a customer seen with a visitor (or, on a shared device, a session).</summary>
public sealed record DerivedLink(string Id, string App, string Visitor, string? Session, string Channel, string Kind, string Key, string Source, DateTimeOffset At);

/// <summary>
/// The identity links an append makes — identify events, their traits, and
/// the user tag a batch names — the same for every store. A link's id depends
/// on what it links, not on when, so writing it again changes nothing.
/// </summary>
public static class DerivedLinks
{
    public static IEnumerable<DerivedLink> Of(JourneyAppend append)
    {
        var tagged = false;
        foreach (var (sessionId, ctx, e) in append.Facts)
        {
            // On a shared device a link holds for the session only.
            var session = Channels.IsSharedDevice(ctx.Channel) ? sessionId : null;
            if (!tagged && ctx.UserTag is { } tag && !EventTypes.IsSystemFact(e.Type))
            {
                tagged = true;
                yield return Link(ctx, session, IdentityKeys.User, tag, "batch", e.Timestamp);
            }
            if (e.Type != EventType.Identify || e.Identity is not { } id)
            {
                continue;
            }
            yield return Link(ctx, session, id.Kind, id.Key, "identify", e.Timestamp);
            foreach (var trait in id.Traits ?? [])
            {
                yield return Link(ctx, session, trait.Kind, trait.Key, "trait", e.Timestamp);
            }
        }
    }

    private static DerivedLink Link(BatchContext ctx, string? session, string kind, string key, string source, DateTimeOffset at) => new(
        Convert.ToHexStringLower(XxHash128.Hash(Encoding.UTF8.GetBytes(string.Join('\u001f', ctx.App, ctx.Visitor, session ?? "", kind, key))))[..24],
        ctx.App, ctx.Visitor, session, ctx.Channel, kind, key, source, at);

    /// <summary>The keys among an identify event's stored (hashed) traits, read back from its props.</summary>
    public static IReadOnlyList<IdentityTrait>? TraitsOf(string? props)
    {
        if (props is null)
        {
            return null;
        }
        List<IdentityTrait>? traits = null;
        using var doc = System.Text.Json.JsonDocument.Parse(props);
        foreach (var kind in (string[])[IdentityKeys.Email, IdentityKeys.Phone, IdentityKeys.Loyalty])
        {
            if (doc.RootElement.TryGetProperty(kind, out var v) && v.ValueKind == System.Text.Json.JsonValueKind.String && v.GetString() is { Length: > 0 } key)
            {
                (traits ??= []).Add(new IdentityTrait(kind, key));
            }
        }
        return traits;
    }
}
