using Waymark.Core.Mining;

namespace Waymark.Server.Mining;

public sealed record DurationDto(double MeanSeconds, double MedianSeconds, double MinSeconds, double MaxSeconds)
{
    public static DurationDto? From(DurationStats? d) => d is null ? null : new(d.MeanSeconds, d.MedianSeconds, d.MinSeconds, d.MaxSeconds);
}

public sealed record MapEdgeDto(string From, string To, int Frequency, DurationDto? Duration);

public sealed record MapDto(
    int Cases, int ActivitiesInLog, int EdgesInLog, double ActivityShare, double PathShare,
    IReadOnlyList<ProcessMapActivity> Activities, IReadOnlyList<MapEdgeDto> Edges,
    IReadOnlyDictionary<string, int> StartActivities, IReadOnlyDictionary<string, int> EndActivities)
{
    public static MapDto From(ProcessMap m, double activities, double paths) => new(
        m.Cases, m.ActivitiesInLog, m.EdgesInLog, activities, paths, m.Activities,
        [.. m.Edges.Select(e => new MapEdgeDto(e.From, e.To, e.Frequency, DurationDto.From(e.Durations)))],
        m.StartActivities, m.EndActivities);
}

public sealed record VariantDto(int Rank, IReadOnlyList<string> Activities, int Count, double Share);

public sealed record VariantsDto(int Cases, int Variants, IReadOnlyList<VariantDto> Top);

public sealed record NetNodeDto(string Id, string? Label, int Initial, int Final);

public sealed record NetArcDto(string Source, string Target, int Weight);

public sealed record NetDto(string Name, IReadOnlyList<NetNodeDto> Places, IReadOnlyList<NetNodeDto> Transitions, IReadOnlyList<NetArcDto> Arcs)
{
    public static NetDto From(AcceptingPetriNet n) => new(
        n.Net.Name,
        [.. n.Net.Places.Select(p => new NetNodeDto(p.Id, p.Name, n.InitialMarking[p], n.FinalMarking[p]))],
        [.. n.Net.Transitions.Select(t => new NetNodeDto(t.Id, t.Label, 0, 0))],
        [.. n.Net.Arcs.Select(a => new NetArcDto(a.Source.Id, a.Target.Id, a.Weight))]);
}

public sealed record DiscoveryDto(string Variant, double NoiseThreshold, string ProcessTree, NetDto Net, string Pnml);

public sealed record TokenReplayDto(double Fitness, double AverageTraceFitness, double PercentageOfFittingTraces, int FittingCases, long Produced, long Consumed, long Missing, long Remaining);

public sealed record AlignmentDto(
    double LogFitness, double AverageTraceFitness, double PercentageOfFittingTraces, int FittingCases, int AlignedCases, int UnalignedCases,
    long SynchronousMoves, long LogMoves, long VisibleModelMoves, long SilentModelMoves);

public sealed record PrecisionDto(double TokenBased, double AlignmentBased);

public sealed record DeviationDto(string Kind, string Activity, int Customers, int Cases, long Occurrences, double CustomerShare);

public sealed record MoveDto(string Kind, string? Activity);

public sealed record VariantFitDto(int Rank, IReadOnlyList<string> Activities, int Count, double Share, string Status, double Fitness, bool Fits, IReadOnlyList<MoveDto> Moves);

public sealed record ConformanceDto(
    string Model, int Cases, int Customers, int Variants, TokenReplayDto TokenReplay, AlignmentDto Alignments, PrecisionDto Precision,
    IReadOnlyList<DeviationDto> Deviations, IReadOnlyList<VariantFitDto> TopVariants, double Seconds);

public sealed record ConformancePointDto(string Key, int Cases, double LogFitness, double FittingShare, double TokenReplayFitness, IReadOnlyList<DeviationDto> Deviations);

public sealed record ConformanceSeriesDto(string Model, string By, IReadOnlyList<ConformancePointDto> Points);

public sealed record UploadedLogDto(string Id, string Name, DateTimeOffset Uploaded, int Cases, int Events, int Activities)
{
    public static UploadedLogDto From(UploadedLog u) =>
        new(u.Id, u.Name, u.Uploaded, u.Log.Traces.Count, u.Log.EventCount, u.Log.Traces.SelectMany(t => t.Events).Select(e => e.Activity).Distinct().Count());
}
