namespace Waymark.Core.Attribution;

/// <summary>
/// A distinct path of channels with how many customers took it and converted or
/// not (ChannelAttribution's path / total_conversions / total_null layout).
/// </summary>
/// <param name="Channels">The channels in order; a path without channels is ignored.</param>
/// <param name="Conversions">How many times this path ended in a conversion.</param>
/// <param name="NonConversions">How many times it ended without one.</param>
/// <param name="Value">The total conversion value of the path's conversions.</param>
public sealed record MarkovPath(IReadOnlyList<string> Channels, long Conversions, long NonConversions, double Value = 0);

/// <summary>A channel's removal effect and its credit.</summary>
/// <param name="Channel">The channel.</param>
/// <param name="RemovalEffect">1 − P(conversion with the channel removed) / P(conversion).</param>
/// <param name="Conversions">Credited conversions: removal effect / Σ removal effects × all conversions.</param>
/// <param name="Value">Credited value, in the same proportion.</param>
public sealed record MarkovChannel(string Channel, double RemovalEffect, double Conversions, double Value);

/// <summary>One estimated transition probability; states are channels and the three special states.</summary>
public sealed record MarkovTransition(string From, string To, double Probability);

/// <summary>The fitted chain and the channels' credit.</summary>
/// <param name="ConversionProbability">P(conversion) from the start state.</param>
/// <param name="Channels">Channels by credit, most first.</param>
/// <param name="Transitions">The transition probabilities, start first.</param>
public sealed record MarkovResult(double ConversionProbability, IReadOnlyList<MarkovChannel> Channels, IReadOnlyList<MarkovTransition> Transitions);

/// <summary>
/// The first-order Markov removal effect (definitions.md, "Attribution"; Anderl,
/// Becker, von Wangenheim and Schumann 2016). States are start, every channel,
/// conversion and null; transitions are counted from the paths (each path
/// begins at start and ends in conversion or null). Everything is solved
/// exactly from the fundamental matrix N = (I − Q)⁻¹ of the transient
/// (channel) states: x = N·r is each channel's probability of ending in
/// conversion, P(conv) = s·x with s the start distribution. Removing channel c
/// sends its incoming transitions to null, so what is lost is exactly the
/// conversions that pass through c: by the strong Markov property
/// P(conv without c) = P(conv) − P(visit c)·x_c, and P(visit c) = (s·N)_c / N_cc
/// (expected visits to c divided by the visits per arrival). One inverse gives
/// every channel's removal effect; no simulation, no per-channel solve.
/// </summary>
public static class MarkovAttribution
{
    /// <summary>The name of the start state in <see cref="MarkovResult.Transitions"/>.</summary>
    public const string StartState = "(start)";
    /// <summary>The name of the conversion state.</summary>
    public const string ConversionState = "(conversion)";
    /// <summary>The name of the null state.</summary>
    public const string NullState = "(null)";

    /// <summary>Fits the chain and credits the channels.</summary>
    public static MarkovResult Compute(IEnumerable<MarkovPath> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var chain = Chain.Count(paths);
        var m = chain.Names.Count;
        if (m == 0 || chain.TotalConversions == 0)
        {
            var zero = chain.Names.Select(n => new MarkovChannel(n, 0, 0, 0)).ToList();
            return new MarkovResult(0, zero, chain.Transitions());
        }
        var (q, r, s) = chain.Probabilities();
        var a = new double[m, m];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < m; j++)
            {
                a[i, j] = (i == j ? 1 : 0) - q[i, j];
            }
        }
        var n = LinearAlgebra.Invert(a);
        var x = new double[m];
        var visits = new double[m];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < m; j++)
            {
                x[i] += n[i, j] * r[j];
                visits[i] += s[j] * n[j, i];
            }
        }
        var pConv = 0.0;
        for (var i = 0; i < m; i++)
        {
            pConv += s[i] * x[i];
        }
        var effects = new double[m];
        for (var c = 0; c < m; c++)
        {
            // Clamp the rounding noise of a channel whose removal changes nothing.
            effects[c] = Math.Clamp(visits[c] / n[c, c] * x[c] / pConv, 0, 1);
        }
        var total = effects.Sum();
        var channels = Enumerable.Range(0, m)
            .Select(c => new MarkovChannel(
                chain.Names[c],
                effects[c],
                total == 0 ? 0 : effects[c] / total * chain.TotalConversions,
                total == 0 ? 0 : effects[c] / total * chain.TotalValue))
            .OrderByDescending(c => c.Conversions)
            .ThenBy(c => c.Channel, StringComparer.Ordinal)
            .ToList();
        return new MarkovResult(pConv, channels, chain.Transitions());
    }

    /// <summary>
    /// P(conversion) with one channel removed, by solving the absorbing chain with
    /// that channel's row sent to null: the definition applied literally. Used to
    /// check the fundamental-matrix shortcut.
    /// </summary>
    internal static double ConversionProbabilityWithout(IEnumerable<MarkovPath> paths, string? removed)
    {
        var chain = Chain.Count(paths);
        var m = chain.Names.Count;
        var (q, r, s) = chain.Probabilities();
        var c = removed is null ? -1 : chain.Index(removed);
        var a = new double[m, m];
        var b = new double[m];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < m; j++)
            {
                a[i, j] = i == c ? (i == j ? 1 : 0) : (i == j ? 1 : 0) - q[i, j];
            }
            b[i] = i == c ? 0 : r[i];
        }
        var x = LinearAlgebra.Solve(a, b);
        return Enumerable.Range(0, m).Sum(i => s[i] * x[i]);
    }
}
