using Waymark.Core.Attribution;

namespace Waymark.Core.Tests.Attribution;

public sealed class MarkovAttributionTests
{
    private static MarkovPath P(string path, long conversions, long nulls, double value = 0) =>
        new(path.Split(" > "), conversions, nulls, value);

    [Fact]
    public void Compute_BrylThreeChannelExample_PublishedRemovalEffectsAndCredit()
    {
        // S. Bryl, "Marketing Multi-Channel Attribution model with R (part 1: Markov
        // chains concept)", AnalyzeCore, 3 Aug 2016: journeys C1 > C2 > C3 > conversion,
        // C1 > null, C2 > C3 > null. Published: P(conversion) = 1/3, with C1 removed
        // 1/6; removal effects C1 0.5, C2 1, C3 1; credit 0.2, 0.4, 0.4 of the one
        // conversion (also the reference data of the markovattribution npm package).
        var r = MarkovAttribution.Compute([P("C1 > C2 > C3", 1, 0, 1000), P("C1", 0, 1), P("C2 > C3", 0, 1)]);
        Assert.Equal(1.0 / 3, r.ConversionProbability, 1e-12);
        var c = r.Channels.ToDictionary(x => x.Channel);
        Assert.Equal(0.5, c["C1"].RemovalEffect, 1e-12);
        Assert.Equal(1, c["C2"].RemovalEffect, 1e-12);
        Assert.Equal(1, c["C3"].RemovalEffect, 1e-12);
        Assert.Equal(0.2, c["C1"].Conversions, 1e-12);
        Assert.Equal(0.4, c["C2"].Conversions, 1e-12);
        Assert.Equal(0.4, c["C3"].Conversions, 1e-12);
        Assert.Equal(200, c["C1"].Value, 1e-9); // value in the same proportion: 0.2 · 1000
        Assert.Equal(1.0 / 6, MarkovAttribution.ConversionProbabilityWithout([P("C1 > C2 > C3", 1, 0), P("C1", 0, 1), P("C2 > C3", 0, 1)], "C1"), 1e-12);
    }

    [Fact]
    public void Compute_RevisitLoop_HandWorked()
    {
        // A > B > conv, A > null, B > A > B > conv.
        // start → A 2/3, B 1/3;  A → B 2/3, null 1/3;  B → conv 2/3, A 1/3.
        // x_A = 2/3·x_B, x_B = 2/3 + 1/3·x_A → x_B = 6/7, x_A = 4/7;
        // P = 2/3·4/7 + 1/3·6/7 = 2/3.
        // Without A: x_B = 2/3, P = 1/3·2/3 = 2/9 → RE_A = 1 − (2/9)/(2/3) = 2/3.
        // Without B: nothing reaches conversion → RE_B = 1.
        // Credit of the 2 conversions: A (2/3)/(5/3)·2 = 0.8, B 1/(5/3)·2 = 1.2.
        MarkovPath[] paths = [P("A > B", 1, 0), P("A", 0, 1), P("B > A > B", 1, 0)];
        var r = MarkovAttribution.Compute(paths);
        Assert.Equal(2.0 / 3, r.ConversionProbability, 1e-12);
        var c = r.Channels.ToDictionary(x => x.Channel);
        Assert.Equal(2.0 / 3, c["A"].RemovalEffect, 1e-12);
        Assert.Equal(1, c["B"].RemovalEffect, 1e-12);
        Assert.Equal(0.8, c["A"].Conversions, 1e-12);
        Assert.Equal(1.2, c["B"].Conversions, 1e-12);
        Assert.Equal(["B", "A"], r.Channels.Select(x => x.Channel)); // most credit first
    }

    [Fact]
    public void Compute_GroupedPathsWithSeveralConversions_HandWorked()
    {
        // The grouped paths of S. Puzyrov's "Markov chain attribution – simple explanation
        // of removal effect" (2019): Google Ads 2 conversions, Mailing 1, Google Ads > Mailing 1,
        // Google Ads 0 conversions once.
        // start → G 4/5, M 1/5;  G → conv 2/4, M 1/4, null 1/4;  M → conv 1.
        // x_M = 1, x_G = 1/2 + 1/4 = 3/4; P = 4/5·3/4 + 1/5 = 0.8.
        // Without G: P = 1/5 → RE_G = 0.75; without M: x_G = 1/2, P = 0.4 → RE_M = 0.5.
        // Credit of 4 conversions: G 0.75/1.25·4 = 2.4, M 0.5/1.25·4 = 1.6.
        var r = MarkovAttribution.Compute([P("G", 2, 1), P("M", 1, 0), P("G > M", 1, 0)]);
        Assert.Equal(0.8, r.ConversionProbability, 1e-12);
        var c = r.Channels.ToDictionary(x => x.Channel);
        Assert.Equal(0.75, c["G"].RemovalEffect, 1e-12);
        Assert.Equal(0.5, c["M"].RemovalEffect, 1e-12);
        Assert.Equal(2.4, c["G"].Conversions, 1e-12);
        Assert.Equal(1.6, c["M"].Conversions, 1e-12);
        var g = r.Transitions.Where(t => t.From == "G").ToDictionary(t => t.To, t => t.Probability);
        Assert.Equal(new Dictionary<string, double> { ["M"] = 0.25, [MarkovAttribution.ConversionState] = 0.5, [MarkovAttribution.NullState] = 0.25 }, g);
    }

    [Fact]
    public void Compute_RandomChains_ShortcutEqualsSolvingWithTheChannelRemoved()
    {
        var rng = new Random(42);
        string[] channels = ["search", "email", "social", "display", "direct", "kiosk"];
        var paths = new List<MarkovPath>();
        for (var i = 0; i < 300; i++)
        {
            var path = Enumerable.Range(0, 1 + rng.Next(6)).Select(_ => channels[rng.Next(channels.Length)]).ToList();
            var conversions = rng.Next(3);
            paths.Add(new MarkovPath(path, conversions, conversions == 0 ? 1 + rng.Next(3) : rng.Next(2)));
        }
        var r = MarkovAttribution.Compute(paths);
        var p = MarkovAttribution.ConversionProbabilityWithout(paths, null);
        Assert.Equal(p, r.ConversionProbability, 1e-12);
        foreach (var c in r.Channels)
        {
            var direct = 1 - MarkovAttribution.ConversionProbabilityWithout(paths, c.Channel) / p;
            Assert.Equal(direct, c.RemovalEffect, 1e-10);
        }
        Assert.Equal(paths.Sum(x => x.Conversions), r.Channels.Sum(c => c.Conversions), 1e-9);
    }

    [Fact]
    public void Compute_NoConversions_ZeroCredit()
    {
        var r = MarkovAttribution.Compute([P("A > B", 0, 3)]);
        Assert.Equal(0, r.ConversionProbability);
        Assert.All(r.Channels, c => Assert.Equal(0, c.Conversions));
    }

    [Fact]
    public void Compute_EmptyPathsIgnored() =>
        Assert.Equal(["A"], MarkovAttribution.Compute([new MarkovPath([], 5, 0), P("A", 1, 1)]).Channels.Select(c => c.Channel));
}
