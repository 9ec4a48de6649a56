using Microsoft.Extensions.Options;
using Waymark.Core.Journeys;
using Waymark.Core.Sessions;
using Waymark.Server.Apps;
using Waymark.Server.Store;
using Waymark.Server.Telemetry;

namespace Waymark.Server.Journeys;

/// <summary>
/// One owner per visitor: its <see cref="VisitorJourney"/> sessionizes,
/// identifies and summarises the batches in order and writes the facts; the
/// node's <see cref="JourneyTimers"/> call it at the journey's next deadline
/// (a session's inactivity end, a logic's deadline) even when nothing else
/// arrives. The state is derived: on activation it is replayed from the
/// store's facts, and the store keeps each visitor's next deadline so the
/// sweep wakes a visitor whose grain is gone.
/// </summary>
public sealed partial class VisitorGrain(
    IEventLog log,
    IOptions<SessionRules> rules,
    ApdexThresholdsProvider apdex,
    IEnumerable<IJourneyLogic> logic,
    IEnumerable<IJourneySignalSink> sinks,
    IChangeFeed feed,
    JourneyTimers timers,
    WaymarkMetrics metrics,
    TimeProvider clock,
    ILogger<VisitorGrain> logger) : Grain, IVisitorGrain
{
    /// <summary>On activation, the ids of the visitor's events received this long before are loaded: retries come soon.</summary>
    public static readonly TimeSpan RecentWindow = TimeSpan.FromMinutes(30);

    /// <summary>A deadline is never armed sooner than this after now (a logic that asks for the past again).</summary>
    private static readonly TimeSpan MinTimerDelay = TimeSpan.FromSeconds(1);

    private readonly IJourneyLogic[] _logic = [.. logic];
    private readonly IJourneySignalSink[] _sinks = [.. sinks];
    private VisitorJourney? _journey;
    private string? _key;
    private DateTimeOffset? _armedFor;

    // A stored event received before this may be unknown to the journey
    // (stored before the grain activated, or forgotten since); everything
    // received later went through this activation. MinValue: nothing is.
    private DateTimeOffset _unknownBefore;

    public static string Key(string app, string visitor) => app + "/" + visitor;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        metrics.Activated();
        _key = this.GetPrimaryKeyString();
        _journey = await RestoreAsync(cancellationToken);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.Deactivated();
        // The deadline stays in the store: the sweep wakes this visitor when it is due.
        timers.Arm(_key!, null);
        return Task.CompletedTask;
    }

    private async Task<VisitorJourney> RestoreAsync(CancellationToken cancellationToken)
    {
        var key = _key ??= this.GetPrimaryKeyString();
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var app = key[..slash];
        var visitor = key[(slash + 1)..];
        var journey = new VisitorJourney(app, visitor, rules.Value, apdex.For(app), _logic);
        var now = clock.GetUtcNow();
        journey.Replay(await log.LoadLatestSessionsAsync(app, visitor, cancellationToken));
        // Every write of an earlier activation was committed before this one
        // began, so its events were received before now.
        var from = now - RecentWindow;
        foreach (var e in await log.FindEventIdsAsync(app, visitor, null, from, now, cancellationToken))
        {
            journey.Know(e.EventId, e.Received);
        }
        _unknownBefore = from;
        Arm(journey.NextDeadline);
        return journey;
    }

    public async Task<JourneyResult> ApplyAsync(JourneyBatch batch)
    {
        var journey = _journey ??= await RestoreAsync(CancellationToken.None);
        var stored = await FindRetriesAsync(journey, batch);
        var write = journey.Apply(batch.Context, batch.Events, stored);
        await CommitAsync(journey, write);
        return new JourneyResult(batch.Events.Length, write.Duplicates);
    }

    public async Task WakeAsync()
    {
        var journey = _journey ??= await RestoreAsync(CancellationToken.None);
        await AdvanceAsync(journey, force: true);
    }

    public async Task TickAsync()
    {
        _armedFor = null;
        var journey = _journey ??= await RestoreAsync(CancellationToken.None);
        await AdvanceAsync(journey, force: false);
    }

    /// <summary>
    /// Fires what is due. A wake from the sweep also stores the real next
    /// deadline when nothing was due (the stored one may be stale).
    /// </summary>
    private async Task AdvanceAsync(VisitorJourney journey, bool force)
    {
        var write = journey.Advance(clock.GetUtcNow());
        if (write.HasFacts || force)
        {
            await CommitAsync(journey, write);
        }
        else
        {
            Arm(write.Deadline);
        }
    }

    private async Task CommitAsync(VisitorJourney journey, JourneyWrite write)
    {
        try
        {
            // Waiting here keeps this visitor's appends in order: the store
            // never sees an older summary of a session after a newer one.
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            if (write.Signals.Count > 0)
            {
                foreach (var sink in _sinks)
                {
                    await sink.TakeAsync(journey.App, journey.Visitor, write, CancellationToken.None);
                }
            }
            await log.AppendAsync(new JourneyAppend(journey.App, journey.Visitor, write.Facts, write.Sessions, write.Deadline), CancellationToken.None);
            metrics.CommitTook(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex)
        {
            // The journey applied facts the store does not hold: drop the live
            // state so that the next call replays it from the facts.
            LogWriteFailed(logger, _key ?? "?", ex);
            _journey = null;
            throw;
        }
        metrics.Committed(write);
        feed.Publish(write);
        Arm(write.Deadline);
        if (journey.IsIdle)
        {
            // Nothing open, nothing to wait for: the next batch replays what it needs.
            DeactivateOnIdle();
        }
    }

    /// <summary>Arms the node's timer for the journey's next deadline (never sooner than a second from now).</summary>
    private void Arm(DateTimeOffset? deadline)
    {
        if (deadline == _armedFor)
        {
            return;
        }
        _armedFor = deadline;
        var earliest = clock.GetUtcNow() + MinTimerDelay;
        timers.Arm(_key!, deadline is { } d && d < earliest ? earliest : deadline);
    }

    /// <summary>
    /// The events of a batch that the store may hold though the journey does
    /// not know them, looked up there (bounded by receive time).
    /// </summary>
    private async Task<IReadOnlySet<string>?> FindRetriesAsync(VisitorJourney journey, JourneyBatch batch)
    {
        var before = journey.ForgottenUpTo == DateTimeOffset.MinValue || journey.ForgottenUpTo < _unknownBefore
            ? _unknownBefore
            : journey.ForgottenUpTo.AddTicks(1);
        if (before == DateTimeOffset.MinValue || batch.RetryLookupFrom >= before)
        {
            return null;
        }
        List<string>? unknown = null;
        foreach (var e in batch.Events)
        {
            if (!journey.Knows(e.EventId))
            {
                (unknown ??= []).Add(e.EventId);
            }
        }
        if (unknown is null)
        {
            return null;
        }
        var found = await log.FindEventIdsAsync(batch.Context.App, batch.Context.Visitor, unknown, batch.RetryLookupFrom, before, CancellationToken.None);
        return found.Count == 0 ? null : found.Select(f => f.EventId).ToHashSet(StringComparer.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Write for visitor {Visitor} failed; its live state will be replayed from the store")]
    private static partial void LogWriteFailed(ILogger logger, string visitor, Exception ex);
}
