using Waymark.Core.Analytics;
using Waymark.Core.Sessions;

namespace Waymark.Core.Tests.Analytics;

public sealed class DailySharesTests
{
    private static readonly DateOnly s_day0 = new(2025, 3, 1);

    // Seven calm days of 100 sessions: 60 satisfied, 30 tolerating, 10 frustrated.
    private static IEnumerable<DailyExperience> CalmWeek() =>
        Enumerable.Range(0, 7).Select(i => new DailyExperience(s_day0.AddDays(i), 60, 30, 10));

    [Fact]
    public void Compute_FrustrationJumps_DayMovedUp()
    {
        var days = CalmWeek().Append(new DailyExperience(s_day0.AddDays(7), 50, 25, 25));
        var d = DailyShares.Compute(days)[^1];
        // baseline 70/700 = 0.10; day 25/100 = 0.25; pooled p = 95/800 = 0.11875
        // z = 0.15 / √(0.11875·0.88125·(1/100 + 1/700)) = 0.15 / 0.034583 = 4.3374 > 2.5758
        Assert.Equal(0.1, d.BaselineFrustratedShare!.Value, 1e-12);
        Assert.Equal(4.337394, d.FrustratedZ!.Value, 1e-5);
        Assert.Equal(ShareMove.Up, d.Frustrated);
        // satisfied 0.50 against 0.60: pooled 470/800 = 0.5875,
        // z = −0.1/√(0.5875·0.4125·0.0114286) = −0.1/0.052627 = −1.9002, inside ±2.5758
        Assert.Equal(-1.9002, d.SatisfiedZ!.Value, 1e-4);
        Assert.Equal(ShareMove.None, d.Satisfied);
        Assert.True(d.Moved);
    }

    [Fact]
    public void Compute_SmallChange_NotMoved()
    {
        var days = CalmWeek().Append(new DailyExperience(s_day0.AddDays(7), 56, 30, 14));
        var d = DailyShares.Compute(days)[^1];
        // 14/100 against 70/700: pooled 84/800 = 0.105, z = 0.04/0.032772 = 1.2206 < 2.5758
        Assert.Equal(1.220556, d.FrustratedZ!.Value, 1e-5);
        Assert.False(d.Moved);
    }

    [Fact]
    public void Compute_FirstDays_NotTestedUntilThreeBaselineDays()
    {
        var r = DailyShares.Compute(CalmWeek());
        Assert.Equal([null, null, null, 0.0, 0.0, 0.0, 0.0], r.Select(d => d.FrustratedZ));
        Assert.Equal(0.6, r[0].SatisfiedShare);
        Assert.Equal(0.3, r[0].ToleratingShare);
    }

    [Fact]
    public void Compute_BaselineIsCalendarDays_AGapShrinksIt()
    {
        // days 0, 1 and 9: day 9's previous seven calendar days (2…8) hold nothing.
        DailyExperience[] days = [new(s_day0, 60, 30, 10), new(s_day0.AddDays(1), 60, 30, 10), new(s_day0.AddDays(9), 10, 10, 80)];
        Assert.All(DailyShares.Compute(days), d => Assert.Null(d.FrustratedZ));
    }

    [Fact]
    public void Compute_MinChange_SuppressesTinySignificantMoves()
    {
        // 100 000 sessions a day: 10.0 % → 10.5 % is significant (z ≈ 3.9) but small.
        var days = Enumerable.Range(0, 7).Select(i => new DailyExperience(s_day0.AddDays(i), 60_000, 30_000, 10_000))
            .Append(new DailyExperience(s_day0.AddDays(7), 59_500, 30_000, 10_500)).ToList();
        Assert.Equal(ShareMove.Up, DailyShares.Compute(days)[^1].Frustrated);
        Assert.Equal(ShareMove.None, DailyShares.Compute(days, new DailySharesOptions { MinChange = 0.02 })[^1].Frustrated);
    }

    [Fact]
    public void Compute_SameDayTwice_CountsAdded()
    {
        DailyExperience[] days = [new(s_day0, 1, 0, 1), new(s_day0, 1, 2, 0)];
        var d = Assert.Single(DailyShares.Compute(days));
        Assert.Equal(5, d.Total);
        Assert.Equal(0.4, d.SatisfiedShare);
    }

    [Fact]
    public void Count_ClassifiedSessions_DailyCounts()
    {
        (DateOnly, Experience)[] sessions =
        [
            (s_day0, Experience.Satisfied), (s_day0, Experience.Frustrated), (s_day0.AddDays(1), Experience.Tolerating),
            (s_day0, ExperienceScore.Classify(9, 0, 0, 0, lastActionFrustrating: true)), // frustrated: the last action was
        ];
        Assert.Equal([new DailyExperience(s_day0, 1, 0, 2), new DailyExperience(s_day0.AddDays(1), 0, 1, 0)], DailyShares.Count(sessions));
    }
}
