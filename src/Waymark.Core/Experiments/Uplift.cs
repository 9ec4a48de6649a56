using Waymark.Core.Analytics;

namespace Waymark.Core.Experiments;

/// <summary>How the uplift's interval is computed.</summary>
public enum UpliftInterval : byte
{
    /// <summary>Newcombe's hybrid score interval (1998, method 10): the default.</summary>
    Newcombe = 0,
    /// <summary>The normal approximation (Wald) of the difference of two proportions.</summary>
    Wald = 1,
}

/// <summary>One customer a rule matched.</summary>
/// <param name="HeldOut">In the holdout: the action was not taken.</param>
/// <param name="MatchedAt">When the rule matched.</param>
/// <param name="ConvertedAt">The customer's first conversion after the match, or null.</param>
public readonly record struct ExperimentCustomer(bool HeldOut, DateTimeOffset MatchedAt, DateTimeOffset? ConvertedAt);

/// <summary>The uplift of a rule: acted-on against held-out conversion.</summary>
/// <param name="ActedOn">Customers acted on.</param>
/// <param name="ActedConversions">Of them, converted.</param>
/// <param name="HeldOut">Customers held out.</param>
/// <param name="HeldConversions">Of them, converted.</param>
/// <param name="Difference">Acted-on rate − held-out rate, with its interval (as shares, 0.04 = 4 points).</param>
public sealed record UpliftResult(long ActedOn, long ActedConversions, long HeldOut, long HeldConversions, Interval Difference)
{
    /// <summary>Conversion rate of the customers acted on.</summary>
    public double ActedRate => ActedOn == 0 ? double.NaN : (double)ActedConversions / ActedOn;
    /// <summary>Conversion rate of the held-out customers.</summary>
    public double HeldRate => HeldOut == 0 ? double.NaN : (double)HeldConversions / HeldOut;
    /// <summary>The interval excludes 0: the rule changes conversion, one way or the other.</summary>
    public bool Significant => Difference.Lower > 0 || Difference.Upper < 0;
}

/// <summary>
/// Uplift = conversion rate of acted-on customers − that of held-out customers,
/// each counted within the rule's attribution window after the match, with a
/// confidence interval. The default is Newcombe's hybrid score interval:
/// L = d − √((p₁ − l₁)² + (u₂ − p₂)²), U = d + √((u₁ − p₁)² + (p₂ − l₂)²),
/// with (lᵢ, uᵢ) the Wilson intervals of each rate. Holdouts are small by
/// design (5 or 10 % of customers) and conversion rates are often a few percent,
/// which is where the Wald interval fails: it collapses to zero width when a
/// group has no conversions and its coverage falls well below 95 % for small
/// counts. Newcombe's interval keeps close to nominal coverage there and
/// agrees with Wald on large samples (Newcombe 1998, Statistics in Medicine 17:873–890).
/// </summary>
public static class Uplift
{
    /// <summary>The uplift from counts.</summary>
    public static UpliftResult Compute(long actedConversions, long actedOn, long heldConversions, long heldOut, double confidence = 0.95, UpliftInterval method = UpliftInterval.Newcombe)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(actedOn);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heldOut);
        ArgumentOutOfRangeException.ThrowIfNegative(actedConversions);
        ArgumentOutOfRangeException.ThrowIfNegative(heldConversions);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(actedConversions, actedOn);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(heldConversions, heldOut);
        var p1 = (double)actedConversions / actedOn;
        var p2 = (double)heldConversions / heldOut;
        var d = p1 - p2;
        Interval ci;
        if (method == UpliftInterval.Wald)
        {
            var half = Normal.TwoSidedCritical(confidence) * Math.Sqrt(p1 * (1 - p1) / actedOn + p2 * (1 - p2) / heldOut);
            ci = new Interval(d, d - half, d + half);
        }
        else
        {
            var w1 = Proportion.Wilson(actedConversions, actedOn, confidence);
            var w2 = Proportion.Wilson(heldConversions, heldOut, confidence);
            ci = new Interval(
                d,
                d - Math.Sqrt((p1 - w1.Lower) * (p1 - w1.Lower) + (w2.Upper - p2) * (w2.Upper - p2)),
                d + Math.Sqrt((w1.Upper - p1) * (w1.Upper - p1) + (p2 - w2.Lower) * (p2 - w2.Lower)));
        }
        return new UpliftResult(actedOn, actedConversions, heldOut, heldConversions, ci);
    }

    /// <summary>
    /// The uplift from matched customers: a customer converted if its first conversion
    /// after the match came within the window (ends included). Null when either
    /// group is empty.
    /// </summary>
    public static UpliftResult? Compute(IEnumerable<ExperimentCustomer> customers, TimeSpan attributionWindow, double confidence = 0.95, UpliftInterval method = UpliftInterval.Newcombe)
    {
        ArgumentNullException.ThrowIfNull(customers);
        long acted = 0, actedConv = 0, held = 0, heldConv = 0;
        foreach (var c in customers)
        {
            var converted = c.ConvertedAt is { } t && t >= c.MatchedAt && t - c.MatchedAt <= attributionWindow;
            if (c.HeldOut)
            {
                held++;
                heldConv += converted ? 1 : 0;
            }
            else
            {
                acted++;
                actedConv += converted ? 1 : 0;
            }
        }
        return acted == 0 || held == 0 ? null : Compute(actedConv, acted, heldConv, held, confidence, method);
    }
}
