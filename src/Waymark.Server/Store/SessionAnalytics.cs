namespace Waymark.Server.Store;

/// <summary>What the overview shows of one app (or all) and one channel (or all) over a time range.</summary>
public sealed record OverviewQuery(string? App, string? Channel, DateTimeOffset From, DateTimeOffset To, bool Daily);

/// <summary>The experience analytics the console and the API show, answered by the store.</summary>
public interface ISessionAnalytics
{
    /// <summary>Active customers and sessions now, and the figures of the range: overall, per channel, per hour or day, top errors, third parties, web vitals.</summary>
    Task<OverviewData> OverviewAsync(OverviewQuery query, CancellationToken cancellationToken);
}

/// <summary>Sessions and their experience over a group (all, one channel, one hour).</summary>
public sealed record SessionFigures(
    long Sessions, long Customers, long Converted, double ConversionValue,
    long Satisfied, long Tolerating, long Frustrated, long SatisfiedActions, long ToleratingActions, long FrustratedActions, long WithErrors)
{
    public double ConversionRate => Sessions == 0 ? 0 : (double)Converted / Sessions;
    public double SatisfiedShare => Sessions == 0 ? 0 : (double)Satisfied / Sessions;
    public double ToleratingShare => Sessions == 0 ? 0 : (double)Tolerating / Sessions;
    public double FrustratedShare => Sessions == 0 ? 0 : (double)Frustrated / Sessions;

    /// <summary>Apdex over every rated user action of the sessions (definitions.md).</summary>
    public double? Apdex => Core.Sessions.Apdex.Score(SatisfiedActions, ToleratingActions, FrustratedActions);
}

public sealed record ChannelFigures(string Channel, SessionFigures Figures);

public sealed record BucketFigures(DateTimeOffset Start, SessionFigures Figures);

/// <summary>One problem (errors with the same fingerprint) and whom it hit.</summary>
public sealed record ErrorGroup(string Fingerprint, string? Message, string? Source, long Customers, long Sessions, long Occurrences, DateTimeOffset LastSeen, string ExampleApp, string ExampleSession);

/// <summary>Requests to one third-party host.</summary>
public sealed record ThirdPartyHost(string Host, long Requests, double? P50, double? P75, double? P95, long Failed)
{
    public double FailureRate => Requests == 0 ? 0 : (double)Failed / Requests;
}

/// <summary>The 75th percentile of one web vital on one kind of device.</summary>
public sealed record VitalFigure(string Name, string Device, double P75, long Samples);

public sealed record OverviewData(
    long ActiveCustomers, long ActiveSessions, SessionFigures All,
    IReadOnlyList<ChannelFigures> Channels, IReadOnlyList<BucketFigures> Buckets,
    IReadOnlyList<ErrorGroup> TopErrors, IReadOnlyList<ThirdPartyHost> ThirdParties, IReadOnlyList<VitalFigure> Vitals);
