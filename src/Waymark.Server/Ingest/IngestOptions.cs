using System.ComponentModel.DataAnnotations;
using Waymark.Core.Protocol;

namespace Waymark.Server.Ingest;

/// <summary>Options of the collector (section Waymark:Collect).</summary>
public sealed class CollectOptions
{
    /// <summary>Largest beacon body, bytes (1 MiB).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Beacons processed at once; more wait in a queue of the same size, then get 503.</summary>
    [Range(1, 100_000)]
    public int MaxConcurrentRequests { get; set; } = 256;

    /// <summary>What one beacon may carry.</summary>
    public BeaconLimits Limits { get; set; } = new();

    /// <summary>
    /// Requests to the collectors (beacons, server events, OTLP) one client address may send per minute, in a token
    /// bucket refilled every second, so a burst of a few seconds passes; 0 turns the limit off. Behind a NAT or a
    /// corporate proxy many browsers share an address: raise it there.
    /// </summary>
    [Range(0, 10_000_000)]
    public int PerClientPerMinute { get; set; } = 1200;

    /// <summary>Events one app may send per second on this node (twice that in a burst); 0 turns the limit off.</summary>
    [Range(0, 100_000_000)]
    public int PerAppEventsPerSecond { get; set; } = 50_000;
}

/// <summary>GeoIP lookup (section Waymark:Geo).</summary>
public sealed class GeoOptions
{
    /// <summary>A MaxMind GeoIP2 / GeoLite2 City (or Country) database file; empty to skip geolocation.</summary>
    public string? DatabasePath { get; set; }
}

/// <summary>How identities are kept (section Waymark:Identity).</summary>
public sealed class IdentityOptions
{
    /// <summary>
    /// A secret of this installation: e-mail, phone and loyalty keys are stored
    /// as HMAC-SHA256(secret, SHA-256 of the value), so they cannot be matched
    /// against another system's hashes. Empty: plain SHA-256.
    /// </summary>
    public string? HashSecret { get; set; }

    /// <summary>
    /// User tags (logins) are stored as HMAC-SHA256 under <see cref="HashSecret"/>
    /// too, so the store holds no login in clear. The console and the API
    /// still find a customer by the tag typed in full (it is hashed the same
    /// way), but show the hash. Needs HashSecret.
    /// </summary>
    public bool HashUserTags { get; set; }
}
