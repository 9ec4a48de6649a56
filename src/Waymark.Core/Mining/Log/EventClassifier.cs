namespace Waymark.Core.Mining;

/// <summary>
/// What makes two events the same "activity" for mining: by default the
/// activity name (<c>concept:name</c>); an XES classifier may combine several
/// keys (e.g. <c>concept:name lifecycle:transition</c>), whose values are then
/// joined with "+" as PM4Py and ProM do.
/// </summary>
public sealed class EventClassifier : IEquatable<EventClassifier>
{
    private readonly string[] _keys;

    public EventClassifier(string name, IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(keys);
        Name = name;
        _keys = [.. keys];
        if (_keys.Length == 0)
        {
            throw new ArgumentException("A classifier needs at least one key.", nameof(keys));
        }
    }

    /// <summary>The default: the activity name.</summary>
    public static EventClassifier Activity { get; } = new("Activity", [XesKeys.Activity]);

    public string Name { get; }

    public IReadOnlyList<string> Keys => _keys;

    /// <summary>The event's class under this classifier.</summary>
    public string Classify(LogEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (_keys.Length == 1)
        {
            return Value(e, _keys[0]);
        }
        var parts = new string[_keys.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = Value(e, _keys[i]);
        }
        return string.Join('+', parts);
    }

    public bool Equals(EventClassifier? other) =>
        other is not null && other.Name == Name && other._keys.AsSpan().SequenceEqual(_keys);

    public override bool Equals(object? obj) => obj is EventClassifier c && Equals(c);

    public override int GetHashCode() => HashCode.Combine(Name, _keys.Length);

    public override string ToString() => $"{Name} ({string.Join(' ', _keys)})";

    private static string Value(LogEvent e, string key) => key switch
    {
        XesKeys.Activity => e.Activity,
        XesKeys.Lifecycle => e.Lifecycle ?? "",
        XesKeys.Resource => e.Resource ?? "",
        _ => e.Find(key)?.ValueText ?? "",
    };
}
