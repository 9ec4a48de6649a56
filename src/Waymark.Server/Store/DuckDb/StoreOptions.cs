using System.ComponentModel.DataAnnotations;

namespace Waymark.Server.Store.DuckDb;

/// <summary>Options of the embedded DuckDB store (section Waymark:Store).</summary>
public sealed class StoreOptions
{
    /// <summary>The DuckDB file. Relative paths are under the content root.</summary>
    [Required]
    public string Path { get; set; } = "data/waymark.duckdb";

    /// <summary>Events accepted but not yet committed before the collector answers 503.</summary>
    [Range(1000, 50_000_000)]
    public int MaxPendingEvents { get; set; } = 200_000;

    /// <summary>Events in one group commit at the most.</summary>
    [Range(100, 1_000_000)]
    public int MaxEventsPerCommit { get; set; } = 50_000;

    /// <summary>Seconds a client is told to wait when the store is behind.</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 2;

    /// <summary>DuckDB memory limit, e.g. "4GB"; empty for DuckDB's default (80 % of RAM).</summary>
    public string? MemoryLimit { get; set; } = "4GB";

    /// <summary>
    /// WAL size of an event segment at which the writer moves to the other
    /// segment and this one is checkpointed beside it; the same size for the
    /// main file (sessions, links). Smaller means less memory and a shorter
    /// replay after a crash, more checkpoints.
    /// </summary>
    [Range(1L << 20, 1L << 36)]
    public long SegmentCheckpointBytes { get; set; } = 32L << 20;

    /// <summary>
    /// DuckDB's own checkpoint threshold (WAL size). DuckDB checkpoints inside
    /// the commit that crosses it and holds the writer, so it only backs up
    /// the checkpointer (which runs at <see cref="SegmentCheckpointBytes"/>).
    /// </summary>
    [Required]
    public string WalAutoCheckpoint { get; set; } = "1GB";

    /// <summary>DuckDB worker threads; 0 for one per core but one (at least one).</summary>
    [Range(0, 256)]
    public int Threads { get; set; }
}
