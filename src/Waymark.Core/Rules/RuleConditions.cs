using Waymark.Core.Sessions;

namespace Waymark.Core.Rules;

/// <summary>What a condition test is given: the session at the match, and what the caller knows.</summary>
internal readonly record struct ConditionInput(
    string App,
    SessionSummary Session,
    string? Stage,
    ConsentLevel Consent,
    string Customer,
    bool Identified,
    bool? Returning,
    ICustomerFacts? Facts);

/// <summary>
/// The <c>when</c> of a rule: segment, customer, consent and stage tests,
/// all ANDed, evaluated on the session when the pattern completes.
/// </summary>
internal sealed class RuleConditions
{
    public static readonly RuleConditions Always = new();

    public ValueTest? Channel { get; init; }
    public ValueTest? DeviceClass { get; init; }
    public ValueTest? Country { get; init; }
    public ValueTest? AppVersion { get; init; }
    public ValueTest? Touchpoint { get; init; }
    public ValueTest? Consent { get; init; }
    public ValueTest? Stage { get; init; }
    public ValueTest? Experience { get; init; }
    /// <summary>true: returning customers only; false: new only.</summary>
    public bool? Returning { get; init; }
    /// <summary>true: a user tag is known; false: anonymous only.</summary>
    public bool? Identified { get; init; }
    public string[]? TagsAnyOf { get; init; }
    public string[]? TagsAllOf { get; init; }
    public string[]? TagsNoneOf { get; init; }

    public bool Holds(in ConditionInput c)
    {
        var s = c.Session;
        if ((Channel is not null && !Channel.Test(s.Channel))
            || (DeviceClass is not null && !DeviceClass.Test(s.DeviceClass))
            || (Country is not null && !Country.Test(s.Country))
            || (AppVersion is not null && !AppVersion.Test(s.AppVersion))
            || (Touchpoint is not null && !Touchpoint.Test(s.Touchpoint))
            || (Consent is not null && !Consent.Test(ConsentLevels.Name(c.Consent)))
            || (Stage is not null && !Stage.Test(c.Stage))
            || (Experience is not null && !Experience.Test(ExperienceScore.Name(s.Experience))))
        {
            return false;
        }
        if (Identified is { } identified && c.Identified != identified)
        {
            return false;
        }
        // An unknown answer (no facts, nothing seen) holds neither for new nor for returning.
        if (Returning is { } returning && c.Returning != returning)
        {
            return false;
        }
        return (TagsAnyOf is null || CountTags(c, TagsAnyOf) > 0)
            && (TagsAllOf is null || CountTags(c, TagsAllOf) == TagsAllOf.Length)
            && (TagsNoneOf is null || CountTags(c, TagsNoneOf) == 0);
    }

    private static int CountTags(in ConditionInput c, string[] tags)
    {
        var n = 0;
        foreach (var t in tags)
        {
            if (c.Facts?.HasTag(c.App, c.Customer, t) == true)
            {
                n++;
            }
        }
        return n;
    }
}
