using Microsoft.Extensions.Options;
using Waymark.Core.Events;
using Waymark.Core.Sessions;
using Waymark.Server.Store;

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
    ApdexThresholdsProvider apdex,
    ILogger<VisitorGrain> logger) : Grain, IVisitorGrain
{
    private VisitorJourney? _journey;

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
        if (store.MayKnowVisitor(app, visitor))
        {
            foreach (var s in await store.LoadLatestSessionsAsync(app, visitor, cancellationToken))
            {
                journey.Restore(s.Summary, s.Events);
            }
        }
        return journey;
    }

    public async Task<JourneyUpdate> ApplyAsync(BatchContext context, EventRecord[] events)
    {
        _journey ??= await RestoreAsync(CancellationToken.None);
        var update = _journey.Apply(context, events);
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
