namespace Waymark.Server.Mining;

/// <summary>Waymark:Mining settings.</summary>
public sealed class MiningOptions
{
    /// <summary>An uploaded XES or PNML file larger than this is refused with 413.</summary>
    public int MaxUploadBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>Uploaded logs kept in memory at once (the oldest goes first).</summary>
    public int MaxUploadedLogs { get; set; } = 16;

    /// <summary>Sessions read into one journey log at the most.</summary>
    public int MaxSessions { get; set; } = 200_000;

    /// <summary>How long a built journey log is reused by the next request with the same filters.</summary>
    public TimeSpan LogCacheTime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Alignment search bound per trace (states); a trace past it is reported as not aligned.</summary>
    public long MaxStatesPerTrace { get; set; } = 500_000;

    /// <summary>Alignment search bound per trace (time).</summary>
    public TimeSpan AlignmentTimeoutPerTrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The Graphviz <c>dot</c> program that lays out the process map.</summary>
    public string DotPath { get; set; } = "dot";
}
