using Waymark.Core.Events;
using Waymark.Core.Sessions;

namespace Waymark.Core.Rules;

/// <summary>
/// Tells the journey-map stage a customer is in. Supplied by the caller (the
/// journey map of the app). It must answer from its arguments alone, the same
/// way every time: the journey replays the same calls after a restart.
/// </summary>
public interface IStageProvider
{
    /// <summary>The stage <paramref name="e"/> puts the session in, or null when it says nothing of a stage.</summary>
    string? StageOf(string app, SessionSummary session, EventRecord e);
}

/// <summary>What the caller knows of a customer beyond the session: new or returning, tags.</summary>
public interface ICustomerFacts
{
    /// <summary>True when the customer was seen before this session, false when not, null when unknown.</summary>
    bool? IsReturning(string app, string customer, SessionSummary session);

    /// <summary>Whether the customer (user tag if known, else visitor) carries the tag.</summary>
    bool HasTag(string app, string customer, string tag);
}
