using Waymark.Core.Events;

namespace Waymark.Server.Journeys;

/// <summary>The live journey of one visitor of one app. Key: <see cref="VisitorGrain.Key"/>.</summary>
public interface IVisitorGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies a batch to the journey and returns once its facts (the events,
    /// the session boundaries they caused, what the logic emitted) are durable.
    /// </summary>
    Task<JourneyResult> ApplyAsync(JourneyBatch batch);

    /// <summary>Fires what is due (a session's inactivity end, a rule's deadline), and stores the next deadline: the sweep's call for a visitor whose grain was not active.</summary>
    Task WakeAsync();

    /// <summary>Fires what is due: the node's journey timer calls it at the deadline the journey armed.</summary>
    Task TickAsync();
}

/// <summary>One accepted batch for a visitor's journey.</summary>
/// <param name="Context">Who sent it, from where, on what.</param>
/// <param name="Events">The accepted events.</param>
/// <param name="RetryLookupFrom">
/// A stored copy of any of these events was received after this time (its
/// timestamp less the furthest an event may lie in the future): the bound of
/// the store lookup for retries the journey cannot know.
/// </param>
[GenerateSerializer, Immutable]
public sealed record JourneyBatch(
    [property: Id(0)] BatchContext Context,
    [property: Id(1)] EventRecord[] Events,
    [property: Id(2)] DateTimeOffset RetryLookupFrom);

/// <summary>What the journey did with a batch.</summary>
/// <param name="Accepted">Events durable in the store (retries included).</param>
/// <param name="Duplicates">Of those, events received before: stored once.</param>
[GenerateSerializer, Immutable]
public sealed record JourneyResult([property: Id(0)] int Accepted, [property: Id(1)] int Duplicates);
