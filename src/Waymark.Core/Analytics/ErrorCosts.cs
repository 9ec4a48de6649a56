namespace Waymark.Core.Analytics;

/// <summary>One session as the error-cost estimate needs it.</summary>
/// <param name="Stratum">
/// The comparability key: sessions are compared only with sessions of the same
/// key (for example app + channel + entry page, or the furthest funnel step reached).
/// </param>
/// <param name="Converted">Whether the session converted.</param>
/// <param name="ErrorGroups">The error fingerprints that occurred in it (each counts once per session).</param>
public readonly record struct ErrorCostSession(string Stratum, bool Converted, IReadOnlyCollection<string> ErrorGroups);

/// <summary>Options of <see cref="ErrorCosts"/>.</summary>
public sealed class ErrorCostOptions
{
    /// <summary>Confidence of the interval on lost conversions.</summary>
    public double Confidence { get; set; } = 0.95;
}

/// <summary>What one error group costs in conversions.</summary>
/// <param name="Group">The error fingerprint.</param>
/// <param name="Sessions">Sessions with the error.</param>
/// <param name="ComparableSessions">Of those, the ones in strata that also have sessions without it: only these enter the estimate.</param>
/// <param name="ConversionWithError">Conversion rate of the comparable sessions with the error.</param>
/// <param name="ExpectedConversion">
/// Their expected conversion rate had they converted like the sessions without
/// the error in their own strata (direct standardisation to the error's strata mix).
/// </param>
/// <param name="LostConversions">
/// Σ over strata of sessions_with_error × (rate_without − rate_with): conversions
/// the error took; negative when sessions with it converted more often than comparable ones.
/// </param>
/// <param name="LostLower">Lower end of the interval on lost conversions; the ranking key.</param>
/// <param name="LostUpper">Upper end.</param>
public sealed record ErrorCost(
    string Group,
    int Sessions,
    int ComparableSessions,
    double ConversionWithError,
    double ExpectedConversion,
    double LostConversions,
    double LostLower,
    double LostUpper)
{
    /// <summary>The drop in conversion in percentage points: (expected − observed) · 100.</summary>
    public double DropPoints => (ExpectedConversion - ConversionWithError) * 100;
}

/// <summary>
/// "Errors that cost the most": for each error group, the conversion of
/// sessions with it against comparable sessions without it.
/// <para>
/// Within each stratum s with n_w sessions with the error (c_w converted) and
/// n_o without (c_o converted), the error's toll is n_w·(c_o/n_o − c_w/n_w);
/// the strata add up (weights are the sample sizes n_w, so the figure is in
/// conversions). The differences are summed with their sign, not clipped at 0
/// per stratum: clipping turns noise into cost, and a harmless error spread
/// over many strata would collect a positive toll from chance alone.
/// </para>
/// <para>
/// The ranking key is the lower end of the interval, so an error is ranked
/// high only when its cost is both large and certain. The variance per stratum
/// is n_w²·(p̃_w(1 − p̃_w)/n_w + p̃_o(1 − p̃_o)/n_o) with Agresti and Caffo's
/// adjusted rates p̃ = (c + 1)/(n + 2) (2000), so a stratum of two sessions
/// does not claim certainty. Strata without sessions on both sides have nothing
/// to compare with and are left out (see ComparableSessions).
/// </para>
/// </summary>
public static class ErrorCosts
{
    /// <summary>Every error group's cost, the most certainly costly first.</summary>
    public static IReadOnlyList<ErrorCost> Rank(IEnumerable<ErrorCostSession> sessions, ErrorCostOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        var z = Normal.TwoSidedCritical((options ?? new ErrorCostOptions()).Confidence);
        var strata = new Dictionary<string, Counts>(StringComparer.Ordinal);
        var groups = new Dictionary<string, Dictionary<string, Counts>>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in sessions)
        {
            var stratum = s.Stratum ?? "";
            strata[stratum] = strata.GetValueOrDefault(stratum).Add(s.Converted);
            seen.Clear();
            foreach (var g in s.ErrorGroups ?? [])
            {
                if (!seen.Add(g))
                {
                    continue;
                }
                if (!groups.TryGetValue(g, out var byStratum))
                {
                    groups[g] = byStratum = new Dictionary<string, Counts>(StringComparer.Ordinal);
                }
                byStratum[stratum] = byStratum.GetValueOrDefault(stratum).Add(s.Converted);
            }
        }
        var result = new List<ErrorCost>(groups.Count);
        foreach (var (group, byStratum) in groups)
        {
            int sessionsWith = 0, comparable = 0, convertedWith = 0;
            double expected = 0, lost = 0, variance = 0;
            foreach (var (stratum, with) in byStratum)
            {
                sessionsWith += with.N;
                var all = strata[stratum];
                var without = new Counts(all.N - with.N, all.C - with.C);
                if (without.N == 0)
                {
                    continue;
                }
                comparable += with.N;
                convertedWith += with.C;
                var rateWithout = (double)without.C / without.N;
                expected += with.N * rateWithout;
                lost += with.N * rateWithout - with.C;
                var pw = (with.C + 1.0) / (with.N + 2.0);
                var po = (without.C + 1.0) / (without.N + 2.0);
                variance += (double)with.N * with.N * (pw * (1 - pw) / with.N + po * (1 - po) / without.N);
            }
            var half = z * Math.Sqrt(variance);
            result.Add(new ErrorCost(
                group,
                sessionsWith,
                comparable,
                comparable == 0 ? double.NaN : (double)convertedWith / comparable,
                comparable == 0 ? double.NaN : expected / comparable,
                lost,
                lost - half,
                lost + half));
        }
        return result
            .OrderByDescending(r => r.ComparableSessions > 0)
            .ThenByDescending(r => r.LostLower)
            .ThenByDescending(r => r.LostConversions)
            .ThenBy(r => r.Group, StringComparer.Ordinal)
            .ToList();
    }

    private readonly record struct Counts(int N, int C)
    {
        public Counts Add(bool converted) => new(N + 1, C + (converted ? 1 : 0));
    }
}
