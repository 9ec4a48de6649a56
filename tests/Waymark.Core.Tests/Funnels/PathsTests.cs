using Waymark.Core.Funnels;
using static Waymark.Core.Tests.Funnels.FunnelTestData;

namespace Waymark.Core.Tests.Funnels;

public sealed class PathsTests
{
    private static readonly FunnelDefinition s_funnel = Define("/cart", "buy");

    private static SankeyGraph Graph(PathOptions options, params FunnelCase[] cases) =>
        Paths.AroundStep(cases, Funnel.Evaluate(s_funnel, cases), 0, options);

    private static int Link(SankeyGraph g, int from, string a, string b) =>
        g.Links.SingleOrDefault(l => l.FromLevel == from && l.FromLabel == a && l.ToLabel == b)?.Count ?? 0;

    [Fact]
    public void AroundStep_BeforeAndAfterTheCart_NodesAndLinks()
    {
        var g = Graph(new PathOptions { StepsBefore = 2, StepsAfter = 2 },
            Case("a", E(0, "/home"), E(1, "/product"), E(2, "/cart"), E(3, "buy")),
            Case("b", E(0, "/product"), E(1, "/cart"), E(2, "/product")),
            Case("c", E(0, "/search"), E(1, "/product"), E(2, "/cart"), E(3, "buy"), E(4, "/home")),
            Case("d", E(0, "/home")));  // never at the cart: not in the diagram

        // a: /home → /product → [/cart] → buy → (end)
        // b: (start) → /product → [/cart] → /product → (end)
        // c: /search → /product → [/cart] → buy → /home
        Assert.Equal(3, g.Nodes.Single(n => n.Level == 0).Count);
        Assert.Equal(3, g.Nodes.Single(n => n.Level == -1 && n.Label == "/product").Count);
        Assert.Equal(3, Link(g, -1, "/product", "/cart"));
        Assert.Equal(2, Link(g, 0, "/cart", "buy"));
        Assert.Equal(1, Link(g, 0, "/cart", "/product"));
        Assert.Equal(1, Link(g, 1, "buy", Paths.End));
        Assert.Equal(1, Link(g, 1, "buy", "/home"));
        Assert.Equal(1, Link(g, 1, "/product", Paths.End));
        Assert.Equal(1, Link(g, -2, Paths.Start, "/product"));
        Assert.Equal(1, Link(g, -2, "/home", "/product"));
        Assert.Equal(1, Link(g, -2, "/search", "/product"));
        Assert.Equal(12, g.Links.Sum(l => l.Count)); // each case: 5 nodes on levels −2…2, 4 links
    }

    [Fact]
    public void Around_BeyondTopN_BecomesOther()
    {
        // Before the cart: /a three times, /b twice, /c and /d once: top 2 keeps /a and /b.
        var cases = new[] { "/a", "/a", "/a", "/b", "/b", "/c", "/d" }
            .Select((p, i) => Case("x" + i, E(0, p), E(1, "/cart"))).ToArray();
        var g = Graph(new PathOptions { StepsBefore = 1, StepsAfter = 0, TopLabelsPerLevel = 2 }, cases);
        var before = g.Nodes.Where(n => n.Level == -1).ToDictionary(n => n.Label, n => n.Count);
        Assert.Equal(new Dictionary<string, int> { ["/a"] = 3, ["/b"] = 2, [Paths.Other] = 2 }, before);
        Assert.Equal(2, Link(g, -1, Paths.Other, "/cart"));
    }

    [Fact]
    public void Around_RepeatsCollapsed_UnlessAskedNotTo()
    {
        var c = Case("r", E(0, "/cart"), E(1, "/cart"), E(2, "/pay"), E(3, "/pay"), E(4, "/done"));
        var collapsed = Graph(new PathOptions { StepsBefore = 0, StepsAfter = 2 }, c);
        Assert.Equal(1, Link(collapsed, 0, "/cart", "/pay"));
        Assert.Equal(1, Link(collapsed, 1, "/pay", "/done"));
        var raw = Graph(new PathOptions { StepsBefore = 0, StepsAfter = 2, CollapseRepeats = false }, c);
        Assert.Equal(1, Link(raw, 0, "/cart", "/cart"));
        Assert.Equal(1, Link(raw, 1, "/cart", "/pay"));
    }

    [Fact]
    public void Around_CustomLabel_SkipsEventsItMapsToNull()
    {
        var c = Case("k", E(0, "/cart"), E(1, "ping"), E(2, "/pay"));
        var g = Graph(new PathOptions { StepsBefore = 0, StepsAfter = 1, Label = e => e.Type == "view" ? e.Name : null }, c);
        Assert.Equal(1, Link(g, 0, "/cart", "/pay"));
    }
}
