namespace Waymark.Core.Analytics;

/// <summary>
/// The standard normal distribution, written out so that Core needs no maths
/// package: the CDF from the all-positive series of erf, the quantile by
/// Newton's method on it.
/// </summary>
public static class Normal
{
    private const double SqrtTwo = 1.4142135623730951;
    private const double TwoOverSqrtPi = 1.1283791670955126;

    /// <summary>Φ(x), the probability that a standard normal variable is at most x.</summary>
    public static double Cdf(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }
        // Past 8.3 standard deviations Φ is 1 to double precision.
        if (x > 8.3)
        {
            return 1;
        }
        if (x < -8.3)
        {
            return 0;
        }
        return x >= 0 ? 0.5 + 0.5 * Erf(x / SqrtTwo) : 0.5 - 0.5 * Erf(-x / SqrtTwo);
    }

    /// <summary>The standard normal density φ(x).</summary>
    public static double Density(double x) => Math.Exp(-0.5 * x * x) / 2.5066282746310002;

    /// <summary>Φ⁻¹(p) for 0 &lt; p &lt; 1: the z with Φ(z) = p.</summary>
    public static double Quantile(double p)
    {
        if (!(p > 0 && p < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "A probability strictly between 0 and 1.");
        }
        if (p < 0.5)
        {
            return -Quantile(1 - p);
        }
        // Start from Abramowitz and Stegun 26.2.23 (error below 4.5e-4) and polish
        // with Newton steps on Φ, which converge from there in two or three.
        var t = Math.Sqrt(-2 * Math.Log(1 - p));
        var z = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
        for (var i = 0; i < 60; i++)
        {
            var step = (Cdf(z) - p) / Density(z);
            z -= step;
            if (Math.Abs(step) < 1e-15 * Math.Max(1, Math.Abs(z)))
            {
                break;
            }
        }
        return z;
    }

    /// <summary>The two-sided critical value z with P(|Z| ≤ z) = confidence (1.959964 for 95 %).</summary>
    public static double TwoSidedCritical(double confidence) => Quantile(0.5 + confidence / 2);

    // erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)) (Abramowitz and Stegun 7.1.6):
    // every term is positive, so there is no cancellation for any x ≥ 0.
    private static double Erf(double x)
    {
        var x2 = x * x;
        var term = x;
        var sum = x;
        for (var n = 1; n < 500; n++)
        {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
            if (term < 1e-17 * sum)
            {
                break;
            }
        }
        return Math.Min(1, TwoOverSqrtPi * Math.Exp(-x2) * sum);
    }
}

/// <summary>A proportion's or a difference's estimate with its confidence interval.</summary>
/// <param name="Estimate">The point estimate.</param>
/// <param name="Lower">The lower end of the interval.</param>
/// <param name="Upper">The upper end of the interval.</param>
public readonly record struct Interval(double Estimate, double Lower, double Upper)
{
    /// <summary>True when the interval contains the value (ends included).</summary>
    public bool Contains(double value) => value >= Lower && value <= Upper;
}

/// <summary>Intervals for one binomial proportion.</summary>
public static class Proportion
{
    /// <summary>
    /// Wilson's score interval for successes / trials (Wilson 1927). Unlike the
    /// Wald interval it does not collapse to a point at 0 % or 100 %, which is
    /// why the small-count methods here build on it.
    /// </summary>
    public static Interval Wilson(long successes, long trials, double confidence = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, successes);
        if (trials == 0)
        {
            return new Interval(double.NaN, 0, 1);
        }
        var z = Normal.TwoSidedCritical(confidence);
        var n = (double)trials;
        var p = successes / n;
        var z2 = z * z;
        var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        var half = z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new Interval(p, Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
