namespace Waymark.Core.Journeys;

/// <summary>What a journey tells per-visitor logic with each call, and how the logic answers.</summary>
public sealed class JourneyContext
{
    private List<JourneySignal>? _signals;

    /// <summary>The app of the visitor.</summary>
    public required string App { get; init; }

    /// <summary>The visitor.</summary>
    public required string Visitor { get; init; }

    /// <summary>
    /// The time of what is being told: an event's timestamp, a session
    /// boundary's time, a deadline's due time. Logic measures time only by this.
    /// </summary>
    public DateTimeOffset Now { get; internal set; }

    /// <summary>True while the journey is rebuilt from stored facts: emitted signals are dropped.</summary>
    public bool Replaying { get; internal set; }

    /// <summary>The name of the logic being called (set by the journey).</summary>
    internal string Logic { get; set; } = "";

    /// <summary>
    /// Emits a signal (a rule matched, a stage was reached). It is stored as a
    /// fact in the same commit as what caused it, and then goes out on the
    /// change feed and to the actions. Dropped while replaying.
    /// </summary>
    /// <param name="name">What happened, e.g. the rule's id.</param>
    /// <param name="props">A JSON object with the details, or null.</param>
    public void Emit(string name, string? props = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (Replaying)
        {
            return;
        }
        (_signals ??= []).Add(new JourneySignal(Logic, name, Now, props));
    }

    /// <summary>Takes the signals emitted since the last call.</summary>
    internal List<JourneySignal>? TakeSignals()
    {
        var s = _signals;
        _signals = null;
        return s;
    }
}

/// <summary>Something per-visitor logic emitted: a rule firing, a stage reached.</summary>
/// <param name="Logic">The <see cref="IJourneyLogic.Name"/> that emitted it.</param>
/// <param name="Name">What happened (for a rule: its id).</param>
/// <param name="At">The journey time it happened at.</param>
/// <param name="Props">Details as a JSON object, or null.</param>
[GenerateSerializer, Immutable]
public sealed record JourneySignal(
    [property: Id(0)] string Logic,
    [property: Id(1)] string Name,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string? Props);
