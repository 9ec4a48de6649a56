using Waymark.Core.Mining;

namespace Waymark.Core.Tests.Mining;

public sealed class TraceVariantsTests
{
    [Theory]
    [MemberData(nameof(ReferenceData.LogNames), MemberType = typeof(ReferenceData))]
    public void Compute_ReferenceLog_HasPm4pyVariantCount(string log)
    {
        var variants = TraceVariants.Compute(ReferenceData.ReadLog(log));

        Assert.Equal(ReferenceData.Log(log).GetProperty("variants").GetInt32(), variants.Variants.Count);
        Assert.Equal(ReferenceData.Log(log).GetProperty("cases").GetInt32(), variants.Variants.Sum(v => v.Count));
    }

    [Fact]
    public void Compute_HandBuiltLog_GroupsExactSequencesMostFrequentFirst()
    {
        var log = LogBuilder.Of("abc", "ab", "abc", "ba", "ab", "abc");

        var variants = TraceVariants.Compute(log);

        Assert.Equal(3, variants.Variants.Count);
        Assert.Equal(["a", "b", "c"], variants.Variants[0].Activities);
        Assert.Equal(3, variants.Variants[0].Count);
        Assert.Equal(0.5, variants.Variants[0].Share);
        Assert.Equal([1, 4], variants.Variants[1].TraceIndices);
        Assert.Equal(["b", "a"], variants.Variants[2].Activities);
        Assert.Equal(2, variants.VariantOfTrace[3]);
    }

    [Fact]
    public void Compute_LifecycleClassifier_SeparatesStartAndComplete()
    {
        var log = new EventLog();
        var t = new LogTrace("1");
        t.Events.Add(new LogEvent("a") { Lifecycle = "start" });
        t.Events.Add(new LogEvent("a") { Lifecycle = "complete" });
        log.Traces.Add(t);

        var variants = TraceVariants.Compute(log, new EventClassifier("MXML", ["concept:name", "lifecycle:transition"]));

        Assert.Equal(["a+start", "a+complete"], variants.Variants.Single().Activities);
    }
}
