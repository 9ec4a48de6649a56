using System.ComponentModel.DataAnnotations;

namespace Waymark.Server.Store.ClickHouse;

/// <summary>Options of the ClickHouse store (section Waymark:ClickHouse), used when Waymark:Store:Kind is clickhouse.</summary>
public sealed class ClickHouseOptions
{
    /// <summary>ClickHouse's HTTP interface, e.g. http://127.0.0.1:8123/.</summary>
    [Required]
    public string Url { get; set; } = "http://127.0.0.1:8123/";

    /// <summary>The database the tables are in (created when missing).</summary>
    [Required, RegularExpression("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    public string Database { get; set; } = "waymark";

    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>
    /// When set, the tables are sharded: each table is local on every server of
    /// this ClickHouse cluster (from its remote_servers configuration), with a
    /// Distributed table in front, sharded by app and visitor.
    /// </summary>
    public string? Cluster { get; set; }

    /// <summary>Sharded: the HTTP interface of every server of the cluster, where the local tables are created.</summary>
    public List<string> ShardUrls { get; set; } = [];

    /// <summary>Events appended but not yet confirmed by ClickHouse before the collector answers 503.</summary>
    [Range(1000, 50_000_000)]
    public int MaxPendingEvents { get; set; } = 200_000;

    /// <summary>
    /// The least time between the starts of two inserts of this node, ms (default 50).
    /// Appends that arrive meanwhile go in one insert: an answer waits at most this
    /// long more, and ClickHouse makes and merges far fewer parts. 0 inserts at once.
    /// </summary>
    [Range(0, 5000)]
    public int InsertIntervalMilliseconds { get; set; } = 50;

    /// <summary>Facts in one insert at the most (a node batches what waits while the last insert runs).</summary>
    [Range(100, 1_000_000)]
    public int MaxFactsPerInsert { get; set; } = 50_000;

    /// <summary>Seconds a client is told to wait when the store is behind.</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 2;

    /// <summary>Timeout of one HTTP request to ClickHouse, seconds.</summary>
    [Range(1, 3600)]
    public int RequestTimeoutSeconds { get; set; } = 60;
}
