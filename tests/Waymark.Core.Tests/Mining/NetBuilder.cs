using Waymark.Core.Mining;

namespace Waymark.Core.Tests.Mining;

/// <summary>
/// Small hand-built workflow nets: transitions given as (label or null for τ,
/// input places, output places); initial marking one token in "source", final
/// one token in "sink".
/// </summary>
internal static class NetBuilder
{
    public static AcceptingPetriNet Workflow(params (string? Label, string[] In, string[] Out)[] transitions)
    {
        var net = new PetriNet("hand-built");
        Place PlaceOf(string id) => net.FindPlace(id) ?? net.AddPlace(id);
        PlaceOf("source");
        PlaceOf("sink");
        var i = 0;
        foreach (var (label, ins, outs) in transitions)
        {
            var t = net.AddTransition("t" + i++, label);
            foreach (var p in ins)
            {
                net.AddArc(PlaceOf(p), t);
            }
            foreach (var p in outs)
            {
                net.AddArc(t, PlaceOf(p));
            }
        }
        return new AcceptingPetriNet(net, new Marking { { net.FindPlace("source")!, 1 } }, new Marking { { net.FindPlace("sink")!, 1 } });
    }

    /// <summary>source →a→ p1 →b→ p2 →c→ sink.</summary>
    public static AcceptingPetriNet Sequence() => Workflow(
        ("a", ["source"], ["p1"]),
        ("b", ["p1"], ["p2"]),
        ("c", ["p2"], ["sink"]));

    /// <summary>a, then b or a silent skip, then c.</summary>
    public static AcceptingPetriNet OptionalB() => Workflow(
        ("a", ["source"], ["p1"]),
        ("b", ["p1"], ["p2"]),
        (null, ["p1"], ["p2"]),
        ("c", ["p2"], ["sink"]));

    /// <summary>a, then b and c in parallel (τ split and join), then d.</summary>
    public static AcceptingPetriNet ParallelBC() => Workflow(
        ("a", ["source"], ["p1"]),
        (null, ["p1"], ["pb", "pc"]),
        ("b", ["pb"], ["qb"]),
        ("c", ["pc"], ["qc"]),
        (null, ["qb", "qc"], ["p2"]),
        ("d", ["p2"], ["sink"]));
}
