namespace Waymark.Core.Funnels;

/// <summary>One event of a case as funnels see it; the server fills it from its store.</summary>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Type">The event type's wire name: view, action, error, request, custom, conversion…</param>
/// <param name="Name">Page or screen name, action or custom event name.</param>
/// <param name="Channel">The channel (web, app, kiosk, contact centre…).</param>
/// <param name="Touchpoint">The touchpoint (the kiosk, the app screen, the desk).</param>
/// <param name="Properties">Custom properties, flattened to strings.</param>
public sealed record FunnelEvent(
    DateTimeOffset Timestamp,
    string Type,
    string? Name = null,
    string? Channel = null,
    string? Touchpoint = null,
    IReadOnlyDictionary<string, string>? Properties = null);

/// <summary>A session or a customer's cross-channel journey: its events in time order.</summary>
/// <param name="Id">The session or customer id.</param>
/// <param name="Events">Events in time order (events at the same instant keep the order given).</param>
/// <param name="Segment">The breakdown value of this case (device, country, campaign…), or null.</param>
public sealed record FunnelCase(string Id, IReadOnlyList<FunnelEvent> Events, string? Segment = null);

/// <summary>How a property filter compares.</summary>
public enum PropertyOperator : byte
{
    /// <summary>The property is present and equal to the value (ordinal, case-sensitive).</summary>
    Equals = 0,
    /// <summary>The property is present and contains the value (ordinal, ignoring case).</summary>
    Contains = 1,
    /// <summary>The property is present.</summary>
    Exists = 2,
}

/// <summary>A condition on one custom property.</summary>
public sealed record PropertyFilter(string Key, PropertyOperator Operator, string? Value = null)
{
    /// <summary>True when the event's properties satisfy the filter.</summary>
    public bool Matches(IReadOnlyDictionary<string, string>? properties)
    {
        if (properties is null || !properties.TryGetValue(Key, out var actual))
        {
            return false;
        }
        return Operator switch
        {
            PropertyOperator.Equals => string.Equals(actual, Value, StringComparison.Ordinal),
            PropertyOperator.Contains => actual.Contains(Value ?? "", StringComparison.OrdinalIgnoreCase),
            _ => true,
        };
    }
}

/// <summary>What an event must be to count as a step; every field that is set must match.</summary>
public sealed record StepMatcher
{
    /// <summary>The event type's wire name (case-insensitive), or null for any.</summary>
    public string? Type { get; init; }
    /// <summary>The page, screen or event name (exact), or null for any.</summary>
    public string? Name { get; init; }
    /// <summary>The channel (case-insensitive), or null for any.</summary>
    public string? Channel { get; init; }
    /// <summary>The touchpoint (exact), or null for any.</summary>
    public string? Touchpoint { get; init; }
    /// <summary>Property conditions, all of which must hold.</summary>
    public IReadOnlyList<PropertyFilter> Properties { get; init; } = [];

    /// <summary>True when the event matches every field that is set.</summary>
    public bool Matches(FunnelEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (Type is not null && !string.Equals(Type, e.Type, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (Name is not null && !string.Equals(Name, e.Name, StringComparison.Ordinal))
        {
            return false;
        }
        if (Channel is not null && !string.Equals(Channel, e.Channel, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (Touchpoint is not null && !string.Equals(Touchpoint, e.Touchpoint, StringComparison.Ordinal))
        {
            return false;
        }
        foreach (var p in Properties)
        {
            if (!p.Matches(e.Properties))
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>One step of a funnel.</summary>
public sealed record FunnelStep
{
    /// <summary>What the console shows.</summary>
    public required string Label { get; init; }
    /// <summary>The step happens when an event matches any of these.</summary>
    public required IReadOnlyList<StepMatcher> AnyOf { get; init; }
    /// <summary>An optional step may be skipped without dropping the case (never the first or the last).</summary>
    public bool Optional { get; init; }
    /// <summary>The most time allowed from the previous step reached to this one, or null for no limit but the funnel's window.</summary>
    public TimeSpan? MaxTimeFromPrevious { get; init; }
    /// <summary>Exclusion: if one of these happens between the previous step and this one, the case does not reach this step on that path.</summary>
    public IReadOnlyList<StepMatcher> ExcludedBefore { get; init; } = [];

    /// <summary>True when an event matches any of <see cref="AnyOf"/>.</summary>
    public bool Matches(FunnelEvent e) => AnyOf.Any(m => m.Matches(e));
}

/// <summary>How the steps must follow each other (definitions.md, "Funnels").</summary>
public enum FunnelOrder : byte
{
    /// <summary>The case's next event after step i is step i + 1: nothing in between.</summary>
    Strict = 0,
    /// <summary>Steps in order; other events may come between.</summary>
    Ordered = 1,
    /// <summary>Steps in any order within the window.</summary>
    Any = 2,
}

/// <summary>A funnel: ordered steps, an order mode, windows, exclusions and a property held constant.</summary>
public sealed record FunnelDefinition
{
    /// <summary>The steps, first to last.</summary>
    public required IReadOnlyList<FunnelStep> Steps { get; init; }
    /// <summary>The order mode.</summary>
    public FunnelOrder Order { get; init; } = FunnelOrder.Ordered;
    /// <summary>The window for the whole funnel from the entry event (Mixpanel's default of 30 days).</summary>
    public TimeSpan ConversionWindow { get; init; } = TimeSpan.FromDays(30);
    /// <summary>
    /// A property that must have the same value at every step (for example the
    /// trip id): the value is fixed by the case's first step-1 event that has the
    /// property; events without it never match a step. An exclusion event counts
    /// when it has the same value or does not have the property at all (a log-out
    /// carries no trip id and still ends the trip's funnel).
    /// </summary>
    public string? HoldConstant { get; init; }

    /// <summary>What is wrong with the definition; empty when it can be evaluated.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Steps is null || Steps.Count == 0)
        {
            problems.Add("A funnel needs at least one step.");
            return problems;
        }
        if (ConversionWindow <= TimeSpan.Zero)
        {
            problems.Add("The conversion window must be positive.");
        }
        for (var i = 0; i < Steps.Count; i++)
        {
            var s = Steps[i];
            var name = $"Step {i + 1} ({s.Label})";
            if (s.AnyOf is null || s.AnyOf.Count == 0)
            {
                problems.Add($"{name} has no matcher.");
            }
            if (s.Optional && (i == 0 || i == Steps.Count - 1))
            {
                problems.Add($"{name} cannot be optional: the first and last steps define entry and conversion.");
            }
            if (s.MaxTimeFromPrevious is { } w && w <= TimeSpan.Zero)
            {
                problems.Add($"{name} has a step window that is not positive.");
            }
            if (i == 0 && (s.ExcludedBefore.Count > 0 || s.MaxTimeFromPrevious is not null))
            {
                problems.Add($"{name} is the first step: nothing comes before it to exclude or to time from.");
            }
            if (Order == FunnelOrder.Any && (s.ExcludedBefore.Count > 0 || s.MaxTimeFromPrevious is not null))
            {
                problems.Add($"{name}: exclusions and step windows need an order; use ordered or strict.");
            }
        }
        return problems;
    }
}
