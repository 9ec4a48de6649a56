using Waymark.Core.Events;
using Waymark.Core.Identity;

namespace Waymark.Core.Sessions;

/// <summary>
/// Folds a session's events, in time order, into its <see cref="SessionSummary"/>.
/// The live grain and the rebuild from stored facts both use it, so both agree.
/// </summary>
public sealed class SessionAggregator
{
    /// <summary>How many of the latest user actions an error can still turn frustrated by naming it.</summary>
    public const int RecentActions = 8;

    // The latest user actions and their Apdex classes, so that an error naming
    // its action can turn that action frustrated: each slot is the action id's
    // hash with the class in its top two bits. An error names the action it
    // broke within moments; a small ring (made at the first action) keeps a live session small.
    private const int ClassShift = 62;
    private const ulong HashMask = (1UL << ClassShift) - 1;
    private ulong[]? _recent;
    private int _actions;
    private readonly ApdexThresholds _apdex;

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

    /// <summary>
    /// Adds one fact; the batch context refreshes device and location. Of the
    /// system facts only <see cref="EventType.SessionEnded"/> changes the summary
    /// (it ends it, with its reason): the others leave counts and times alone.
    /// </summary>
    public void Add(BatchContext ctx, EventRecord e)
    {
        var s = Summary;
        if (EventTypes.IsSystemFact(e.Type))
        {
            if (e.Type == EventType.SessionEnded)
            {
                s.Ended = true;
                s.EndReason = e.Name;
            }
            return;
        }
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
                if (e.ActionId is not null && FindAction(e.ActionId) is var slot and >= 0 && ClassOf(slot) != ApdexClass.Frustrated)
                {
                    // An action that ends in an error counts as frustrated.
                    Move(ClassOf(slot), ApdexClass.Frustrated);
                    _recent![slot] = (_recent[slot] & HashMask) | ((ulong)ApdexClass.Frustrated << ClassShift);
                    if (slot == (_actions - 1) % RecentActions)
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
            case EventType.Identify when e.Identity is { IsUser: true } id:
                // A login names the session's user; a loyalty card or a phone
                // number links it to a customer without being a user tag.
                s.UserTag = id.Key;
                break;
        }
    }

    private void RateAction(EventRecord e, double threshold, bool failed)
    {
        var cls = Apdex.Classify(e.Duration, threshold, failed);
        Move(null, cls);
        Summary.LastActionFrustrating = cls == ApdexClass.Frustrated;
        var slot = _actions++ % RecentActions;
        (_recent ??= new ulong[RecentActions])[slot] = IdHash(e.EventId) | ((ulong)cls << ClassShift);
    }

    private ApdexClass ClassOf(int slot) => (ApdexClass)(_recent![slot] >> ClassShift);

    /// <summary>The ring slot of one of the latest actions, or -1.</summary>
    private int FindAction(string actionId)
    {
        if (_recent is null)
        {
            return -1;
        }
        var h = IdHash(actionId);
        var n = Math.Min(_actions, RecentActions);
        for (var i = 0; i < n; i++)
        {
            var slot = (_actions - 1 - i) % RecentActions;
            if ((_recent[slot] & HashMask) == h)
            {
                return slot;
            }
        }
        return -1;
    }

    private static ulong IdHash(string id) =>
        System.IO.Hashing.XxHash3.HashToUInt64(System.Runtime.InteropServices.MemoryMarshal.AsBytes(id.AsSpan())) & HashMask;

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
