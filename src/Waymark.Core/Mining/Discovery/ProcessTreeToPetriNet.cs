namespace Waymark.Core.Mining.Discovery;

/// <summary>
/// Turns a process tree into an accepting Petri net of the shape PM4Py 2.7.14
/// builds (its nets in the reference data have the same places, transitions and
/// arcs): one token in <c>source</c> initially and in <c>sink</c> finally; an
/// activity is a transition, tau a silent <c>skip</c>; a choice shares its
/// entry and exit places; a sequence chains places; a parallel node has a
/// silent <c>tauSplit</c> and <c>tauJoin</c> around one entry and exit place per
/// child; a loop enters its do part through a silent <c>init_loop</c>, goes from
/// the do's exit through a redo and a silent <c>loop</c> back to the do's entry,
/// and leaves through a silent <c>skip</c>. A parallel tree, or one that can begin
/// (end) with a loop, gets a silent <c>tau</c> after <c>source</c> (before <c>sink</c>). Last,
/// silent transitions are merged away where a place has one producer and one
/// consumer (see <see cref="NetSketch.Reduce"/>).
/// </summary>
public static class ProcessTreeToPetriNet
{
    public static AcceptingPetriNet Convert(ProcessTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var net = new NetSketch();
        var source = net.AddPlace("source");
        var sink = net.AddPlace("sink");
        var entry = source;
        var exit = sink;
        if (NeedsSilentEnd(tree, last: false))
        {
            entry = net.AddPlace();
            NetSketch.Connect(source, net.AddSilent("tau"), entry);
        }
        if (NeedsSilentEnd(tree, last: true))
        {
            exit = net.AddPlace();
            NetSketch.Connect(exit, net.AddSilent("tau"), sink);
        }
        Add(net, tree, entry, exit);
        net.Reduce(source, sink);
        return net.Build(source, sink);
    }

    // Whether PM4Py puts a silent step after source (before sink), as its nets
    // show: when the tree is a parallel node, or may begin (end) with a loop
    // (through first/last children of sequences and any child of a choice).
    // For a parallel root the step merges with the split (join) and only
    // shifts the numbering.
    private static bool NeedsSilentEnd(ProcessTree t, bool last) =>
        t.Operator == ProcessTreeOperator.Parallel || MayBeginWithLoop(t, last);

    private static bool MayBeginWithLoop(ProcessTree t, bool last) => t.Operator switch
    {
        ProcessTreeOperator.Loop => true,
        ProcessTreeOperator.Sequence => MayBeginWithLoop(last ? t.Children[^1] : t.Children[0], last),
        ProcessTreeOperator.Exclusive => t.Children.Any(c => MayBeginWithLoop(c, last)),
        _ => false,
    };

    private static void Add(NetSketch net, ProcessTree t, NetSketch.Node entry, NetSketch.Node exit)
    {
        switch (t.Operator)
        {
            case null:
                NetSketch.Connect(entry, t.Label is null ? net.AddSilent("skip") : net.AddVisible(t.Label), exit);
                break;
            case ProcessTreeOperator.Exclusive:
                foreach (var c in t.Children)
                {
                    Add(net, c, entry, exit);
                }
                break;
            case ProcessTreeOperator.Sequence:
                var from = entry;
                for (var i = 0; i < t.Children.Count; i++)
                {
                    var to = i == t.Children.Count - 1 ? exit : net.AddPlace();
                    Add(net, t.Children[i], from, to);
                    from = to;
                }
                break;
            case ProcessTreeOperator.Parallel:
                var split = net.AddSilent("tauSplit");
                var join = net.AddSilent("tauJoin");
                NetSketch.Arc(entry, split);
                NetSketch.Arc(join, exit);
                foreach (var c in t.Children)
                {
                    var a = net.AddPlace();
                    var b = net.AddPlace();
                    NetSketch.Arc(split, a);
                    NetSketch.Arc(b, join);
                    Add(net, c, a, b);
                }
                break;
            case ProcessTreeOperator.Loop:
                // Places in PM4Py's order of creation (the replay breaks ties by place id).
                var init = net.AddSilent("init_loop");
                var back = net.AddSilent("loop");
                var doEntry = net.AddPlace();
                NetSketch.Connect(entry, init, doEntry);
                NetSketch.Arc(back, doEntry);
                var doExit = net.AddPlace();
                Add(net, t.Children[0], doEntry, doExit);
                var redoExit = net.AddPlace();
                NetSketch.Arc(redoExit, back);
                for (var i = 1; i < t.Children.Count; i++)
                {
                    Add(net, t.Children[i], doExit, redoExit);
                }
                NetSketch.Connect(doExit, net.AddSilent("skip"), exit);
                break;
        }
    }
}
