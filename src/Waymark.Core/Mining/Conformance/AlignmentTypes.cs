namespace Waymark.Core.Mining;

/// <summary>The kind of an alignment move.</summary>
public enum MoveKind : byte
{
    /// <summary>Log and model agree: the event fires its transition.</summary>
    Synchronous = 0,

    /// <summary>An event the model could not do there (an unexpected activity).</summary>
    Log = 1,

    /// <summary>A transition fired without an event: a skipped activity, or a silent step.</summary>
    Model = 2,
}

/// <summary>
/// Move costs, PM4Py's standard ones by default (definitions.md): a log-only or
/// model-only move of a visible activity 10000, a silent move 1, a synchronous move 0.
/// </summary>
public sealed record AlignmentCosts(int LogMove = 10000, int ModelMove = 10000, int SilentMove = 1)
{
    public static AlignmentCosts Standard { get; } = new();

    /// <summary>The unit trace fitness counts deviations in: ⌊cost / unit⌋ (10000).</summary>
    public int DeviationUnit => LogMove;
}

/// <summary>Options of <see cref="Alignments"/>.</summary>
public sealed class AlignmentOptions
{
    public AlignmentCosts Costs { get; set; } = AlignmentCosts.Standard;

    /// <summary>A trace whose search expands more states than this gets no alignment (<see cref="AlignmentStatus.BoundReached"/>). Default 2 000 000.</summary>
    public long MaxStatesPerTrace { get; set; } = 2_000_000;

    /// <summary>Time bound per trace; null for none (the default).</summary>
    public TimeSpan? TimeoutPerTrace { get; set; }

    /// <summary>Workers aligning variants in parallel; -1 (default) for all cores.</summary>
    public int MaxDegreeOfParallelism { get; set; } = -1;
}

/// <summary>Whether a trace's search finished.</summary>
public enum AlignmentStatus : byte
{
    /// <summary>An optimal alignment was found.</summary>
    Optimal = 0,

    /// <summary>The state or time bound stopped the search; the trace has no alignment.</summary>
    BoundReached = 1,

    /// <summary>The net's final marking cannot be reached at all.</summary>
    FinalMarkingUnreachable = 2,
}

/// <summary>One move of an alignment: the activity of the event and/or the transition fired.</summary>
public readonly record struct AlignmentMove(MoveKind Kind, string? Activity, Transition? Transition)
{
    /// <summary>A model move on a silent transition (cost 1, not a deviation).</summary>
    public bool IsSilent => Kind == MoveKind.Model && Transition is { IsSilent: true };

    /// <summary>A log move or a model move on a visible transition.</summary>
    public bool IsDeviation => Kind == MoveKind.Log || (Kind == MoveKind.Model && !IsSilent);

    public override string ToString() => Kind switch
    {
        MoveKind.Synchronous => $"({Activity}, {Activity})",
        MoveKind.Log => $"({Activity}, ≫)",
        _ => $"(≫, {Transition})",
    };
}
