using Stopwatch = System.Diagnostics.Stopwatch;
using System.Globalization;
using Microsoft.Extensions.Options;
using Waymark.Core.Mining;
using Waymark.Core.Mining.Discovery;

namespace Waymark.Server.Mining;

/// <summary>Conformance of a log against a net, whole and over time, as the API and the console show it.</summary>
public sealed class MiningAnalysis(IOptions<MiningOptions> options)
{
    public AlignmentOptions AlignmentOptions => new()
    {
        MaxStatesPerTrace = options.Value.MaxStatesPerTrace,
        TimeoutPerTrace = options.Value.AlignmentTimeoutPerTrace,
    };

    /// <summary>The Inductive Miner: IM at noise 0, IMf above.</summary>
    public static DiscoveryDto Discover(EventLog log, double noise)
    {
        var tree = InductiveMiner.Discover(log, new InductiveMinerOptions { NoiseThreshold = noise });
        var net = ProcessTreeToPetriNet.Convert(tree);
        return new DiscoveryDto(noise > 0 ? "IMf" : "IM", noise, tree.ToString(), NetDto.From(net), PnmlWriter.WriteToString(net));
    }

    public ConformanceDto Check(EventLog log, AcceptingPetriNet net, string model, int topVariants, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var variants = TraceVariants.Compute(log);
        var report = Conformance.Check(variants, net, AlignmentOptions, cancellationToken);
        var customers = CustomersOf(log);
        var deviations = Deviations(report.Alignments, customers);
        var top = variants.Variants.Take(topVariants).Select((v, i) =>
        {
            var a = report.Alignments.ByVariant[i];
            return new VariantFitDto(i + 1, v.Activities, v.Count, v.Share, a.Status.ToString(), a.Fitness, a.IsFit,
                [.. a.Moves.Where(m => !m.IsSilent).Select(m => new MoveDto(MoveName(m.Kind), m.Activity))]);
        }).ToList();
        var tr = report.TokenReplay;
        var al = report.Alignments;
        return new ConformanceDto(
            model, log.Traces.Count, customers.Distinct(StringComparer.Ordinal).Count(), variants.Variants.Count,
            new TokenReplayDto(tr.LogFitness, tr.AverageTraceFitness, tr.PercentageOfFittingTraces, tr.FittingCases, tr.Produced, tr.Consumed, tr.Missing, tr.Remaining),
            new AlignmentDto(al.LogFitness, al.AverageTraceFitness, al.PercentageOfFittingTraces, al.FittingCases, al.AlignedCases, al.UnalignedCases,
                al.SynchronousMoves, al.LogMoves, al.VisibleModelMoves, al.SilentModelMoves),
            new PrecisionDto(report.TokenBasedPrecision.Value, report.AlignmentBasedPrecision.Value),
            deviations, top, watch.Elapsed.TotalSeconds);
    }

    /// <summary>Fitness and deviations per day (of the case's first event, UTC) or per app version (of its first session).</summary>
    public ConformanceSeriesDto OverTime(EventLog log, AcceptingPetriNet net, string model, bool byVersion, CancellationToken cancellationToken)
    {
        var groups = new SortedDictionary<string, EventLog>(StringComparer.Ordinal);
        foreach (var t in log.Traces)
        {
            var key = byVersion
                ? t.Attributes.FirstOrDefault(a => a.Key == JourneyLogBuilder.VersionKey)?.ValueText ?? "(none)"
                : t.Events.FirstOrDefault(e => e.Timestamp is not null)?.Timestamp is { } at
                    ? at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                    : "(no time)";
            if (!groups.TryGetValue(key, out var part))
            {
                groups[key] = part = new EventLog();
            }
            part.Traces.Add(t);
        }
        var points = new List<ConformancePointDto>();
        foreach (var (key, part) in groups)
        {
            var variants = TraceVariants.Compute(part);
            var alignments = Alignments.Apply(variants, net, AlignmentOptions, cancellationToken);
            var replay = TokenReplay.Apply(variants, net);
            points.Add(new ConformancePointDto(key, part.Traces.Count, alignments.LogFitness, alignments.PercentageOfFittingTraces / 100,
                replay.LogFitness, [.. Deviations(alignments, CustomersOf(part)).Take(10)]));
        }
        return new ConformanceSeriesDto(model, byVersion ? "version" : "day", points);
    }

    private static List<DeviationDto> Deviations(AlignmentResult alignments, string[] customers)
    {
        var total = Math.Max(1, customers.Distinct(StringComparer.Ordinal).Count());
        return [.. DeviationRanking.Rank(alignments, i => customers[i])
            .Select(d => new DeviationDto(d.Kind.ToString().ToLowerInvariant(), d.Activity, d.Customers, d.Cases, d.Occurrences, (double)d.Customers / total))];
    }

    private static string[] CustomersOf(EventLog log) =>
        [.. log.Traces.Select((t, i) => t.Attributes.FirstOrDefault(a => a.Key == JourneyLogBuilder.CustomerKey)?.ValueText
            ?? (t.CaseId.Length > 0 ? t.CaseId : "#" + i.ToString(CultureInfo.InvariantCulture)))];

    private static string MoveName(MoveKind k) => k switch
    {
        MoveKind.Synchronous => "sync",
        MoveKind.Log => "unexpected",
        _ => "skipped",
    };
}
