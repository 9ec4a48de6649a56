namespace Waymark.Core.Sessions;

/// <summary>
/// When a session ends (docs: definitions.md, "Sessions"): the Dynatrace
/// classic rules, 30 minutes idle, 6 hours in all, 200 user actions, or the
/// app ending it.
/// </summary>
public sealed class SessionRules
{
    public TimeSpan Inactivity { get; set; } = TimeSpan.FromMinutes(30);
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromHours(6);
    public int MaxActions { get; set; } = 200;

    /// <summary>
    /// A session whose events arrive late (a client that was offline, the demo
    /// loading a past day) is not ended by its timer before this long after its
    /// last batch arrived, so the batches that follow still join it. Live
    /// traffic is unaffected: its inactivity deadline lies far beyond this.
    /// </summary>
    public TimeSpan LateGrace { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Apdex thresholds of one app (definitions.md, "Apdex").</summary>
public sealed class ApdexThresholds
{
    /// <summary>T for page and screen loads.</summary>
    public double ViewMs { get; set; } = 3000;
    /// <summary>T for in-page actions.</summary>
    public double ActionMs { get; set; } = 1000;
}

/// <summary>Apdex class of one user action.</summary>
public enum ApdexClass : byte
{
    Satisfied = 0,
    Tolerating = 1,
    Frustrated = 2,
}

/// <summary>The behavioural satisfaction class of a session.</summary>
public enum Experience : byte
{
    Satisfied = 0,
    Tolerating = 1,
    Frustrated = 2,
}

/// <summary>Apdex as definitions.md states it.</summary>
public static class Apdex
{
    /// <summary>satisfied: t ≤ T; tolerating: T &lt; t ≤ 4T; frustrated: t &gt; 4T or an error.</summary>
    public static ApdexClass Classify(double? durationMs, double thresholdMs, bool failed)
    {
        if (failed)
        {
            return ApdexClass.Frustrated;
        }
        if (durationMs is not { } t || t <= thresholdMs)
        {
            return ApdexClass.Satisfied;
        }
        return t <= 4 * thresholdMs ? ApdexClass.Tolerating : ApdexClass.Frustrated;
    }

    /// <summary>Apdex_T = (satisfied + tolerating / 2) / total; null when nothing was rated.</summary>
    public static double? Score(long satisfied, long tolerating, long frustrated)
    {
        var total = satisfied + tolerating + frustrated;
        return total == 0 ? null : (satisfied + tolerating / 2.0) / total;
    }

    /// <summary>≥ 0.94 excellent, ≥ 0.85 good, ≥ 0.70 fair, ≥ 0.50 poor, else unacceptable.</summary>
    public static string Band(double score) => score switch
    {
        >= 0.94 => "excellent",
        >= 0.85 => "good",
        >= 0.70 => "fair",
        >= 0.50 => "poor",
        _ => "unacceptable",
    };
}

/// <summary>Session experience, weighted like Dynatrace's user experience score (definitions.md).</summary>
public static class ExperienceScore
{
    /// <summary>Weight of one user action.</summary>
    public const int ActionWeight = 3;
    /// <summary>Weight of one frustrating element (error, rage click, crash).</summary>
    public const int ElementWeight = 1;

    /// <summary>
    /// frustrated if F/total ≥ 30 %, or the last action was frustrating, or the
    /// session contains a crash (a fatal error: the app or page died);
    /// satisfied if S/total ≥ 50 % and no frustrating element; tolerating otherwise.
    /// </summary>
    public static Experience Classify(int satisfiedActions, int toleratingActions, int frustratedActions, int frustratingElements, bool lastActionFrustrating, int crashes = 0)
    {
        if (crashes > 0)
        {
            return Experience.Frustrated;
        }
        var s = ActionWeight * satisfiedActions;
        var t = ActionWeight * toleratingActions;
        var f = ActionWeight * frustratedActions + ElementWeight * frustratingElements;
        var total = s + t + f;
        if (lastActionFrustrating || (total > 0 && f * 10 >= total * 3))
        {
            return Experience.Frustrated;
        }
        if (frustratingElements == 0 && (total == 0 || s * 2 >= total))
        {
            return Experience.Satisfied;
        }
        return Experience.Tolerating;
    }

    public static string Name(Experience e) => e switch
    {
        Experience.Satisfied => "satisfied",
        Experience.Tolerating => "tolerating",
        _ => "frustrated",
    };

    public static bool TryParse(string? s, out Experience e)
    {
        switch (s?.ToLowerInvariant())
        {
            case "satisfied": e = Experience.Satisfied; return true;
            case "tolerating": e = Experience.Tolerating; return true;
            case "frustrated": e = Experience.Frustrated; return true;
            default: e = default; return false;
        }
    }
}
