using Waymark.Core.Experiments;

namespace Waymark.Core.Tests.Experiments;

public sealed class HoldoutTests
{
    [Theory]
    // Pinned with Python's hashlib, not with this code:
    // int.from_bytes(sha256(f"{app}\x1f{rule}\x1f{customer}".encode()).digest()[:8], "big") % 10000
    // (first 8 bytes: f82ead89fbeb0f18, fc2c21e5389a684a, b5071d50ae0fe8b1, 023b8059a924f728).
    // If this test fails, customers would change buckets: do not update the numbers.
    [InlineData("shop", "cart-rescue", "cust-42", 9144)]
    [InlineData("shop", "cart-rescue", "cust-43", 9466)]
    [InlineData("kiosk", "late-checkin", "Zoë", 8385)]
    [InlineData("a", "b", "", 1320)]
    public void Bucket_PinnedValues_NeverChange(string app, string rule, string customer, int bucket) =>
        Assert.Equal(bucket, Holdout.Bucket(app, rule, customer));

    [Fact]
    public void Bucket_SeparatorKeepsFieldsApart() =>
        Assert.NotEqual(Holdout.Bucket("ab", "c", "x"), Holdout.Bucket("a", "bc", "x"));

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.1, 1000)]
    [InlineData(0.07, 700)]
    [InlineData(0.12345, 1235)]   // below 1234.5: buckets 0…1234
    [InlineData(1.0, 10000)]
    public void Threshold_BucketsBelowTenThousandTimesShare(double share, int threshold) =>
        Assert.Equal(threshold, Holdout.Threshold(share));

    [Fact]
    public void IsHeldOut_TwentyThousandCustomers_ShareCloseToTheHoldout()
    {
        // 10 % of 20 000: binomial sd √(20000·0.1·0.9) = 42; allow 4 sd.
        var held = Enumerable.Range(0, 20_000).Count(i => Holdout.IsHeldOut("shop", "r1", "customer-" + i, 0.10));
        Assert.InRange(held, 2000 - 170, 2000 + 170);
    }

    [Fact]
    public void IsHeldOut_DifferentRules_IndependentBuckets()
    {
        // Held out of r1 and of r2: about 10 % · 10 % = 1 % of 20 000 = 200 if independent (sd 14).
        var both = Enumerable.Range(0, 20_000).Count(i => Holdout.IsHeldOut("shop", "r1", "c" + i, 0.1) && Holdout.IsHeldOut("shop", "r2", "c" + i, 0.1));
        Assert.InRange(both, 200 - 60, 200 + 60);
    }
}
