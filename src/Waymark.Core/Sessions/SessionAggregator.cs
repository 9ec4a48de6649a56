using Waymark.Core.Events;
using Waymark.Core.Identity;

namespace Waymark.Core.Sessions;

/// <summary>
/// Folds a session's events, in time order, into its <see cref="SessionSummary"/>.
/// The live grain and the rebuild from stored facts both use it, so both agree.
/// </summary>
public sealed class SessionAggregator
{
    // Recent user actions by id, so that an error naming its action can turn
    // that action frustrated. Bounded by the session's 200-action rule.
    private readonly Dictionary<string, ApdexClass> _actionClasses = new(StringComparer.Ordinal);
    private readonly ApdexThresholds _apdex;
    private string? _lastActionId;

    public SessionAggregator(SessionSummary summary, ApdexThresholds apdex)
    {
        Summary = summary;
        _apdex = apdex;
    }

    public SessionSummary Summary { get; }

    /// <summary>Starts a summary for a new session from its first batch's context.</summary>
    public static SessionSummary Begin(BatchContext ctx, string sessionId, DateTimeOffset start) => new()
    {
        App = ctx.App,
        SessionId = sessionId,
        Visitor = ctx.Visitor,
        Channel = ctx.Channel,
        ClientSession = ctx.ClientSession,
        UserTag = ctx.UserTag,
        Start = start,
        End = start,
        FirstReceived = ctx.Received,
        LastReceived = ctx.Received,
    };

    /// <summary>Adds one event; the batch context refreshes device and location.</summary>
    public void Add(BatchContext ctx, EventRecord e)
    {
        var s = Summary;
        s.Events++;
        if (e.Timestamp < s.Start)
        {
            s.Start = e.Timestamp;
        }
        if (e.Timestamp > s.End)
        {
            s.End = e.Timestamp;
        }
        if (ctx.Received < s.FirstReceived)
        {
            s.FirstReceived = ctx.Received;
        }
        if (ctx.Received > s.LastReceived)
        {
            s.LastReceived = ctx.Received;
        }
        s.UserTag = ctx.UserTag ?? s.UserTag;
        s.DeviceClass = ctx.DeviceClass;
        s.Browser = ctx.Browser ?? s.Browser;
        s.Os = ctx.Os ?? s.Os;
        s.Country = ctx.Country ?? s.Country;
        s.City = ctx.City ?? s.City;
        s.AppVersion = ctx.AppVersion ?? s.AppVersion;
        s.Locale = ctx.Locale ?? s.Locale;
        s.Touchpoint = ctx.Touchpoint ?? s.Touchpoint;
        s.Consent = ctx.Consent ?? s.Consent;

        switch (e.Type)
        {
            case EventType.View:
                s.Pages++;
                s.ActionsAfterLastView = 0;
                var page = e.Name ?? e.Url;
                s.EntryPage ??= page;
                s.ExitPage = page;
                RateAction(e, _apdex.ViewMs, e.Failed);
                break;
            case EventType.Action:
                s.Actions++;
                s.ActionsAfterLastView++;
                var rage = e.Frustration?.Contains("rage", StringComparison.Ordinal) == true;
                if (rage)
                {
                    s.RageClicks++;
                    s.FrustratingElements++;
                }
                var errorClick = e.Frustration?.Contains("error", StringComparison.Ordinal) == true;
                RateAction(e, _apdex.ActionMs, e.Failed || errorClick);
                s.LastActionFrustrating |= rage;
                break;
            case EventType.Error:
                s.Errors++;
                s.FrustratingElements++;
                if (e.Failed)
                {
                    s.Crashes++;
                }
                if (e.ActionId is not null && _actionClasses.TryGetValue(e.ActionId, out var cls) && cls != ApdexClass.Frustrated)
                {
                    // An action that ends in an error counts as frustrated.
                    Move(cls, ApdexClass.Frustrated);
                    _actionClasses[e.ActionId] = ApdexClass.Frustrated;
                    if (e.ActionId == _lastActionId)
                    {
                        s.LastActionFrustrating = true;
                    }
                }
                break;
            case EventType.Request:
                s.Requests++;
                if (e.Failed || e.Status is 0 or >= 500)
                {
                    s.FailedRequests++;
                }
                break;
            case EventType.Conversion:
                s.Converted = true;
                s.ConversionValue += e.Value ?? 0;
                break;
            case EventType.Identify when e.Name is null or IdentityKeys.User:
                // A login names the session's user; a loyalty card or a phone
                // number links it to a customer without being a user tag.
                s.UserTag = e.UserTag;
                break;
            case EventType.SessionEnd:
                s.Ended = true;
                s.EndReason = "app";
                break;
        }
    }

    private void RateAction(EventRecord e, double threshold, bool failed)
    {
        var cls = Apdex.Classify(e.Duration, threshold, failed);
        Move(null, cls);
        Summary.LastActionFrustrating = cls == ApdexClass.Frustrated;
        _lastActionId = e.EventId;
        if (_actionClasses.Count < 1024)
        {
            _actionClasses[e.EventId] = cls;
        }
    }

    private void Move(ApdexClass? from, ApdexClass to)
    {
        var s = Summary;
        switch (from)
        {
            case ApdexClass.Satisfied: s.SatisfiedActions--; break;
            case ApdexClass.Tolerating: s.ToleratingActions--; break;
            case ApdexClass.Frustrated: s.FrustratedActions--; break;
        }
        switch (to)
        {
            case ApdexClass.Satisfied: s.SatisfiedActions++; break;
            case ApdexClass.Tolerating: s.ToleratingActions++; break;
            default: s.FrustratedActions++; break;
        }
    }
}
