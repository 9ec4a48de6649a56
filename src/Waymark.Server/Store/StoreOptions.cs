using System.ComponentModel.DataAnnotations;

namespace Waymark.Server.Store;

/// <summary>Options of the embedded store (section Waymark:Store).</summary>
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
    /// DuckDB's checkpoint threshold (WAL size). DuckDB checkpoints inside the
    /// commit that crosses it and stalls the writers behind it, so it is set
    /// high: a stall every few hundred thousand events instead of every
    /// 50 000 (docs/benchmarks.md). An explicit CHECKPOINT while readers are
    /// open waits for them, so the store does not issue one while running;
    /// it checkpoints on a clean stop.
    /// </summary>
    public string WalAutoCheckpoint { get; set; } = "256MB";

    /// <summary>Append events the grains have not seen straight into the events table (see CommitWithFallback).</summary>
    public bool DirectAppend { get; set; } = true;

    /// <summary>DuckDB worker threads; 0 for one per core but one (at least one).</summary>
    [Range(0, 256)]
    public int Threads { get; set; }
}
