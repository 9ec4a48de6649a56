namespace Waymark.Core.Analytics;

/// <summary>One session: its load time and whether it converted.</summary>
/// <param name="LoadMs">The load time that is being costed (for example the landing page's load, or LCP).</param>
/// <param name="Converted">Whether the session converted.</param>
public readonly record struct SpeedSample(double LoadMs, bool Converted);

/// <summary>Options of <see cref="SpeedCost"/>.</summary>
public sealed class SpeedCostOptions
{
    /// <summary>Upper edges of the load-time buckets in ms; the last bucket is open-ended.</summary>
    public IReadOnlyList<double> BucketEdgesMs { get; set; } = [1000, 2000, 3000, 4000, 5000, 7000, 10000];
    /// <summary>Confidence of the interval on the effect.</summary>
    public double Confidence { get; set; } = 0.95;
    /// <summary>
    /// Sessions slower than this stay in the buckets but not in the fit: a page
    /// loaded in a background tab takes minutes and would pull the line alone.
    /// </summary>
    public double MaxFitLoadMs { get; set; } = 60_000;
    /// <summary>Fewer sessions than this in the fit give no effect estimate.</summary>
    public int MinSessions { get; set; } = 30;
    /// <summary>Newton iterations before giving up (the fit usually needs 4 to 7).</summary>
    public int MaxIterations { get; set; } = 50;
}

/// <summary>Sessions and conversions with a load time in [FromMs, ToMs).</summary>
public sealed record SpeedBucket(double FromMs, double? ToMs, int Sessions, int Conversions)
{
    /// <summary>Conversions / sessions; NaN for an empty bucket.</summary>
    public double Rate => Sessions == 0 ? double.NaN : (double)Conversions / Sessions;
}

/// <summary>The estimated change in conversion per extra 100 ms of load time.</summary>
/// <param name="PointsPer100Ms">Average marginal effect in percentage points per +100 ms (−0.4 means 0.4 points fewer).</param>
/// <param name="Lower">Lower end of the interval, percentage points.</param>
/// <param name="Upper">Upper end, percentage points.</param>
/// <param name="Sessions">Sessions in the fit.</param>
/// <param name="LogOddsPer100Ms">The fitted slope: change in log-odds of converting per +100 ms.</param>
public sealed record SpeedEffect(double PointsPer100Ms, double Lower, double Upper, int Sessions, double LogOddsPer100Ms);

/// <summary>Conversion by load-time bucket and the effect of speed.</summary>
/// <param name="Buckets">Every bucket, fastest first.</param>
/// <param name="Effect">The effect, or null when it cannot be estimated (see Reason).</param>
/// <param name="Reason">Why there is no effect, or null.</param>
public sealed record SpeedCostReport(IReadOnlyList<SpeedBucket> Buckets, SpeedEffect? Effect, string? Reason);

