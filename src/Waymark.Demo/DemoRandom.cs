using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Waymark.Demo;

/// <summary>
/// The only source of chance in the demo: a seeded <see cref="Random"/>, so
/// that a seed and a day always give the same data. Ids are drawn from it too
/// (never Guid.NewGuid), formatted culture-invariantly.
/// </summary>
[SuppressMessage("Security", "CA5394:Do not use insecure randomness",
    Justification = "Demo data must be reproducible from a seed; nothing secret is derived from it.")]
internal sealed class DemoRandom(int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>An independent generator, so one session's draws do not shift another's.</summary>
    public DemoRandom Fork() => new(_random.Next());

    public double NextDouble() => _random.NextDouble();

    /// <summary>0 ≤ n &lt; max.</summary>
    public int Next(int max) => _random.Next(max);

    /// <summary>min ≤ n ≤ max.</summary>
    public int Between(int min, int max) => _random.Next(min, max + 1);

    public double Uniform(double min, double max) => min + ((max - min) * _random.NextDouble());

    public bool Chance(double probability) => _random.NextDouble() < probability;

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public double Normal()
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A log-normal draw with this median; sigma is the spread of its logarithm.</summary>
    public double LogNormal(double median, double sigma) => median * Math.Exp(sigma * Normal());

    /// <summary>A log-normal draw clamped to [min, max].</summary>
    public double LogNormal(double median, double sigma, double min, double max) =>
        Math.Clamp(LogNormal(median, sigma), min, max);

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>Picks by weight; the weights need not sum to one.</summary>
    public T Pick<T>(IReadOnlyList<(T Item, double Weight)> items)
    {
        var total = 0.0;
        foreach (var (_, w) in items)
        {
            total += w;
        }
        var x = _random.NextDouble() * total;
        foreach (var (item, w) in items)
        {
            x -= w;
            if (x < 0)
            {
                return item;
            }
        }
        return items[^1].Item;
    }

    /// <summary>Lower-case hex of the given length.</summary>
    public string Hex(int length)
    {
        Span<byte> bytes = stackalloc byte[(length + 1) / 2];
        _random.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes)[..length];
    }

    /// <summary>A UUID-shaped event id, as a browser's crypto.randomUUID would give.</summary>
    public string EventId()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString("D", CultureInfo.InvariantCulture);
    }
}
