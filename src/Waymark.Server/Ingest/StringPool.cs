using System.Collections.Concurrent;

namespace Waymark.Server.Ingest;

/// <summary>
/// One copy of the strings that repeat from batch to batch (app ids, browsers,
/// countries, cities, app versions, page names): a live journey keeps a
/// session's summary, and without this each visitor would hold its own copies
/// of "Chrome" and "Amsterdam" as parsed from its beacons. Bounded: past
/// <see cref="Capacity"/> distinct values a string is kept as it came.
/// </summary>
public sealed class StringPool
{
    /// <summary>How many distinct strings are pooled at the most.</summary>
    public const int Capacity = 50_000;

    /// <summary>Longer strings are not pooled (a URL is rarely the same twice).</summary>
    public const int MaxLength = 128;

    private readonly ConcurrentDictionary<string, string> _pool = new(StringComparer.Ordinal);

    public string? Get(string? s)
    {
        if (s is null || s.Length > MaxLength)
        {
            return s;
        }
        if (_pool.TryGetValue(s, out var pooled))
        {
            return pooled;
        }
        return _pool.Count < Capacity ? _pool.GetOrAdd(s, s) : s;
    }
}
