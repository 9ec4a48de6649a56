using Waymark.Core.Funnels;
using Waymark.Core.JourneyMaps;

namespace Waymark.Server.Funnels;

public sealed record MatcherDto(string? Type, string? Name, string? Page, string? Screen, string? Event, string? Channel, string? Touchpoint, IReadOnlyList<PropertyDto>? Properties);

public sealed record PropertyDto(string Key, string? Op, string? Value);

public sealed record StepDto(string? Label, IReadOnlyList<MatcherDto>? AnyOf, bool Optional, string? Within, IReadOnlyList<MatcherDto>? ExcludedBefore);

/// <summary>A funnel in a request body (docs/funnels.md).</summary>
public sealed record FunnelRequest(
    string? App, DateTimeOffset? From, DateTimeOffset? To, string? Over, string? Order, string? Window, string? HoldConstant,
    IReadOnlyList<StepDto>? Steps, string? Breakdown, string? Map, int? MapVersion, bool Reasons = true, int? ReasonsStep = null,
    int MaxDropped = 200);

/// <summary>Turns request bodies into Core definitions, collecting every problem with its place.</summary>
public static class FunnelRequests
{
    /// <summary>The order, window and constant property of a request.</summary>
    public static (FunnelOrder Order, TimeSpan Window, string? HoldConstant) Shape(FunnelRequest r, List<string> errors)
    {
        var order = r.Order?.ToLowerInvariant() switch
        {
            null or "ordered" => FunnelOrder.Ordered,
            "strict" => FunnelOrder.Strict,
            "any" => FunnelOrder.Any,
            _ => (FunnelOrder?)null,
        };
        if (order is null)
        {
            errors.Add($"order: '{r.Order}' is not one of strict, ordered, any");
        }
        var window = Duration(r.Window, "window", errors) ?? TimeSpan.FromDays(30);
        return (order ?? FunnelOrder.Ordered, window, string.IsNullOrWhiteSpace(r.HoldConstant) ? null : r.HoldConstant);
    }

    public static FunnelDefinition? Definition(FunnelRequest r, List<string> errors)
    {
        var (order, window, hold) = Shape(r, errors);
        if (r.Steps is not { Count: > 0 } stepDtos)
        {
            errors.Add("steps: a funnel needs at least one step");
            return null;
        }
        var steps = new List<FunnelStep>();
        for (var i = 0; i < stepDtos.Count; i++)
        {
            var s = stepDtos[i];
            var at = $"steps[{i}]";
            if (s.AnyOf is not { Count: > 0 })
            {
                errors.Add($"{at}.anyOf: a step needs at least one matcher");
                continue;
            }
            steps.Add(new FunnelStep
            {
                Label = string.IsNullOrWhiteSpace(s.Label) ? "Step " + (i + 1) : s.Label,
                AnyOf = [.. s.AnyOf.Select((m, j) => Matcher(m, $"{at}.anyOf[{j}]", errors))],
                Optional = s.Optional,
                MaxTimeFromPrevious = Duration(s.Within, at + ".within", errors),
                ExcludedBefore = [.. (s.ExcludedBefore ?? []).Select((m, j) => Matcher(m, $"{at}.excludedBefore[{j}]", errors))],
            });
        }
        var def = new FunnelDefinition { Steps = steps, Order = order, ConversionWindow = window, HoldConstant = hold };
        if (errors.Count == 0)
        {
            errors.AddRange(def.Validate());
        }
        return errors.Count == 0 ? def : null;
    }

    public static StepMatcher Matcher(MatcherDto m, string at, List<string> errors)
    {
        var names = new[] { m.Name, m.Page, m.Screen, m.Event }.Count(n => n is not null);
        if (names > 1)
        {
            errors.Add($"{at}: give at most one of name, page, screen, event");
        }
        if (names == 0 && m.Type is null && m.Channel is null && m.Touchpoint is null && m.Properties is not { Count: > 0 })
        {
            errors.Add($"{at}: a matcher needs at least one of type, name, page, screen, event, channel, touchpoint, properties");
        }
        var props = new List<PropertyFilter>();
        foreach (var (p, j) in (m.Properties ?? []).Select((p, j) => (p, j)))
        {
            var op = p.Op?.ToLowerInvariant() switch
            {
                null or "equals" or "eq" => PropertyOperator.Equals,
                "contains" => PropertyOperator.Contains,
                "exists" => PropertyOperator.Exists,
                _ => (PropertyOperator?)null,
            };
            if (string.IsNullOrEmpty(p.Key) || op is null)
            {
                errors.Add($"{at}.properties[{j}]: needs a key and an op of equals, contains, exists");
                continue;
            }
            props.Add(new PropertyFilter(p.Key, op.Value, p.Value));
        }
        return new StepMatcher
        {
            Type = m.Type ?? (m.Page is not null || m.Screen is not null ? "view" : null),
            Name = m.Name ?? m.Page ?? m.Screen ?? m.Event,
            Channel = m.Channel,
            Touchpoint = m.Touchpoint,
            Properties = props,
        };
    }

    public static TimeSpan? Duration(string? text, string at, List<string> errors)
    {
        if (text is null)
        {
            return null;
        }
        if (DurationText.TryParse(text, out var d) && d > TimeSpan.Zero)
        {
            return d;
        }
        errors.Add($"{at}: '{text}' is not a duration (write 30s, 10m, 2h, 7d or 1h30m)");
        return null;
    }
}
