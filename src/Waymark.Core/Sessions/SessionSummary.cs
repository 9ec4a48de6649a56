namespace Waymark.Core.Sessions;

/// <summary>
/// What one session amounts to. Derived from the session's events, and
/// rebuilt from them with <see cref="SessionAggregator"/>.
/// </summary>
[GenerateSerializer]
public sealed class SessionSummary
{
    [Id(0)] public string App { get; set; } = "";
    [Id(1)] public string SessionId { get; set; } = "";
    [Id(2)] public string Visitor { get; set; } = "";
    [Id(3)] public string Channel { get; set; } = "";
    [Id(4)] public string? ClientSession { get; set; }
    [Id(5)] public string? UserTag { get; set; }
    [Id(6)] public DateTimeOffset Start { get; set; }
    [Id(7)] public DateTimeOffset End { get; set; }
    [Id(8)] public DateTimeOffset FirstReceived { get; set; }
    [Id(9)] public DateTimeOffset LastReceived { get; set; }
    [Id(10)] public int Events { get; set; }
    [Id(11)] public int Pages { get; set; }
    [Id(12)] public int Actions { get; set; }
    [Id(13)] public int Errors { get; set; }
    [Id(14)] public int Crashes { get; set; }
    [Id(15)] public int Requests { get; set; }
    [Id(16)] public int FailedRequests { get; set; }
    [Id(17)] public int RageClicks { get; set; }
    [Id(18)] public bool Converted { get; set; }
    [Id(19)] public double ConversionValue { get; set; }
    [Id(20)] public string? EntryPage { get; set; }
    [Id(21)] public string? ExitPage { get; set; }
    [Id(22)] public int SatisfiedActions { get; set; }
    [Id(23)] public int ToleratingActions { get; set; }
    [Id(24)] public int FrustratedActions { get; set; }
    [Id(25)] public int FrustratingElements { get; set; }
    [Id(26)] public bool LastActionFrustrating { get; set; }
    [Id(27)] public bool Ended { get; set; }
    [Id(28)] public string? EndReason { get; set; }
    [Id(29)] public string DeviceClass { get; set; } = "unknown";
    [Id(30)] public string? Browser { get; set; }
    [Id(31)] public string? Os { get; set; }
    [Id(32)] public string? Country { get; set; }
    [Id(33)] public string? City { get; set; }
    [Id(34)] public string? AppVersion { get; set; }
    [Id(35)] public string? Locale { get; set; }
    [Id(36)] public string? Touchpoint { get; set; }
    [Id(37)] public int ActionsAfterLastView { get; set; }
    /// <summary>The consent level of the session's latest batch: "full", "analytics", "none"; null when not said.</summary>
    [Id(38)] public string? Consent { get; set; }

    /// <summary>Number of user actions (views and actions): what the 200-action rule counts.</summary>
    public int UserActions => Pages + Actions;

    public TimeSpan Duration => End - Start;

    /// <summary>A single page view and no user action after it (definitions.md, "Bounce").</summary>
    public bool Bounce => Pages == 1 && ActionsAfterLastView == 0;

    public Experience Experience =>
        ExperienceScore.Classify(SatisfiedActions, ToleratingActions, FrustratedActions, FrustratingElements, LastActionFrustrating, Crashes);

    public double? ApdexScore => Sessions.Apdex.Score(SatisfiedActions, ToleratingActions, FrustratedActions);

    public SessionSummary Clone() => (SessionSummary)MemberwiseClone();
}
