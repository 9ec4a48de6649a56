using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Waymark.Core.Rules;

/// <summary>
/// The stable holdout bucket of a customer for a rule (definitions.md,
/// "Holdout and uplift"): 0…9999 from the first 8 bytes of SHA-256 over the
/// UTF-8 of app, rule and customer joined by U+001F, read big-endian, modulo
/// 10000. A share h holds out the buckets below 10000·h.
/// <para>
/// Written here because Waymark.Core.Experiments (branch analytics) was not
/// there yet; it follows the same documented hash, so the two agree and one
/// of them can go.
/// </para>
/// </summary>
public static class HoldoutBucket
{
    /// <summary>The number of buckets.</summary>
    public const int Buckets = 10_000;

    /// <summary>The bucket 0…9999 of (app, rule, customer).</summary>
    public static int Of(string app, string rule, string customer)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(customer);
        var length = Encoding.UTF8.GetByteCount(app) + Encoding.UTF8.GetByteCount(rule) + Encoding.UTF8.GetByteCount(customer) + 2;
        var rented = length > 512 ? ArrayPool<byte>.Shared.Rent(length) : null;
        var bytes = rented is null ? stackalloc byte[length] : rented.AsSpan(0, length);
        var n = Encoding.UTF8.GetBytes(app, bytes);
        bytes[n++] = 0x1F;
        n += Encoding.UTF8.GetBytes(rule, bytes[n..]);
        bytes[n++] = 0x1F;
        Encoding.UTF8.GetBytes(customer, bytes[n..]);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, hash);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % Buckets);
    }

    /// <summary>Whether a bucket is held out under a share 0…1.</summary>
    public static bool IsHeldOut(int bucket, double share) => bucket < Threshold(share);

    /// <summary>
    /// Buckets below this are held out: ⌈10000·h⌉, with 10000·h first rounded
    /// to 6 decimals so that 0.07 is 700 buckets, not 701 by floating-point
    /// accident (the same rule as Experiments.Holdout on branch analytics).
    /// </summary>
    public static int Threshold(double share) => (int)Math.Ceiling(Math.Round(Math.Clamp(share, 0, 1) * Buckets, 6));
}
