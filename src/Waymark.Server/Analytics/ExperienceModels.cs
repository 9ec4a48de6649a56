using Waymark.Core.Analytics;

namespace Waymark.Server.Analytics;

/// <summary>What an analysis covers: one app, a time range, a segment (with its name when it was a saved one).</summary>
public sealed record ExperienceScope(string App, DateTimeOffset From, DateTimeOffset To, Segment Segment, string? SegmentName = null);

/// <summary>Sessions of a group by experience class, with their Apdex and conversion.</summary>
public sealed record ExperienceRow(string Group, string Key, long Sessions, long Satisfied, long Tolerating, long Frustrated, long Converted, double? Apdex)
{
    public double SatisfiedShare => Sessions == 0 ? 0 : (double)Satisfied / Sessions;
    public double ToleratingShare => Sessions == 0 ? 0 : (double)Tolerating / Sessions;
    public double FrustratedShare => Sessions == 0 ? 0 : (double)Frustrated / Sessions;
    public double ConversionRate => Sessions == 0 ? 0 : (double)Converted / Sessions;
}

/// <summary>One hour's sessions by experience class.</summary>
public sealed record HourRow(DateTimeOffset Hour, long Sessions, long Satisfied, long Tolerating, long Frustrated);

/// <summary>Apdex of rated user actions of one kind of thing: an action, a page, an app or a channel.</summary>
public sealed record ApdexRow(string Kind, string Key, long Satisfied, long Tolerating, long Frustrated)
{
    public double? Score => Core.Sessions.Apdex.Score(Satisfied, Tolerating, Frustrated);
    public string? Band => Score is { } s ? Core.Sessions.Apdex.Band(s) : null;
}

/// <summary>Satisfaction: overall, per day (with the days that moved), per hour, per group, Apdex per action, page, app and channel.</summary>
public sealed record SatisfactionReport(ExperienceRow All, IReadOnlyList<DailyShare> Days, IReadOnlyList<HourRow> Hours,
    IReadOnlyList<ExperienceRow> Groups, IReadOnlyList<ApdexRow> Apdex);

/// <summary>A web vital's p75 and rating shares on one kind of device.</summary>
public sealed record VitalRow(string Metric, string Device, int Count, double P75, string Rating, double Good, double NeedsImprovement, double Poor);

/// <summary>One page or screen: views, load times, vitals, time on page, bounce, exits, errors.</summary>
public sealed record PageRow(string Page, int Views, double? LoadP50, double? LoadP75, double? LoadP95, int Entrances, int Bounces, double BounceRate,
    int Exits, double ExitRate, double MeanSecondsOnPage, double MedianSecondsOnPage, int Errors, double ErrorsPerView, IReadOnlyList<VitalRow> Vitals);

/// <summary>What speed costs: conversion by landing-page load time and the estimated effect of 100 ms, beside the rule of thumb.</summary>
/// <param name="ConversionRate">Conversion of the sessions with a measured landing load.</param>
/// <param name="RuleOfThumbPoints">"100 ms = 1 % of conversions", in points at this conversion rate (negative).</param>
public sealed record SpeedReport(IReadOnlyList<SpeedBucketRow> Buckets, SpeedEffect? Effect, string? Reason, double ConversionRate, double RuleOfThumbPoints);

/// <summary>Sessions and conversions with a landing load in [FromMs, ToMs); Rate is null for an empty bucket (JSON has no NaN).</summary>
public sealed record SpeedBucketRow(double FromMs, double? ToMs, int Sessions, int Conversions, double? Rate)
{
    public static SpeedBucketRow Of(SpeedBucket b) => new(b.FromMs, b.ToMs, b.Sessions, b.Conversions, b.Sessions == 0 ? null : b.Rate);
}

public sealed record Count(string Key, long N);

/// <summary>One error group: who it hit, where, and what it cost; Message is the first one seen as it was, Normalized what the group shares.</summary>
public sealed record ErrorRow(string Fingerprint, string Message, string Normalized, string? TopFrame, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, long Occurrences,
    int Sessions, int Customers, IReadOnlyList<Count> Versions, IReadOnlyList<Count> Browsers,
    double ConversionWith, double ExpectedConversion, double LostConversions, double LostLower, double LostUpper, bool Noise,
    IReadOnlyList<string> ExampleSessions);

/// <summary>Calls and failures of one day.</summary>
public sealed record DayCalls(DateOnly Day, long Calls, long Failed);

/// <summary>One endpoint (host and path) of a third party.</summary>
public sealed record EndpointRow(string Endpoint, long Calls, long Failed, double? P50, double? P95, double? P99);

/// <summary>
/// One third-party host: its calls, failures and latency, the sessions that
/// called it and the ones it hurt at first contact (a failed first call or one
/// slower than the slow threshold), their conversion against the sessions it
/// served well, and what it cost.
/// </summary>
public sealed record ThirdPartyRow(string Host, long Calls, long Failed, double FailureRate, double? P50, double? P95, double? P99,
    int Sessions, int HurtSessions, double ConversionHurt, double ConversionOthers, double LostConversions, double LostLower,
    IReadOnlyList<EndpointRow> Endpoints, IReadOnlyList<DayCalls> Trend);

/// <summary>Everything the experience pages show, from one pass over the sessions.</summary>
public sealed record ExperienceReport(ExperienceScope Scope, DateTimeOffset Computed, SatisfactionReport Satisfaction, IReadOnlyList<PageRow> Pages,
    SpeedReport Speed, IReadOnlyList<ErrorRow> Errors, IReadOnlyList<ThirdPartyRow> ThirdParties);
