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
    /// DuckDB's own checkpoint threshold (WAL size). High, because DuckDB runs
    /// it inside a commit and stalls the writers behind it; the writer
    /// checkpoints when idle instead (<see cref="IdleCheckpointEvents"/>).
    /// </summary>
    public string WalAutoCheckpoint { get; set; } = "256MB";

    /// <summary>Events committed since the last checkpoint before the writer checkpoints in an idle moment.</summary>
    [Range(1000, 100_000_000)]
    public int IdleCheckpointEvents { get; set; } = 100_000;

    /// <summary>Append events the grains have not seen straight into the events table (see CommitWithFallback).</summary>
    public bool DirectAppend { get; set; } = true;

    /// <summary>DuckDB worker threads; 0 for one per core.</summary>
    [Range(0, 256)]
    public int Threads { get; set; }
}
