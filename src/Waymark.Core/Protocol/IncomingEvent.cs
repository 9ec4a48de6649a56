using Waymark.Core.Events;

namespace Waymark.Core.Protocol;

/// <summary>
/// One event as it arrived, read from any transport (a beacon, a server-side
/// batch, an OTLP record) and validated field by field: the client's own time,
/// nothing masked or hashed yet. The ingest pipeline turns it into the stored
/// <see cref="EventRecord"/>.
/// </summary>
public sealed record IncomingEvent
{
    /// <summary>The client-generated id; a retried event carries the same one.</summary>
    public required string EventId { get; init; }
    public required EventType Type { get; init; }
    /// <summary>When it happened by the client's clock.</summary>
    public required DateTimeOffset Timestamp { get; init; }
    public string? Name { get; init; }
    public string? Url { get; init; }
    public double? Duration { get; init; }
    public int? Status { get; init; }
    public string? Method { get; init; }
    public bool ThirdParty { get; init; }
    public double? Value { get; init; }
    public string? Message { get; init; }
    public string? Stack { get; init; }
    public string? Source { get; init; }
    public string? Fingerprint { get; init; }
    public string? Target { get; init; }
    public string? Frustration { get; init; }
    public string? ActionId { get; init; }
    /// <summary>Custom properties: a JSON object of names to strings, numbers or booleans, validated once.</summary>
    public string? Props { get; init; }
    public bool Failed { get; init; }
    /// <summary>What an identify event claims, as the client sent it.</summary>
    public IdentityClaim? Identity { get; init; }
}

/// <summary>
/// An identify event's claim before hashing: the kind of key, the value (in
/// clear, or the SHA-256 a client computed when <paramref name="Hashed"/>), and
/// the traits that are keys too (e-mail, phone, loyalty card), read from its props.
/// </summary>
public sealed record IdentityClaim(string Kind, string Value, bool Hashed, IReadOnlyList<(string Kind, string Value)>? Traits = null)
{
    /// <summary>Claims are equal when they say the same, traits compared in order.</summary>
    public bool Equals(IdentityClaim? other) =>
        other is not null && Kind == other.Kind && Value == other.Value && Hashed == other.Hashed &&
        (Traits ?? []).SequenceEqual(other.Traits ?? []);

    public override int GetHashCode() => HashCode.Combine(Kind, Value, Hashed, Traits?.Count ?? 0);
}
