using Waymark.Core.Sessions;

namespace Waymark.Core.Analytics;

/// <summary>One day's sessions by experience class (definitions.md, "Session experience").</summary>
public readonly record struct DailyExperience(DateOnly Day, long Satisfied, long Tolerating, long Frustrated)
{
    /// <summary>All sessions of the day.</summary>
    public long Total => Satisfied + Tolerating + Frustrated;
}

/// <summary>Which way a share moved against its baseline, if it moved beyond chance.</summary>
public enum ShareMove : sbyte
{
    Down = -1,
    None = 0,
    Up = 1,
}

/// <summary>Options of <see cref="DailyShares"/>.</summary>
public sealed class DailySharesOptions
{
    /// <summary>The baseline is the pooled counts of the previous this-many calendar days.</summary>
    public int BaselineDays { get; set; } = 7;
    /// <summary>A day is tested only if at least this many of its baseline days have sessions.</summary>
    public int MinBaselineDays { get; set; } = 3;
    /// <summary>Confidence of the two-sided test: 99 % flags about one calm day in a hundred by chance.</summary>
    public double Confidence { get; set; } = 0.99;
    /// <summary>
    /// A move must also be at least this large (as a share, 0.02 = 2 points) to be
    /// flagged: with tens of thousands of sessions a day even a trivial change is
    /// significant. 0 (the default) flags on the test alone.
    /// </summary>
    public double MinChange { get; set; }
}

/// <summary>One day's shares and whether they moved.</summary>
/// <param name="Day">The day.</param>
/// <param name="Total">Sessions that day.</param>
/// <param name="SatisfiedShare">Satisfied / total.</param>
/// <param name="ToleratingShare">Tolerating / total.</param>
/// <param name="FrustratedShare">Frustrated / total.</param>
/// <param name="BaselineSatisfiedShare">The trailing baseline's satisfied share, or null when the day was not tested.</param>
/// <param name="BaselineFrustratedShare">The baseline's frustrated share, or null.</param>
/// <param name="SatisfiedZ">The z statistic of the satisfied share against the baseline, or null.</param>
/// <param name="FrustratedZ">The z statistic of the frustrated share, or null.</param>
/// <param name="Satisfied">Whether the satisfied share moved.</param>
/// <param name="Frustrated">Whether the frustrated share moved.</param>
public sealed record DailyShare(
    DateOnly Day,
    long Total,
    double SatisfiedShare,
    double ToleratingShare,
    double FrustratedShare,
    double? BaselineSatisfiedShare,
    double? BaselineFrustratedShare,
    double? SatisfiedZ,
    double? FrustratedZ,
    ShareMove Satisfied,
    ShareMove Frustrated)
{
    /// <summary>A day that moved: either share left its baseline beyond chance.</summary>
    public bool Moved => Satisfied != ShareMove.None || Frustrated != ShareMove.None;
}

/// <summary>
/// The daily shares of satisfied / tolerating / frustrated sessions, with the
/// "days that moved". A day's share is compared with the pooled share of the
/// trailing baseline (the previous <see cref="DailySharesOptions.BaselineDays"/>
/// calendar days; the day itself is not in it) by the pooled two-proportion z
/// test: p = (x₁ + x₂)/(n₁ + n₂), z = (p₁ − p₂)/√(p(1 − p)(1/n₁ + 1/n₂)); the
/// share moved when |z| exceeds the two-sided critical value (2.576 at 99 %).
/// The test assumes sessions are independent; day-to-day swings (weekday,
/// campaigns) are larger than that, so it flags generously on busy apps,
/// which is what <see cref="DailySharesOptions.MinChange"/> is for.
/// </summary>
public static class DailyShares
{
    /// <summary>Shares per day in date order (counts of the same day are added together).</summary>
    public static IReadOnlyList<DailyShare> Compute(IEnumerable<DailyExperience> days, DailySharesOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(days);
        var o = options ?? new DailySharesOptions();
        var z = Normal.TwoSidedCritical(o.Confidence);
        var byDay = new SortedDictionary<DateOnly, DailyExperience>();
        foreach (var d in days)
        {
            byDay[d.Day] = byDay.TryGetValue(d.Day, out var e)
                ? new DailyExperience(d.Day, e.Satisfied + d.Satisfied, e.Tolerating + d.Tolerating, e.Frustrated + d.Frustrated)
                : d;
        }
        var result = new List<DailyShare>(byDay.Count);
        foreach (var (day, d) in byDay)
        {
            long baseTotal = 0, baseSatisfied = 0, baseFrustrated = 0;
            var baseDays = 0;
            for (var k = 1; k <= o.BaselineDays; k++)
            {
                if (byDay.TryGetValue(day.AddDays(-k), out var b) && b.Total > 0)
                {
                    baseDays++;
                    baseTotal += b.Total;
                    baseSatisfied += b.Satisfied;
                    baseFrustrated += b.Frustrated;
                }
            }
            var n = d.Total;
            double Share(long x) => n == 0 ? double.NaN : (double)x / n;
            var tested = n > 0 && baseDays >= o.MinBaselineDays;
            double? zs = tested ? ZStatistic(d.Satisfied, n, baseSatisfied, baseTotal) : null;
            double? zf = tested ? ZStatistic(d.Frustrated, n, baseFrustrated, baseTotal) : null;
            double? bs = tested ? (double)baseSatisfied / baseTotal : null;
            double? bf = tested ? (double)baseFrustrated / baseTotal : null;
            result.Add(new DailyShare(
                day, n, Share(d.Satisfied), Share(d.Tolerating), Share(d.Frustrated), bs, bf, zs, zf,
                Move(zs, Share(d.Satisfied) - bs, z, o.MinChange),
                Move(zf, Share(d.Frustrated) - bf, z, o.MinChange)));
        }
        return result;
    }

    /// <summary>
    /// Daily counts from sessions already classified by <see cref="ExperienceScore.Classify"/>
    /// (the day is the caller's: the app's time zone decides where a day ends).
    /// </summary>
    public static IReadOnlyList<DailyExperience> Count(IEnumerable<(DateOnly Day, Experience Experience)> sessions)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        var days = new SortedDictionary<DateOnly, (long S, long T, long F)>();
        foreach (var (day, experience) in sessions)
        {
            var (sat, tol, fru) = days.GetValueOrDefault(day);
            days[day] = experience switch
            {
                Experience.Satisfied => (sat + 1, tol, fru),
                Experience.Tolerating => (sat, tol + 1, fru),
                _ => (sat, tol, fru + 1),
            };
        }
        return days.Select(d => new DailyExperience(d.Key, d.Value.S, d.Value.T, d.Value.F)).ToList();
    }

    /// <summary>The pooled two-proportion z statistic of x₁/n₁ against x₂/n₂; 0 when both shares are 0 or both 1.</summary>
    public static double ZStatistic(long x1, long n1, long x2, long n2)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n2);
        var p = (double)(x1 + x2) / (n1 + n2);
        var se = Math.Sqrt(p * (1 - p) * (1.0 / n1 + 1.0 / n2));
        return se == 0 ? 0 : ((double)x1 / n1 - (double)x2 / n2) / se;
    }

    private static ShareMove Move(double? zValue, double? change, double critical, double minChange)
    {
        if (zValue is not { } zv || change is not { } c || Math.Abs(zv) <= critical || Math.Abs(c) < minChange)
        {
            return ShareMove.None;
        }
        return zv > 0 ? ShareMove.Up : ShareMove.Down;
    }
}
