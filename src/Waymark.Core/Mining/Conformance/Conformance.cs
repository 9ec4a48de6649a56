namespace Waymark.Core.Mining;

/// <summary>
/// The whole conformance check of a log against a net, as PM4Py reports it:
/// token-based replay fitness, alignment fitness with the per-case moves and
/// ranked deviations, and both kinds of precision. The variants are computed
/// once and shared.
/// </summary>
public static class Conformance
{
    public static ConformanceReport Check(EventLog log, AcceptingPetriNet net, EventClassifier? classifier = null, AlignmentOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        return Check(TraceVariants.Compute(log, classifier), net, options, cancellationToken);
    }

    public static ConformanceReport Check(TraceVariants variants, AcceptingPetriNet net, AlignmentOptions? options = null, CancellationToken cancellationToken = default) =>
        new(
            TokenReplay.Apply(variants, net),
            Alignments.Apply(variants, net, options, cancellationToken),
            Precision.TokenBased(variants, net),
            Precision.AlignmentBased(variants, net, options, cancellationToken));
}

/// <summary>The figures of <see cref="Conformance.Check(EventLog, AcceptingPetriNet, EventClassifier?, AlignmentOptions?, CancellationToken)"/>.</summary>
public sealed record ConformanceReport(
    TokenReplayResult TokenReplay,
    AlignmentResult Alignments,
    PrecisionResult TokenBasedPrecision,
    PrecisionResult AlignmentBasedPrecision);
