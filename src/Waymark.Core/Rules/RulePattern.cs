using Waymark.Core.Sessions;

namespace Waymark.Core.Rules;

/// <summary>
/// How events between the steps of a sequence are treated (the contiguity of
/// Flink CEP; Esper's every / followed-by). Applied between steps and between
/// the repetitions of a step.
/// </summary>
internal enum Contiguity : byte
{
    /// <summary>The next event the pattern considers must match, or the partial match is dropped.</summary>
    Strict,
    /// <summary>Skip till next match: events that do not match are skipped; a matching one is always taken.</summary>
    Relaxed,
    /// <summary>Skip till any match: a matching event is both taken and skipped (the partial match forks).</summary>
    Any,
}

/// <summary>What makes a rule match.</summary>
internal abstract class RulePattern
{
    public abstract string Kind { get; }
}

/// <summary>Steps in order within a time window, optionally ended by an absence or an idle wait.</summary>
internal sealed class SequencePattern : RulePattern
{
    public override string Kind => "sequence";
    public required Contiguity Contiguity { get; init; }
    /// <summary>Bounds the time from the first step's event to the last positive step's event.</summary>
    public TimeSpan? Within { get; init; }
    /// <summary>Bit (1 &lt;&lt; type) for each event type the pattern sees; 0 for all. Others are not "the next event".</summary>
    public uint EventTypes { get; init; }
    public required SequenceStep[] Steps { get; init; }
    /// <summary>The absence or idle wait after the last step; null when the last step completes the match.</summary>
    public SequenceEnd? End { get; init; }

    public bool Considers(Events.EventType type) => EventTypes == 0 || (EventTypes & (1u << (int)type)) != 0;

    /// <summary>Event ids a partial match keeps for its signal: one per event the steps need, at most 8.</summary>
    public int IdCapacity => Math.Min(RulesState.MaxIds, Steps.Sum(s => s.Min));

    /// <summary>Whether any step bounds the time since the step before it.</summary>
    public bool HasStepWindows => Steps.Any(s => s.Within is not null);
}

/// <summary>One positive step: a matcher taken Min…Max times.</summary>
internal sealed class SequenceStep
{
    public required EventMatcher Match { get; init; }
    public int Min { get; init; } = 1;
    /// <summary>Equal to <see cref="Min"/> for "times", <see cref="int.MaxValue"/> for "atLeast".</summary>
    public int Max { get; init; } = 1;
    /// <summary>Bounds the time from the previous step's last event to this step's first; null for none.</summary>
    public TimeSpan? Within { get; init; }
}

/// <summary>How a sequence waits after its last positive step.</summary>
internal enum SequenceEndKind : byte
{
    /// <summary>No event matching the matcher within the time: fires at the deadline.</summary>
    Absent,
    /// <summary>No progress (by default a view or an action) within the time: fires at the deadline.</summary>
    Idle,
}

/// <summary>The final wait of a sequence: cancelled by an event matching <see cref="Cancel"/> or by the session's end.</summary>
internal sealed class SequenceEnd
{
    public required SequenceEndKind Kind { get; init; }
    public required EventMatcher Cancel { get; init; }
    public required TimeSpan For { get; init; }
}

/// <summary>A threshold: at least N matching events in the session, or within a sliding window.</summary>
internal sealed class CountPattern : RulePattern
{
    public override string Kind => "count";
    public required EventMatcher Match { get; init; }
    public required int AtLeast { get; init; }
    public TimeSpan? Within { get; init; }
}

/// <summary>The session's experience changed to a given class.</summary>
internal sealed class ExperiencePattern : RulePattern
{
    public override string Kind => "experience";
    public required Experience Becomes { get; init; }
}
