using Microsoft.Extensions.Options;
using Waymark.Core.Events;
using Waymark.Server.Collect;
using Waymark.Core.Sessions;
using Waymark.Server.Store;
using Waymark.Server.Apps;
using Waymark.Server.Ingest;

namespace Waymark.Server.Journeys;

/// <summary>The live journey of one visitor of one app. Key: <see cref="VisitorGrain.Key"/>.</summary>
public interface IVisitorGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies a batch to the journey and returns once its events and the
    /// updated sessions are committed to the store.
    /// </summary>
    Task<JourneyUpdate> ApplyAsync(BatchContext context, EventRecord[] events);
}

/// <summary>
/// One owner per visitor: sessionizes, identifies and summarises its batches
/// in order, and writes them. Its state is derived: on activation it is
/// restored from the store's facts. Later issues add journey stages and
/// real-time rules here.
/// </summary>
public sealed partial class VisitorGrain(
    IEventStore store,
    IOptions<SessionRules> rules,
    IOptions<CollectOptions> collect,
    ApdexThresholdsProvider apdex,
    TimeProvider clock,
    ILogger<VisitorGrain> logger) : Grain, IVisitorGrain
{
    /// <summary>On activation, the ids of the visitor's events received this long before are loaded: retries come soon.</summary>
    public static readonly TimeSpan RecentWindow = TimeSpan.FromMinutes(30);

    private VisitorJourney? _journey;

    // A stored event received before this may be unknown to the journey
    // (stored before the grain activated, or forgotten since); everything
    // received later went through this activation. MinValue: nothing is.
    private DateTimeOffset _unknownBefore;

    public static string Key(string app, string visitor) => app + "/" + visitor;

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _journey = await RestoreAsync(cancellationToken);

    private async Task<VisitorJourney> RestoreAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var app = key[..slash];
        var visitor = key[(slash + 1)..];
        var journey = new VisitorJourney(rules.Value, apdex.For(app));
        _unknownBefore = DateTimeOffset.MinValue;
        if (store.MayKnowVisitor(app, visitor))
        {
            var now = clock.GetUtcNow();
            foreach (var s in await store.LoadLatestSessionsAsync(app, visitor, cancellationToken))
            {
                journey.Restore(s.Summary, s.Events);
            }
            // Every write of an earlier activation was committed before this
            // one began, so its events were received before now.
            var from = now - RecentWindow;
            foreach (var e in await store.FindStoredEventsAsync(app, visitor, null, from, now, cancellationToken))
            {
                journey.Know(e.EventId, e.Session, e.Received);
            }
            _unknownBefore = from;
        }
        return journey;
    }

    /// <summary>
    /// The events of a batch that the store may hold though the journey does
    /// not know them, looked up there: event id → session. A stored copy was
    /// received at most MaxEventFuture (plus a margin for the clock-skew
    /// correction) before its timestamp, which bounds the search.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, string>?> FindRetriesAsync(VisitorJourney journey, BatchContext context, EventRecord[] events)
    {
        var before = journey.ForgottenUpTo == DateTimeOffset.MinValue || journey.ForgottenUpTo < _unknownBefore
            ? _unknownBefore
            : journey.ForgottenUpTo.AddTicks(1);
        if (before == DateTimeOffset.MinValue)
        {
            return null;
        }
        var margin = collect.Value.Limits.MaxEventFuture + TimeSpan.FromMinutes(5);
        List<string>? unknown = null;
        var from = DateTimeOffset.MaxValue;
        foreach (var e in events)
        {
            if (!journey.Knows(e.EventId) && e.Timestamp - margin < before)
            {
                (unknown ??= []).Add(e.EventId);
                from = e.Timestamp - margin < from ? e.Timestamp - margin : from;
            }
        }
        if (unknown is null)
        {
            return null;
        }
        var found = await store.FindStoredEventsAsync(context.App, context.Visitor, unknown, from, before, CancellationToken.None);
        return found.Count == 0 ? null : found.ToDictionary(f => f.EventId, f => f.Session, StringComparer.Ordinal);
    }

    public async Task<JourneyUpdate> ApplyAsync(BatchContext context, EventRecord[] events)
    {
        _journey ??= await RestoreAsync(CancellationToken.None);
        var stored = await FindRetriesAsync(_journey, context, events);
        var update = _journey.Apply(context, events, stored);
        var withTag = update.UserTag is null || context.UserTag == update.UserTag ? context : context with { UserTag = update.UserTag };
        try
        {
            // Waiting here keeps this visitor's writes in order: the store
            // never sees an older summary of a session after a newer one.
            await store.WriteAsync(new WriteBatch(withTag, events, update.SessionIds, update.Sessions, update.Duplicates), CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The journey applied events the store does not hold: drop the live
            // state so that the next batch restores it from the facts.
            LogWriteFailed(logger, this.GetPrimaryKeyString(), ex);
            _journey = null;
            throw;
        }
        return update;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Write for visitor {Visitor} failed; its live state will be restored from the store")]
    private static partial void LogWriteFailed(ILogger logger, string visitor, Exception ex);
}
