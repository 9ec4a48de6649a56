using Waymark.Core.Funnels;

namespace Waymark.Core.Tests.Funnels;

internal static class FunnelTestData
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>An event "minutes" after T0: a view if the name starts with "/", else a custom event.</summary>
    public static FunnelEvent E(double minutes, string name, params (string Key, string Value)[] props) =>
        new(T0.AddMinutes(minutes), name.StartsWith('/') ? "view" : "custom", name,
            Properties: props.Length == 0 ? null : props.ToDictionary(p => p.Key, p => p.Value));

    public static FunnelCase Case(string id, params FunnelEvent[] events) => new(id, events);

    public static FunnelStep Step(string name, bool optional = false, TimeSpan? within = null, params string[] excluded) => new()
    {
        Label = name,
        AnyOf = [new StepMatcher { Name = name }],
        Optional = optional,
        MaxTimeFromPrevious = within,
        ExcludedBefore = excluded.Select(x => new StepMatcher { Name = x }).ToList(),
    };

    public static FunnelDefinition Define(FunnelOrder order, params FunnelStep[] steps) => new() { Steps = steps, Order = order };

    public static FunnelDefinition Define(params string[] steps) => Define(FunnelOrder.Ordered, steps.Select(s => Step(s)).ToArray());
}
