using System.ComponentModel.DataAnnotations;

namespace Waymark.Server.Cluster;

/// <summary>
/// Options of the Orleans cluster (section Waymark:Orleans). Embedded (no
/// <see cref="Redis"/>): one co-hosted silo with localhost clustering. With
/// Redis: every node running the same binary joins one cluster through
/// Redis membership, and the change feed is carried between the nodes.
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>A Redis connection string (e.g. 127.0.0.1:6379) for membership and the change feed; empty for one embedded node.</summary>
    public string? Redis { get; set; }

    /// <summary>The cluster's id: the nodes that share it form one cluster.</summary>
    [Required]
    public string ClusterId { get; set; } = "waymark";

    /// <summary>The silo's port for the other silos; 0 for a free one (embedded).</summary>
    [Range(0, 65535)]
    public int SiloPort { get; set; }

    /// <summary>The silo's gateway port; 0 for a free one.</summary>
    [Range(0, 65535)]
    public int GatewayPort { get; set; }

    /// <summary>The address the other silos reach this one at.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>How long a caller waits for a journey: a store that stalls longer makes the collector answer 503.</summary>
    [Range(1, 600)]
    public int ResponseTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// How fast a dead node is declared dead (its journeys move to the others):
    /// a probe times out after this many seconds; two missed probes by two
    /// other nodes declare it dead.
    /// </summary>
    [Range(1, 60)]
    public int ProbeTimeoutSeconds { get; set; } = 2;
}
