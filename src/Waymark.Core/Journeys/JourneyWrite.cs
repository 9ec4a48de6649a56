using Waymark.Core.Events;
using Waymark.Core.Sessions;

namespace Waymark.Core.Journeys;

/// <summary>One fact of a visitor's journey as it is stored: the event, its session and its batch's context.</summary>
[GenerateSerializer, Immutable]
public sealed record JourneyFact(
    [property: Id(0)] string Session,
    [property: Id(1)] BatchContext Context,
    [property: Id(2)] EventRecord Event);

/// <summary>
/// What one step of a journey decided: the facts to append in this order (the
/// new events, the session boundaries they caused, fired deadlines, emitted
/// signals), the summaries of the sessions it touched, and the visitor's next
/// deadline. Stored in one commit; the summaries are what folding the facts gives.
/// </summary>
public sealed class JourneyWrite
{
    /// <summary>The facts to append, in the order the journey applied them.</summary>
    public List<JourneyFact> Facts { get; } = [];

    /// <summary>Copies of the summaries of the sessions this step touched, as they are after it.</summary>
    public List<SessionSummary> Sessions { get; } = [];

    /// <summary>What per-visitor logic emitted (also among <see cref="Facts"/> as signal facts).</summary>
    public List<JourneySignal> Signals { get; } = [];

    /// <summary>Events of the batch that were applied before: a retry, stored once.</summary>
    public int Duplicates { get; set; }

    /// <summary>The visitor's next deadline after this step (a session's inactivity end, a logic's deadline); null for none.</summary>
    public DateTimeOffset? Deadline { get; set; }

    /// <summary>Whether there is anything to store but the deadline.</summary>
    public bool HasFacts => Facts.Count > 0;
}

/// <summary>Why a session ended (the name of its <see cref="EventType.SessionEnded"/> fact).</summary>
public static class EndReasons
{
    /// <summary>No activity for the inactivity period (30 minutes by default).</summary>
    public const string Inactivity = "inactivity";
    /// <summary>It lasted the longest a session may (6 hours by default).</summary>
    public const string MaxDuration = "max-duration";
    /// <summary>It had the most user actions a session may (200 by default).</summary>
    public const string MaxActions = "max-actions";
    /// <summary>The app ended it (a session_end event).</summary>
    public const string App = "app";
    /// <summary>The client started a new session on the same channel.</summary>
    public const string Superseded = "superseded";

    public static readonly IReadOnlyList<string> All = [Inactivity, MaxDuration, MaxActions, App, Superseded];
}
