using System.Collections;

namespace Waymark.Core.Mining;

/// <summary>
/// A marking: how many tokens lie in each place. Places without tokens are not
/// stored; the indexer answers 0 for them.
/// </summary>
public sealed class Marking : IEnumerable<KeyValuePair<Place, int>>, IEquatable<Marking>
{
    private readonly Dictionary<Place, int> _tokens = [];

    public Marking()
    {
    }

    public Marking(IEnumerable<KeyValuePair<Place, int>> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        foreach (var (p, n) in tokens)
        {
            this[p] = n;
        }
    }

    /// <summary>Tokens in <paramref name="place"/>; setting 0 removes the place from the marking.</summary>
    public int this[Place place]
    {
        get => _tokens.GetValueOrDefault(place);
        set
        {
            ArgumentNullException.ThrowIfNull(place);
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            if (value == 0)
            {
                _tokens.Remove(place);
            }
            else
            {
                _tokens[place] = value;
            }
        }
    }

    /// <summary>Number of marked places.</summary>
    public int Count => _tokens.Count;

    /// <summary>Total number of tokens.</summary>
    public int TokenCount
    {
        get
        {
            var n = 0;
            foreach (var v in _tokens.Values)
            {
                n += v;
            }
            return n;
        }
    }

    /// <summary>Adds tokens (a collection-initialiser friendly form of the indexer).</summary>
    public void Add(Place place, int tokens = 1) => this[place] = this[place] + tokens;

    public bool Equals(Marking? other)
    {
        if (other is null || other._tokens.Count != _tokens.Count)
        {
            return false;
        }
        foreach (var (p, n) in _tokens)
        {
            if (other[p] != n)
            {
                return false;
            }
        }
        return true;
    }

    public override bool Equals(object? obj) => obj is Marking m && Equals(m);

    public override int GetHashCode()
    {
        var h = 0;
        foreach (var (p, n) in _tokens)
        {
            h ^= HashCode.Combine(p.Id, n);
        }
        return h;
    }

    public IEnumerator<KeyValuePair<Place, int>> GetEnumerator() => _tokens.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() =>
        "[" + string.Join(", ", _tokens.OrderBy(kv => kv.Key.Index).Select(kv => kv.Value == 1 ? kv.Key.Id : $"{kv.Key.Id}:{kv.Value}")) + "]";
}

/// <summary>A Petri net with the marking a run starts in and the marking it must end in.</summary>
public sealed record AcceptingPetriNet(PetriNet Net, Marking InitialMarking, Marking FinalMarking);
