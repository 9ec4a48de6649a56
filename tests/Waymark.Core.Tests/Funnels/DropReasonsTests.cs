using Waymark.Core.Funnels;

namespace Waymark.Core.Tests.Funnels;

public sealed class DropReasonsTests
{
    // 100 cases drop at step 1 of a three-step funnel, 1000 go on to step 2.
    private static (List<FunnelCaseResult> Results, Dictionary<string, IReadOnlyCollection<string>> Features) Data()
    {
        var results = new List<FunnelCaseResult>();
        var features = new Dictionary<string, IReadOnlyCollection<string>>();
        DateTimeOffset?[] times = [null, null, null];
        int[] events = [-1, -1, -1];
        for (var i = 0; i < 100; i++)
        {
            var id = "d" + i;
            results.Add(new FunnelCaseResult(id, 1, times, events, null));
            var f = new List<string>();
            if (i < 3) { f.Add("rare"); }          // 3 of 100 dropped, none of those who went on
            if (i < 40) { f.Add("strong"); }       // 40 of 100 dropped, 50 of 1000 went on
            if (i < 4) { f.Add("thin"); }          // 4: under the minimum support of 5
            if (i < 10) { f.Add("common"); }       // 10 % dropped against 30 % going on: under-represented
            features[id] = f;
        }
        for (var i = 0; i < 1000; i++)
        {
            var id = "w" + i;
            results.Add(new FunnelCaseResult(id, 2, times, events, null));
            var f = new List<string>();
            if (i < 50) { f.Add("strong"); }
            if (i < 300) { f.Add("common"); }
            features[id] = f;
        }
        // A case that never reached step 1 is in neither group.
        results.Add(new FunnelCaseResult("early", 0, times, events, null));
        features["early"] = ["strong"];
        return (results, features);
    }

    [Fact]
    public void Analyze_StrongFeatureOutranksRareOneWithHigherOddsRatio()
    {
        var (results, features) = Data();
        var r = DropReasons.Analyze(results, 1, features, new DropReasonOptions { MinSupport = 3 });
        // lower ends: strong 7.73, thin 4.99 (4 dropped, OR 93.3), rare 3.68 (3 dropped, OR 71.8)
        Assert.Equal(["strong", "thin", "rare"], r.Select(f => f.Feature));

        var strong = r[0];
        Assert.Equal((40, 100, 50, 1000), (strong.DroppedWith, strong.Dropped, strong.WentOnWith, strong.WentOn));
        // OR = (40.5·950.5)/(60.5·50.5) = 38495.25/3055.25 = 12.5997
        // SE = √(1/40.5 + 1/60.5 + 1/50.5 + 1/950.5) = √0.062070 = 0.249139
        // lower = exp(ln 12.5997 − 1.959964·0.249139) = exp(2.533673 − 0.488303) = 7.7318
        Assert.Equal(12.5997, strong.OddsRatio, 1e-4);
        Assert.Equal(7.7318, strong.Lower, 1e-3);

        var rare = r[2];
        // OR = (3.5·1000.5)/(97.5·0.5) = 71.8308: higher than strong's,
        // SE = √(1/3.5 + 1/97.5 + 1/0.5 + 1/1000.5) = 1.515571, lower = exp(4.274315 − 2.970464) = 3.6840
        Assert.Equal(71.8308, rare.OddsRatio, 1e-3);
        Assert.Equal(3.6840, rare.Lower, 1e-3);
        Assert.True(rare.OddsRatio > strong.OddsRatio && rare.Lower < strong.Lower);
    }

    [Fact]
    public void Analyze_DefaultMinimumSupport_DropsThinFeatures()
    {
        var (results, features) = Data();
        var r = DropReasons.Analyze(results, 1, features);
        Assert.Equal(["strong"], r.Select(f => f.Feature)); // rare (3) and thin (4) are under 5; common is under-represented
        Assert.Equal(0.4, r[0].DroppedShare);
        Assert.Equal(0.05, r[0].WentOnShare);
    }
}
