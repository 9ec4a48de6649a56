namespace Waymark.Core.Mining;

/// <summary>
/// A place/transition net with arc weights. Places and transitions are
/// numbered in the order they are added (<see cref="PetriNode.Index"/>), so
/// algorithms can keep markings and firing counts in plain arrays.
/// </summary>
public sealed class PetriNet
{
    private readonly List<Place> _places = [];
    private readonly List<Transition> _transitions = [];
    private readonly List<Arc> _arcs = [];
    private readonly Dictionary<string, PetriNode> _byId = new(StringComparer.Ordinal);

    public PetriNet(string name = "net") => Name = name ?? throw new ArgumentNullException(nameof(name));

    public string Name { get; set; }

    public IReadOnlyList<Place> Places => _places;

    public IReadOnlyList<Transition> Transitions => _transitions;

    public IReadOnlyList<Arc> Arcs => _arcs;

    /// <summary>Adds a place; its id must be unique among the net's places and transitions.</summary>
    public Place AddPlace(string id, string? name = null)
    {
        var p = new Place(id, name ?? id, _places.Count);
        Register(p);
        _places.Add(p);
        return p;
    }

    /// <summary>Adds a transition; a null <paramref name="label"/> makes it silent (a τ step).</summary>
    public Transition AddTransition(string id, string? label, string? name = null)
    {
        var t = new Transition(id, name ?? label ?? id, label, _transitions.Count);
        Register(t);
        _transitions.Add(t);
        return t;
    }

    /// <summary>Adds an arc from a place to a transition (the transition consumes <paramref name="weight"/> tokens).</summary>
    public Arc AddArc(Place source, Transition target, int weight = 1) => Connect(source, target, weight);

    /// <summary>Adds an arc from a transition to a place (the transition produces <paramref name="weight"/> tokens).</summary>
    public Arc AddArc(Transition source, Place target, int weight = 1) => Connect(source, target, weight);

    /// <summary>The place or transition with this id, or null.</summary>
    public PetriNode? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>The place with this id, or null.</summary>
    public Place? FindPlace(string id) => _byId.GetValueOrDefault(id) as Place;

    /// <summary>The transition with this id, or null.</summary>
    public Transition? FindTransition(string id) => _byId.GetValueOrDefault(id) as Transition;

    public override string ToString() =>
        $"{Name}: {_places.Count} places, {_transitions.Count} transitions, {_arcs.Count} arcs";

    private void Register(PetriNode node)
    {
        if (!_byId.TryAdd(node.Id, node))
        {
            throw new ArgumentException($"The net already has a node with id '{node.Id}'.", nameof(node));
        }
    }

    private Arc Connect(PetriNode source, PetriNode target, int weight)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfLessThan(weight, 1);
        if (!ReferenceEquals(Find(source.Id), source) || !ReferenceEquals(Find(target.Id), target))
        {
            throw new ArgumentException("Both ends of an arc must belong to this net.");
        }
        var arc = new Arc(source, target, weight);
        source.OutArcsList.Add(arc);
        target.InArcsList.Add(arc);
        _arcs.Add(arc);
        return arc;
    }
}

/// <summary>A place or a transition.</summary>
public abstract class PetriNode
{
    private protected PetriNode(string id, string name, int index)
    {
        ArgumentNullException.ThrowIfNull(id);
        Id = id;
        Name = name;
        Index = index;
    }

    /// <summary>The id, unique in the net (PNML's <c>id</c>).</summary>
    public string Id { get; }

    /// <summary>A display name (PNML's <c>name/text</c>).</summary>
    public string Name { get; }

    /// <summary>Position among the net's places (or transitions), from 0.</summary>
    public int Index { get; }

    public IReadOnlyList<Arc> InArcs => InArcsList;

    public IReadOnlyList<Arc> OutArcs => OutArcsList;

    internal List<Arc> InArcsList { get; } = [];

    internal List<Arc> OutArcsList { get; } = [];

    public override string ToString() => Id;
}

/// <summary>A place of a <see cref="PetriNet"/>.</summary>
public sealed class Place : PetriNode
{
    internal Place(string id, string name, int index)
        : base(id, name, index)
    {
    }
}

/// <summary>A transition; silent (τ) when <see cref="Label"/> is null.</summary>
public sealed class Transition : PetriNode
{
    internal Transition(string id, string name, string? label, int index)
        : base(id, name, index) => Label = label;

    /// <summary>The activity this transition stands for, or null for a silent transition.</summary>
    public string? Label { get; }

    public bool IsSilent => Label is null;

    public override string ToString() => Label ?? $"τ({Id})";
}

/// <summary>An arc between a place and a transition (either way round) with a weight ≥ 1.</summary>
public sealed class Arc
{
    internal Arc(PetriNode source, PetriNode target, int weight)
    {
        Source = source;
        Target = target;
        Weight = weight;
    }

    public PetriNode Source { get; }

    public PetriNode Target { get; }

    public int Weight { get; }

    public override string ToString() => Weight == 1 ? $"{Source} → {Target}" : $"{Source} →({Weight}) {Target}";
}