/// <summary>
/// "What speed costs". The effect is estimated by a logistic regression of
/// conversion on load time, logit P(convert) = β₀ + β₁·x with x in units of
/// 100 ms, fitted by maximum likelihood with Newton's method (iteratively
/// reweighted least squares). It is reported as the average marginal effect,
/// AME = (1/n) Σ β₁·pᵢ(1 − pᵢ): the change in conversion probability per +100 ms
/// averaged over the sessions actually seen, with a Wald interval from the
/// delta method, Var(AME) ≈ gᵀ(XᵀWX)⁻¹g, g = ∂AME/∂β.
/// <para>
/// Why logistic and not a straight line through the rates: conversion is
/// bounded by 0 and 1 and its variance p(1 − p) changes with p, which the
/// logistic model states exactly; a linear probability model needs a
/// heteroskedasticity-robust variance and predicts impossible rates at the
/// extremes. The AME puts the answer back on the scale people ask about
/// (percentage points), and for a modest effect it agrees with the linear
/// model's slope.
/// </para>
/// <para>
/// This is an association, not a controlled experiment: slow sessions differ
/// in other ways too (device, network, country). Compute it within a segment
/// (one app, device class, entry page) to compare like with like.
/// </para>
/// </summary>
public static class SpeedCost
{
    /// <summary>Buckets and effect of load time on conversion.</summary>
    public static SpeedCostReport Analyze(IEnumerable<SpeedSample> samples, SpeedCostOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var o = options ?? new SpeedCostOptions();
        var edges = o.BucketEdgesMs.Order().ToArray();
        var sessions = new int[edges.Length + 1];
        var conversions = new int[edges.Length + 1];
        var fit = new List<SpeedSample>();
        foreach (var s in samples)
        {
            if (!double.IsFinite(s.LoadMs) || s.LoadMs < 0)
            {
                continue;
            }
            var b = Bucket(edges, s.LoadMs);
            sessions[b]++;
            conversions[b] += s.Converted ? 1 : 0;
            if (s.LoadMs <= o.MaxFitLoadMs)
            {
                fit.Add(s);
            }
        }
        var buckets = new SpeedBucket[edges.Length + 1];
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = new SpeedBucket(i == 0 ? 0 : edges[i - 1], i < edges.Length ? edges[i] : null, sessions[i], conversions[i]);
        }
        var (effect, reason) = Estimate(fit, o);
        return new SpeedCostReport(buckets, effect, reason);
    }

    private static int Bucket(double[] edges, double ms)
    {
        var i = 0;
        while (i < edges.Length && ms >= edges[i])
        {
            i++;
        }
        return i;
    }

    private static (SpeedEffect?, string?) Estimate(List<SpeedSample> fit, SpeedCostOptions o)
    {
        if (fit.Count < o.MinSessions)
        {
            return (null, $"fewer than {o.MinSessions} sessions");
        }
        var converted = fit.Count(s => s.Converted);
        if (converted == 0 || converted == fit.Count)
        {
            return (null, converted == 0 ? "no session converted" : "every session converted");
        }
        var mean = fit.Average(s => s.LoadMs);
        var x = fit.Select(s => (s.LoadMs - mean) / 100).ToArray();
        if (x.All(v => v == x[0]))
        {
            return (null, "every session has the same load time");
        }
        var y = fit.Select(s => s.Converted ? 1.0 : 0.0).ToArray();
        if (LogisticFit.Fit(x, y, o.MaxIterations) is not { } m)
        {
            return (null, "the fit did not converge (the outcome is separated by load time)");
        }
        // AME and its gradient with respect to (β₀, β₁).
        double ame = 0, g0 = 0, g1 = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var p = LogisticFit.Sigmoid(m.B0 + m.B1 * x[i]);
            var v = p * (1 - p);
            ame += m.B1 * v;
            g0 += m.B1 * v * (1 - 2 * p);
            g1 += v + m.B1 * x[i] * v * (1 - 2 * p);
        }
        double n = x.Length;
        ame /= n;
        g0 /= n;
        g1 /= n;
        var variance = g0 * g0 * m.Cov00 + 2 * g0 * g1 * m.Cov01 + g1 * g1 * m.Cov11;
        var half = Normal.TwoSidedCritical(o.Confidence) * Math.Sqrt(Math.Max(0, variance));
        return (new SpeedEffect(ame * 100, (ame - half) * 100, (ame + half) * 100, x.Length, m.B1), null);
    }
}

/// <summary>Maximum-likelihood logistic regression with one predictor, by Newton's method.</summary>
internal static class LogisticFit
{
    public static double Sigmoid(double t) => t >= 0 ? 1 / (1 + Math.Exp(-t)) : Math.Exp(t) / (1 + Math.Exp(t));

    /// <summary>β and the inverse information (XᵀWX)⁻¹ at the optimum; null if it does not converge.</summary>
    public static Model? Fit(double[] x, double[] y, int maxIterations)
    {
        var ybar = y.Average();
        var b0 = Math.Log(ybar / (1 - ybar));
        var b1 = 0.0;
        for (var iteration = 1; iteration <= maxIterations; iteration++)
        {
            // Score U = Xᵀ(y − p) and information I = XᵀWX, W = diag(p(1 − p)).
            double u0 = 0, u1 = 0, i00 = 0, i01 = 0, i11 = 0;
            for (var i = 0; i < x.Length; i++)
            {
                var p = Sigmoid(b0 + b1 * x[i]);
                var w = p * (1 - p);
                var r = y[i] - p;
                u0 += r;
                u1 += r * x[i];
                i00 += w;
                i01 += w * x[i];
                i11 += w * x[i] * x[i];
            }
            var det = i00 * i11 - i01 * i01;
            if (!(det > 0) || !double.IsFinite(det))
            {
                return null;
            }
            var d0 = (i11 * u0 - i01 * u1) / det;
            var d1 = (i00 * u1 - i01 * u0) / det;
            b0 += d0;
            b1 += d1;
            if (!double.IsFinite(b0) || !double.IsFinite(b1) || Math.Abs(b1) > 50)
            {
                // A slope of 50 log-odds per 100 ms is a step function: separation.
                return null;
            }
            if (Math.Abs(d0) < 1e-10 && Math.Abs(d1) < 1e-10)
            {
                return Covariance(x, b0, b1, iteration);
            }
        }
        return null;
    }

    private static Model? Covariance(double[] x, double b0, double b1, int iterations)
    {
        double i00 = 0, i01 = 0, i11 = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var p = Sigmoid(b0 + b1 * x[i]);
            var w = p * (1 - p);
            i00 += w;
            i01 += w * x[i];
            i11 += w * x[i] * x[i];
        }
        var det = i00 * i11 - i01 * i01;
        return det > 0 ? new Model(b0, b1, i11 / det, -i01 / det, i00 / det, iterations) : null;
    }

    internal sealed record Model(double B0, double B1, double Cov00, double Cov01, double Cov11, int Iterations);
}
