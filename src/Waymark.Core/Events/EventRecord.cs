namespace Waymark.Core.Events;

/// <summary>
/// One accepted event: validated, its time corrected for the client's clock,
/// masked, identities hashed. This is the fact that is stored; what arrived
/// before that is a <see cref="Protocol.IncomingEvent"/>. The batch-level
/// facts (app, visitor, device, location) are in <see cref="BatchContext"/>.
/// System facts (<see cref="EventTypes.IsSystemFact"/>) are written by the
/// journey itself: for them <see cref="Name"/> is the end reason, the
/// logic's name or the signal's name.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record EventRecord
{
    /// <summary>The client-generated id; a retried event carries the same one.</summary>
    [Id(0)] public required string EventId { get; init; }
    /// <summary>The kind of event.</summary>
    [Id(1)] public required EventType Type { get; init; }
    /// <summary>When it happened, corrected for the client's clock skew.</summary>
    [Id(2)] public required DateTimeOffset Timestamp { get; init; }
    /// <summary>Page or screen name, action name, custom event or goal name, vital name; for a system fact what it says.</summary>
    [Id(3)] public string? Name { get; init; }
    /// <summary>Page URL or request URL, masked.</summary>
    [Id(4)] public string? Url { get; init; }
    /// <summary>Load, action or request duration in milliseconds.</summary>
    [Id(5)] public double? Duration { get; init; }
    /// <summary>HTTP status of a request; 0 for a network failure.</summary>
    [Id(6)] public int? Status { get; init; }
    /// <summary>HTTP method of a request.</summary>
    [Id(7)] public string? Method { get; init; }
    /// <summary>A request to a third-party host.</summary>
    [Id(8)] public bool ThirdParty { get; init; }
    /// <summary>Web vital value or conversion value.</summary>
    [Id(9)] public double? Value { get; init; }
    /// <summary>Error message, masked.</summary>
    [Id(10)] public string? Message { get; init; }
    /// <summary>Error stack.</summary>
    [Id(11)] public string? Stack { get; init; }
    /// <summary>Error source (script URL and line).</summary>
    [Id(12)] public string? Source { get; init; }
    /// <summary>Error fingerprint: errors with the same one are the same problem.</summary>
    [Id(13)] public string? Fingerprint { get; init; }
    /// <summary>Masked descriptor of the element an action targeted.</summary>
    [Id(14)] public string? Target { get; init; }
    /// <summary>Frustration signals on an action: rage, dead, error (comma separated).</summary>
    [Id(15)] public string? Frustration { get; init; }
    /// <summary>The id of the user action this event belongs to.</summary>
    [Id(16)] public string? ActionId { get; init; }
    /// <summary>Custom properties as a JSON object.</summary>
    [Id(17)] public string? Props { get; init; }
    /// <summary>An action or request that failed; an error that crashed the app (fatal).</summary>
    [Id(18)] public bool Failed { get; init; }
    /// <summary>What an identify event says: the kind of key and the stored (hashed) key, and the traits' keys.</summary>
    [Id(19)] public Identity? Identity { get; init; }
}

/// <summary>
/// The identity an identify event stores: a user tag as given, or an e-mail,
/// phone or loyalty key normalised and hashed (see <see cref="Core.Identity.IdentityKeys"/>),
/// with the keys of the traits it carried (an e-mail and a phone given at a login).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Identity(
    [property: Id(0)] string Kind,
    [property: Id(1)] string Key,
    [property: Id(2)] IReadOnlyList<IdentityTrait>? Traits = null)
{
    /// <summary>A login: the key is a user tag, which names the session's user.</summary>
    public bool IsUser => Kind == Core.Identity.IdentityKeys.User;

    /// <summary>Identities are equal when they say the same, traits compared in order.</summary>
    public bool Equals(Identity? other) =>
        other is not null && Kind == other.Kind && Key == other.Key && (Traits ?? []).SequenceEqual(other.Traits ?? []);

    public override int GetHashCode() => HashCode.Combine(Kind, Key, Traits?.Count ?? 0);
}

/// <summary>A trait of an identify event that is itself a key of the customer.</summary>
[GenerateSerializer, Immutable]
public sealed record IdentityTrait([property: Id(0)] string Kind, [property: Id(1)] string Key);

/// <summary>Everything a batch says about who sent it, from where and on what.</summary>
[GenerateSerializer, Immutable]
public sealed record BatchContext
{
    [Id(0)] public required string App { get; init; }
    [Id(1)] public required string Channel { get; init; }
    [Id(2)] public required string Visitor { get; init; }
    /// <summary>The client's session id; the server may split it (see SessionRules).</summary>
    [Id(3)] public string? ClientSession { get; init; }
    [Id(4)] public string? UserTag { get; init; }
    [Id(5)] public required DateTimeOffset Received { get; init; }
    [Id(6)] public string DeviceClass { get; init; } = "unknown";
    [Id(7)] public string? Browser { get; init; }
    [Id(8)] public string? BrowserVersion { get; init; }
    [Id(9)] public string? Os { get; init; }
    [Id(10)] public string? OsVersion { get; init; }
    [Id(11)] public string? Model { get; init; }
    [Id(12)] public string? AppVersion { get; init; }
    [Id(13)] public string? Locale { get; init; }
    [Id(14)] public string? Country { get; init; }
    [Id(15)] public string? City { get; init; }
    /// <summary>The client IP after anonymisation: the raw address is never stored.</summary>
    [Id(16)] public string? Ip { get; init; }
    /// <summary>Where in the world of the business: a store, a desk, a queue.</summary>
    [Id(17)] public string? Touchpoint { get; init; }
    /// <summary>What the customer consented to: "full", "analytics" or "none"; null when the client did not say.</summary>
    [Id(18)] public string? Consent { get; init; }
}
