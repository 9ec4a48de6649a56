using System.Globalization;
using Waymark.Core.Events;
using Waymark.Core.Sessions;

namespace Waymark.Core.Journeys;

public sealed partial class VisitorJourney
{
    /// <summary>
    /// Rebuilds the live state from stored facts (after a restart, a move or a
    /// deactivation of the grain): the latest session of each channel, its facts
    /// in the order they were appended. Sessions, remembered ids and the logic's
    /// state come out as they were; the logic is told everything again with
    /// <see cref="JourneyContext.Replaying"/> set, and what it emits is dropped
    /// (it was stored the first time). Signal facts are not replayed: the logic makes them again.
    /// </summary>
    public void Replay(IEnumerable<JourneyFact> facts)
    {
        foreach (var (sessionId, ctx, e) in facts)
        {
            var slot = SlotOf(ctx.Channel);
            var session = slot >= 0 && _sessions[slot].Id == sessionId ? _sessions[slot] : null;
            if (session is null)
            {
                // A session's first fact: its session.start (or, in a store
                // written before those facts, its first event).
                session = new OpenSession(new SessionAggregator(SessionAggregator.Begin(ctx, sessionId, e.Timestamp), _apdex),
                    ctx.ClientSession, SplitIndexOf(sessionId, ctx.ClientSession));
                Put(session);
                Replayed(session, ctx, e.Timestamp, (state, c) => state.OnSessionStarted(session.Summary, c));
                if (e.Type == EventType.SessionStarted)
                {
                    session.Aggregator.Add(ctx, e);
                    continue;
                }
            }
            switch (e.Type)
            {
                case EventType.Signal or EventType.SessionStarted:
                    break;
                case EventType.Timer:
                    foreach (var l in _logic)
                    {
                        if (l.Name == e.Name)
                        {
                            Call(null, session, ctx, e.Timestamp, l, (state, c) => state.OnDeadline(c));
                        }
                    }
                    break;
                case EventType.SessionEnded:
                    session.Aggregator.Add(ctx, e);
                    Replayed(session, ctx, e.Timestamp, (state, c) => state.OnSessionEnded(session.Summary, c));
                    break;
                default:
                    session.Aggregator.Add(ctx, e);
                    _ids.Add(e.EventId, ctx.Received);
                    if (e.Type == EventType.Identify && e.Identity is { IsUser: true } id && !Channels.IsSharedDevice(ctx.Channel))
                    {
                        UserTag = id.Key;
                    }
                    Replayed(session, ctx, e.Timestamp, (state, c) => state.OnEvent(session.Summary, e, c));
                    break;
            }
        }
        foreach (var s in _sessions)
        {
            if (!Channels.IsSharedDevice(s.Summary.Channel))
            {
                UserTag ??= s.Summary.UserTag;
            }
        }
    }

    private void Replayed(OpenSession session, BatchContext ctx, DateTimeOffset at, Action<IJourneyLogicState, JourneyContext> call)
    {
        foreach (var l in _logic)
        {
            Call(null, session, ctx, at, l, call);
        }
    }

    /// <summary>A split session's id is the client's with "-2", "-3" appended.</summary>
    private static int SplitIndexOf(string sessionId, string? clientSession)
    {
        if (clientSession is null || sessionId == clientSession || sessionId.Length <= clientSession.Length + 1)
        {
            return 1;
        }
        var suffix = sessionId.AsSpan(clientSession.Length + 1);
        return int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 1;
    }
}
