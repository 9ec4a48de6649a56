using Waymark.Core.Journeys;

namespace Waymark.Server.Journeys;

/// <summary>
/// Takes the signals of a journey's step before the step is committed: what
/// must be as durable as the step itself (the actions a rule firing calls for)
/// is written here first. A sink that throws fails the step, which is then
/// made again (a retried beacon, a deadline fired again after the replay) with
/// the same signals, so a sink must take the same signals twice as once.
/// </summary>
public interface IJourneySignalSink
{
    /// <summary>Takes <see cref="JourneyWrite.Signals"/> of a step (with the step's sessions as they are after it), before the step is stored.</summary>
    Task TakeAsync(string app, string visitor, JourneyWrite write, CancellationToken cancellationToken);
}
