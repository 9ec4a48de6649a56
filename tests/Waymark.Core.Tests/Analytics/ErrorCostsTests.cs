using Waymark.Core.Analytics;

namespace Waymark.Core.Tests.Analytics;

public sealed class ErrorCostsTests
{
    private static IEnumerable<ErrorCostSession> Sessions(string stratum, int count, int converted, params string[] errors) =>
        Enumerable.Range(0, count).Select(i => new ErrorCostSession(stratum, i < converted, errors));

    [Fact]
    public void Rank_TwoStrata_LostConversionsAndInterval()
    {
        // stratum A: 100 without the error (30 convert, 0.3), 10 with it (1 converts, 0.1)
        // stratum B:  50 without (25, 0.5), 20 with (6, 0.3)
        var sessions = Sessions("A", 100, 30).Concat(Sessions("A", 10, 1, "e1"))
            .Concat(Sessions("B", 50, 25)).Concat(Sessions("B", 20, 6, "e1"));
        var e = Assert.Single(ErrorCosts.Rank(sessions));

        // lost = 10·(0.3 − 0.1) + 20·(0.5 − 0.3) = 2 + 4 = 6
        Assert.Equal(6, e.LostConversions, 1e-12);
        Assert.Equal(30, e.Sessions);
        Assert.Equal(7.0 / 30, e.ConversionWithError, 1e-12);   // (1 + 6) / 30
        Assert.Equal(13.0 / 30, e.ExpectedConversion, 1e-12);   // (10·0.3 + 20·0.5) / 30
        Assert.Equal(20, e.DropPoints, 1e-9);                   // (13 − 7) / 30 = 0.2
        // Variance with Agresti–Caffo rates p̃ = (c + 1)/(n + 2):
        // A: p̃w = 2/12, p̃o = 31/102: 10²·((1/6·5/6)/10 + (31/102·71/102)/100) = 1.600442
        // B: p̃w = 7/22, p̃o = 26/52:  20²·((7/22·15/22)/20 + (0.5·0.5)/50)   = 6.338843
        // half-width = 1.959964·√7.939285 = 5.522539
        Assert.Equal(6 - 5.522539, e.LostLower, 1e-5);
        Assert.Equal(6 + 5.522539, e.LostUpper, 1e-5);
    }

    [Fact]
    public void Rank_HarmlessWidespreadErrorAndBlockingRareError_BlockingFirst()
    {
        // Four strata of 1000 clean sessions converting 300 (30 %).
        // "noise" touches 1000 sessions per stratum converting 280, 280, 320, 320: as often as others.
        // "blocker" touches 15 sessions per stratum and none of them converts.
        var sessions = new List<ErrorCostSession>();
        foreach (var (s, noiseConverted) in new[] { ("s1", 280), ("s2", 280), ("s3", 320), ("s4", 320) })
        {
            sessions.AddRange(Sessions(s, 1000, 300));
            sessions.AddRange(Sessions(s, 1000, noiseConverted, "noise"));
            sessions.AddRange(Sessions(s, 15, 0, "blocker"));
        }
        var ranked = ErrorCosts.Rank(sessions);

        Assert.Equal(["blocker", "noise"], ranked.Select(r => r.Group));
        var blocker = ranked[0];
        var noise = ranked[1];
        Assert.True(noise.Sessions > blocker.Sessions); // 4000 against 60 customers touched
        // blocker: without it a stratum has 2000 sessions converting 580 or 620 (0.29, 0.31):
        // lost = 15·(0.29 + 0.29 + 0.31 + 0.31) − 0 = 18
        Assert.Equal(18, blocker.LostConversions, 1e-9);
        Assert.True(blocker.LostLower > 10);
        // noise: without it a stratum has 1015 sessions converting 300 (0.295567):
        // lost = 2·1000·(0.295567 − 0.28) + 2·1000·(0.295567 − 0.32) = −17.73, a gain;
        // clipping each stratum at 0 would instead have charged it 2·1000·0.015567 = 31 > 18.
        Assert.Equal(4000 * 300.0 / 1015 - 2 * 280 - 2 * 320, noise.LostConversions, 1e-9);
        Assert.True(noise.LostLower < 0);
    }

    [Fact]
    public void Rank_ErrorOnlyOnLowConvertingChannel_ComparedWithinItsStratum_NoLoss()
    {
        // mobile converts 10 %, desktop 40 %; the error happens on mobile only and
        // its sessions convert like other mobile sessions. Raw: 10 % against 34 %.
        var sessions = Sessions("mobile", 200, 20).Concat(Sessions("mobile", 50, 5, "mobile-only"))
            .Concat(Sessions("desktop", 800, 320));
        var e = Assert.Single(ErrorCosts.Rank(sessions));
        Assert.Equal(0, e.LostConversions, 1e-12); // 50·(20/200 − 5/50)
        Assert.True(e.LostLower < 0 && e.LostUpper > 0);
    }

    [Fact]
    public void Rank_StratumWithOnlyErrorSessions_NotComparable()
    {
        var sessions = Sessions("A", 10, 5).Concat(Sessions("A", 10, 0, "e")).Concat(Sessions("B", 7, 0, "e"));
        var e = Assert.Single(ErrorCosts.Rank(sessions));
        Assert.Equal(17, e.Sessions);
        Assert.Equal(10, e.ComparableSessions);   // stratum B has nobody without the error
        Assert.Equal(5, e.LostConversions, 1e-12); // 10·(0.5 − 0)
    }

    [Fact]
    public void Rank_SameGroupTwiceInOneSession_CountsOnce()
    {
        var sessions = new[]
        {
            new ErrorCostSession("A", false, ["e", "e"]),
            new ErrorCostSession("A", true, []),
        };
        Assert.Equal(1, Assert.Single(ErrorCosts.Rank(sessions)).Sessions);
    }
}
