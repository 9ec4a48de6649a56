using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Waymark.Core.Experiments;

/// <summary>
/// Holdout buckets (definitions.md, "Holdout and uplift"). A customer's bucket
/// for a rule is the first 8 bytes of SHA-256 over the UTF-8 bytes of
/// <c>app + U+001F + rule + U+001F + customer</c>, read as a big-endian unsigned
/// 64-bit integer, modulo 10 000. The unit separator keeps ("ab", "c") and
/// ("a", "bc") apart. This is a stored contract: a customer must stay in the
/// same bucket across versions and nodes, so the formula never changes (the
/// tests pin it with values computed by another SHA-256 implementation).
/// 2⁶⁴ mod 10 000 ≠ 0, so the buckets are not exactly uniform, but the bias is
/// below 10⁻¹⁵ per bucket.
/// </summary>
public static class Holdout
{
    /// <summary>Buckets 0 … 9 999.</summary>
    public const int Buckets = 10_000;

    /// <summary>The customer's bucket for an app's rule, 0 … 9 999.</summary>
    public static int Bucket(string app, string rule, string customer)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(customer);
        var text = string.Concat(app, "\u001f", rule, "\u001f", customer);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % Buckets);
    }

    /// <summary>
    /// Buckets below this are held out for a share h: ⌈10 000·h⌉, with 10 000·h
    /// first rounded to 6 decimals so that 0.07 is 700 buckets and not 701 by
    /// floating-point accident.
    /// </summary>
    public static int Threshold(double share)
    {
        if (!(share >= 0 && share <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(share), share, "A holdout share between 0 and 1.");
        }
        return (int)Math.Ceiling(Math.Round(share * Buckets, 6));
    }

    /// <summary>True when the customer is held out of the rule's action.</summary>
    public static bool IsHeldOut(string app, string rule, string customer, double share) =>
        Bucket(app, rule, customer) < Threshold(share);
}
