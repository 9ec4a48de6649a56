namespace Waymark.Core.Attribution;

/// <summary>One marketing or service touch of a customer: a channel or touchpoint at a time.</summary>
public readonly record struct Touch(string Channel, DateTimeOffset Timestamp);

/// <summary>A conversion and the customer's touches (any time; the lookback window is applied here).</summary>
/// <param name="Touches">The customer's touches.</param>
/// <param name="At">When the conversion happened.</param>
/// <param name="Value">Its value (1 to count conversions only).</param>
public sealed record ConversionJourney(IReadOnlyList<Touch> Touches, DateTimeOffset At, double Value = 1);

/// <summary>The rule-based attribution models of definitions.md, "Attribution".</summary>
public enum AttributionModel : byte
{
    /// <summary>All credit to the first touch in the window.</summary>
    FirstTouch = 0,
    /// <summary>All credit to the last touch.</summary>
    LastTouch = 1,
    /// <summary>Equal shares.</summary>
    Linear = 2,
    /// <summary>40 % first, 40 % last, 20 % spread over the middle; one touch takes all, two take 50/50.</summary>
    PositionBased = 3,
    /// <summary>Weights 2^(−Δt / half-life), Δt the time from the touch to the conversion.</summary>
    TimeDecay = 4,
}

/// <summary>Options of the rule-based models.</summary>
public sealed class AttributionOptions
{
    /// <summary>
    /// Touches up to this long before the conversion count (Google Analytics' default
    /// for acquisition touches is 30 days).
    /// </summary>
    public TimeSpan Lookback { get; set; } = TimeSpan.FromDays(30);
    /// <summary>The time-decay half-life: a touch this long before the conversion weighs half as much.</summary>
    public TimeSpan HalfLife { get; set; } = TimeSpan.FromDays(7);
    /// <summary>Position-based share of the first touch.</summary>
    public double FirstShare { get; set; } = 0.4;
    /// <summary>Position-based share of the last touch.</summary>
    public double LastShare { get; set; } = 0.4;
}

/// <summary>A channel's attributed conversions and value.</summary>
public sealed record ChannelCredit(string Channel, double Conversions, double Value);

/// <summary>First touch, last touch, linear, position-based and time-decay attribution.</summary>
public static class HeuristicAttribution
{
    /// <summary>
    /// The shares of one conversion by channel (summing to 1), over the touches in
    /// the lookback window [At − Lookback, At]; empty when no touch is in it. Touches
    /// of the same channel add up.
    /// </summary>
    public static IReadOnlyDictionary<string, double> Shares(AttributionModel model, IReadOnlyList<Touch> touches, DateTimeOffset conversionAt, AttributionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(touches);
        var o = options ?? new AttributionOptions();
        var inWindow = touches
            .Where(t => t.Timestamp <= conversionAt && t.Timestamp >= conversionAt - o.Lookback)
            .OrderBy(t => t.Timestamp)
            .ToList();
        var shares = new Dictionary<string, double>(StringComparer.Ordinal);
        var n = inWindow.Count;
        if (n == 0)
        {
            return shares;
        }
        var weights = new double[n];
        switch (model)
        {
            case AttributionModel.FirstTouch:
                weights[0] = 1;
                break;
            case AttributionModel.LastTouch:
                weights[^1] = 1;
                break;
            case AttributionModel.Linear:
                Array.Fill(weights, 1.0 / n);
                break;
            case AttributionModel.PositionBased when n == 1:
                weights[0] = 1;
                break;
            case AttributionModel.PositionBased when n == 2:
                weights[0] = weights[1] = 0.5;
                break;
            case AttributionModel.PositionBased:
                var middle = (1 - o.FirstShare - o.LastShare) / (n - 2);
                Array.Fill(weights, middle);
                weights[0] = o.FirstShare;
                weights[^1] = o.LastShare;
                break;
            case AttributionModel.TimeDecay:
                for (var i = 0; i < n; i++)
                {
                    weights[i] = Math.Pow(2, -(conversionAt - inWindow[i].Timestamp) / o.HalfLife);
                }
                var sum = weights.Sum();
                for (var i = 0; i < n; i++)
                {
                    weights[i] /= sum;
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(model), model, "Not a rule-based model.");
        }
        for (var i = 0; i < n; i++)
        {
            // First and last touch give the other touches nothing: no entry for them.
            if (weights[i] > 0)
            {
                shares[inWindow[i].Channel] = shares.GetValueOrDefault(inWindow[i].Channel) + weights[i];
            }
        }
        return shares;
    }

    /// <summary>Attributed conversions and value per channel over many conversions, most credited first.</summary>
    public static IReadOnlyList<ChannelCredit> Attribute(AttributionModel model, IEnumerable<ConversionJourney> conversions, AttributionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(conversions);
        var totals = new Dictionary<string, (double Conversions, double Value)>(StringComparer.Ordinal);
        foreach (var c in conversions)
        {
            foreach (var (channel, share) in Shares(model, c.Touches, c.At, options))
            {
                var (n, v) = totals.GetValueOrDefault(channel);
                totals[channel] = (n + share, v + share * c.Value);
            }
        }
        return totals
            .Select(t => new ChannelCredit(t.Key, t.Value.Conversions, t.Value.Value))
            .OrderByDescending(c => c.Conversions)
            .ThenBy(c => c.Channel, StringComparer.Ordinal)
            .ToList();
    }
}
