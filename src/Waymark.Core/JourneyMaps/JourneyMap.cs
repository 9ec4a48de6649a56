using Waymark.Core.Funnels;

namespace Waymark.Core.JourneyMaps;

/// <summary>
/// A designed customer journey for one goal (docs/journey-maps.md): stages in
/// order, each with touchpoints on one or more channels, what the customer
/// expects, how long each step should take, which systems serve it and which
/// department owns it, and the KPIs the journey is judged by. Maps are
/// versioned: saving a changed map makes a new version, old ones stay readable.
/// </summary>
public sealed record JourneyMap
{
    /// <summary>The stable id of the map within its app (lower-case letters, digits and dashes), e.g. <c>book-a-holiday</c>.</summary>
    public required string Id { get; init; }
    /// <summary>The goal the journey leads to, in words ("Book a holiday").</summary>
    public required string Goal { get; init; }
    /// <summary>The version, 1 for the first; the store assigns it on save (a document may carry the one it was exported from).</summary>
    public int Version { get; init; } = 1;
    /// <summary>A longer description, or null.</summary>
    public string? Description { get; init; }
    /// <summary>Who owns the map as a whole (a team or a person), or null.</summary>
    public string? Owner { get; init; }
    /// <summary>The conversion goal name events carry when the journey succeeds (<c>booking</c>), or null.</summary>
    public string? Conversion { get; init; }
    /// <summary>The stages, first to last.</summary>
    public required IReadOnlyList<JourneyStage> Stages { get; init; }
    /// <summary>The KPIs of the whole journey.</summary>
    public IReadOnlyList<JourneyKpi> Kpis { get; init; } = [];

    /// <summary>Every touchpoint in map order (stage by stage).</summary>
    public IEnumerable<Touchpoint> Touchpoints => Stages.SelectMany(s => s.Touchpoints);

    /// <summary>The touchpoint with this id, or null.</summary>
    public Touchpoint? Find(string touchpointId) => Touchpoints.FirstOrDefault(t => string.Equals(t.Id, touchpointId, StringComparison.Ordinal));

    /// <summary>
    /// The map as a funnel: one step per stage, matched by any of the stage's
    /// touchpoints; a stage is optional when all its touchpoints are optional.
    /// </summary>
    public FunnelDefinition ToFunnel(FunnelOrder order = FunnelOrder.Ordered, TimeSpan? window = null)
    {
        var steps = new List<FunnelStep>();
        for (var i = 0; i < Stages.Count; i++)
        {
            var s = Stages[i];
            var optional = i > 0 && i < Stages.Count - 1 && s.Touchpoints.Count > 0 && s.Touchpoints.All(t => t.Optional);
            steps.Add(new FunnelStep { Label = s.Name, AnyOf = s.Touchpoints.Select(t => t.ToStepMatcher()).ToArray(), Optional = optional });
        }
        return new FunnelDefinition { Steps = steps, Order = order, ConversionWindow = window ?? TimeSpan.FromDays(30) };
    }
}

/// <summary>One stage of a journey (Inspire, Search, Choose, Book, Travel…).</summary>
public sealed record JourneyStage
{
    /// <summary>The stage's name, unique within the map.</summary>
    public required string Name { get; init; }
    /// <summary>What happens in this stage, or null.</summary>
    public string? Description { get; init; }
    /// <summary>The touchpoints of the stage.</summary>
    public required IReadOnlyList<Touchpoint> Touchpoints { get; init; }
}

/// <summary>Where the customer meets the company: a channel and what the customer does there.</summary>
public sealed record Touchpoint
{
    /// <summary>The touchpoint's id, unique within the map (lower-case letters, digits and dashes).</summary>
    public required string Id { get; init; }
    /// <summary>What the console shows.</summary>
    public required string Name { get; init; }
    /// <summary>The channel: web, mobile, kiosk, checkin, contact-center…</summary>
    public required string Channel { get; init; }
    /// <summary>Which events are this touchpoint.</summary>
    public required TouchpointMatcher Match { get; init; }
    /// <summary>How long the customer should need here before the next step, or null when no expectation is set.</summary>
    public TimeSpan? ExpectedDuration { get; init; }
    /// <summary>What the customer expects at this point, in their words.</summary>
    public string? Expectation { get; init; }
    /// <summary>The systems that serve the touchpoint (booking engine, payment provider…).</summary>
    public IReadOnlyList<string> Systems { get; init; } = [];
    /// <summary>The department that owns it (sales, marketing, contact centre…), or null.</summary>
    public string? Department { get; init; }
    /// <summary>The KPIs of this touchpoint (names, free text).</summary>
    public IReadOnlyList<string> Kpis { get; init; } = [];
    /// <summary>A customer may skip it.</summary>
    public bool Optional { get; init; }
    /// <summary>A customer may come back to it more than once without that being a loop to flag.</summary>
    public bool Repeatable { get; init; }

    /// <summary>The matcher as a funnel step matcher, with the channel.</summary>
    public StepMatcher ToStepMatcher() => Match.ToStepMatcher(Channel);
}

/// <summary>
/// What an event must be to count as a touchpoint: exactly one of a page,
/// a screen or an event name, optionally narrowed by property values.
/// </summary>
public sealed record TouchpointMatcher
{
    /// <summary>A page view with this page name (web).</summary>
    public string? Page { get; init; }
    /// <summary>A screen view with this screen name (app, kiosk, desk).</summary>
    public string? Screen { get; init; }
    /// <summary>A custom or conversion event with this name.</summary>
    public string? Event { get; init; }
    /// <summary>Properties that must have these values (exact).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>The matcher as a funnel step matcher on the given channel (null for any channel).</summary>
    public StepMatcher ToStepMatcher(string? channel)
    {
        var props = Properties.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new PropertyFilter(p.Key, PropertyOperator.Equals, p.Value)).ToArray();
        return new StepMatcher
        {
            Type = Page is not null || Screen is not null ? "view" : null,
            Name = Page ?? Screen ?? Event,
            Channel = channel,
            Properties = props,
        };
    }
}

/// <summary>A KPI of the journey: a name, what is measured and the target.</summary>
/// <param name="Name">The KPI ("Booking conversion").</param>
/// <param name="Target">The target in words or numbers ("4 %"), or null.</param>
/// <param name="Description">How it is measured, or null.</param>
public sealed record JourneyKpi(string Name, string? Target = null, string? Description = null);
