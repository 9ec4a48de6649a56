using System.Globalization;

namespace Waymark.Core.Mining.Discovery;

/// <summary>
/// A mutable net under construction (the shared <see cref="PetriNet"/> only
/// grows), reduced and then built once.
/// </summary>
internal sealed class NetSketch
{
    private readonly List<Node> _nodes = [];
    private int _places;
    private int _visible;
    private int _silent;

    /// <summary>A place <c>p_N</c> (N counts every place, named ones too, as PM4Py numbers them).</summary>
    public Node AddPlace(string? id = null)
    {
        var n = ++_places;
        return Add(new Node(id ?? "p_" + n.ToString(CultureInfo.InvariantCulture), isPlace: true, label: null));
    }

    public Node AddVisible(string label) =>
        Add(new Node("t_" + (++_visible).ToString(CultureInfo.InvariantCulture), isPlace: false, label));

    /// <summary>A silent transition <c>kind_N</c>, numbered apart from the visible ones.</summary>
    public Node AddSilent(string kind) =>
        Add(new Node(kind + "_" + (++_silent).ToString(CultureInfo.InvariantCulture), isPlace: false, label: null) { Silent = true });

    public static void Arc(Node from, Node to)
    {
        from.Out.Add(to);
        to.In.Add(from);
    }

    public static void Connect(Node from, Node via, Node to)
    {
        Arc(from, via);
        Arc(via, to);
    }

    /// <summary>
    /// PM4Py's simple reduction, first rule to a fixpoint, then the second:
    /// (1) a silent transition whose only input place has one producer and no
    /// other consumer is removed with that place, the producer taking over its
    /// outputs; (2) a silent transition whose only output place has no other
    /// producer and one consumer is removed with that place, the consumer taking
    /// over its inputs. Then places no token can reach or leave are dropped.
    /// </summary>
    public void Reduce(Node source, Node sink)
    {
        while (ReduceOnce(entry: true))
        {
        }
        while (ReduceOnce(entry: false))
        {
        }
        foreach (var p in _nodes.Where(n => n.IsPlace && ((n.In.Count == 0 && n != source) || (n.Out.Count == 0 && n != sink))).ToList())
        {
            Remove(p);
        }
    }

    private bool ReduceOnce(bool entry)
    {
        var changed = false;
        foreach (var t in _nodes.Where(n => n.Silent).ToList())
        {
            var side = entry ? t.In : t.Out;
            if (t.Removed || side.Count != 1)
            {
                continue;
            }
            var p = side.First();
            if (p.In.Count != 1 || p.Out.Count != 1)
            {
                continue;
            }
            var other = entry ? p.In.First() : p.Out.First();
            if (other == t)
            {
                continue;
            }
            var moved = (entry ? t.Out : t.In).ToList();
            Remove(t);
            Remove(p);
            foreach (var q in moved)
            {
                if (entry)
                {
                    Arc(other, q);
                }
                else
                {
                    Arc(q, other);
                }
            }
            changed = true;
        }
        return changed;
    }

    private static void Remove(Node n)
    {
        foreach (var x in n.In)
        {
            x.Out.RemoveAll(y => y == n);
        }
        foreach (var x in n.Out)
        {
            x.In.RemoveAll(y => y == n);
        }
        n.In.Clear();
        n.Out.Clear();
        n.Removed = true;
    }

    public AcceptingPetriNet Build(Node source, Node sink)
    {
        var net = new PetriNet("process-tree");
        var places = new Dictionary<Node, Place>();
        var transitions = new Dictionary<Node, Transition>();
        foreach (var n in _nodes.Where(n => !n.Removed))
        {
            if (n.IsPlace)
            {
                places[n] = net.AddPlace(n.Id);
            }
            else
            {
                transitions[n] = net.AddTransition(n.Id, n.Label);
            }
        }
        foreach (var n in _nodes.Where(n => !n.Removed))
        {
            foreach (var to in n.Out)
            {
                if (n.IsPlace)
                {
                    net.AddArc(places[n], transitions[to]);
                }
                else
                {
                    net.AddArc(transitions[n], places[to]);
                }
            }
        }
        return new AcceptingPetriNet(net, new Marking { { places[source], 1 } }, new Marking { { places[sink], 1 } });
    }

    private Node Add(Node n)
    {
        _nodes.Add(n);
        return n;
    }

    internal sealed class Node(string id, bool isPlace, string? label)
    {
        public string Id { get; } = id;

        public bool IsPlace { get; } = isPlace;

        public string? Label { get; } = label;

        public bool Silent { get; init; }

        public bool Removed { get; set; }

        // Ordered sets: arcs come out in the order they were made.
        public List<Node> In { get; } = [];

        public List<Node> Out { get; } = [];
    }
}
