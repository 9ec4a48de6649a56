using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Waymark.Core.Journeys;

/// <summary>
/// The ids of the events a journey applied, as 64-bit hashes in a sorted
/// array, to recognise a retried event: 8 bytes an id, so a live visitor with
/// a few dozen events holds a few hundred bytes here. When it holds
/// <see cref="Capacity"/> ids it forgets them all and remembers when
/// (<see cref="ForgottenUpTo"/>): retries of what it forgot are looked up in the store.
/// <para>
/// 64 bits: two different ids of one visitor collide with a chance of about
/// n² / 2⁶⁵, for n = 8,192 about 2·10⁻¹²; a collision would take a new event for a retry.
/// </para>
/// </summary>
public sealed class EventIdSet
{
    /// <summary>How many ids are kept at the most.</summary>
    public const int Capacity = 8192;

    private ulong[] _ids = [];
    private int _count;
    private DateTimeOffset _lastReceived = DateTimeOffset.MinValue;

    /// <summary>How many ids are remembered now.</summary>
    public int Count => _count;

    /// <summary>
    /// An event received up to this time may be stored though this set does not
    /// know it (it was forgotten); MinValue while nothing was forgotten.
    /// </summary>
    public DateTimeOffset ForgottenUpTo { get; private set; } = DateTimeOffset.MinValue;

    public static ulong Hash(string eventId) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(eventId.AsSpan()));

    public bool Contains(string eventId) => Contains(Hash(eventId));

    public bool Contains(ulong hash) => _ids.AsSpan(0, _count).BinarySearch(hash) >= 0;

    /// <summary>Remembers an id received at <paramref name="received"/>; false when it was known.</summary>
    public bool Add(string eventId, DateTimeOffset received) => Add(Hash(eventId), received);

    public bool Add(ulong hash, DateTimeOffset received)
    {
        var at = _ids.AsSpan(0, _count).BinarySearch(hash);
        if (at >= 0)
        {
            return false;
        }
        if (_count == Capacity)
        {
            ForgottenUpTo = _lastReceived;
            _count = 0;
            at = -1;
        }
        if (received > _lastReceived)
        {
            _lastReceived = received;
        }
        at = ~at;
        if (_count == _ids.Length)
        {
            var grown = new ulong[Math.Min(Capacity, Math.Max(8, _ids.Length + _ids.Length / 2))];
            _ids.AsSpan(0, _count).CopyTo(grown);
            _ids = grown;
        }
        _ids.AsSpan(at, _count - at).CopyTo(_ids.AsSpan(at + 1));
        _ids[at] = hash;
        _count++;
        return true;
    }
}
