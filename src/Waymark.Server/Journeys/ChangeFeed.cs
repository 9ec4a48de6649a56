using System.Threading.Channels;
using Waymark.Core.Events;
using Waymark.Core.Journeys;
using Waymark.Core.Sessions;

namespace Waymark.Server.Journeys;

/// <summary>What changed in a live journey.</summary>
public enum ChangeKind
{
    SessionStarted,
    SessionUpdated,
    SessionEnded,
    /// <summary>Per-visitor logic emitted a signal (a rule fired).</summary>
    Signal,
}

/// <summary>One change of a live journey, as the console and the actions see it.</summary>
[GenerateSerializer, Immutable]
public sealed record JourneyChange(
    [property: Id(0)] ChangeKind Kind,
    [property: Id(1)] string App,
    [property: Id(2)] string Visitor,
    [property: Id(3)] SessionSummary? Session,
    [property: Id(4)] JourneySignal? Signal);

/// <summary>
/// The change feed: every committed step of every journey goes out as
/// changes (session started, updated, ended; signals) to whoever subscribed.
/// Embedded, the journeys and the subscribers share a process; on a cluster
/// an implementation carries each node's changes to the others, so a console
/// sees every journey whichever node owns it.
/// </summary>
public interface IChangeFeed
{
    /// <summary>Publishes what a committed step changed. Never blocks: a subscriber that falls behind loses its oldest changes.</summary>
    void Publish(JourneyWrite write);

    /// <summary>Subscribes to the changes that pass <paramref name="filter"/>; dispose to stop.</summary>
    ChangeSubscription Subscribe(Func<JourneyChange, bool>? filter = null);
}

/// <summary>A subscriber's bounded queue of changes.</summary>
public sealed class ChangeSubscription(Func<JourneyChange, bool>? filter, int capacity, Action<ChangeSubscription> unsubscribe) : IDisposable
{
    private readonly Channel<JourneyChange> _channel = Channel.CreateBounded<JourneyChange>(new BoundedChannelOptions(capacity)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    public ChannelReader<JourneyChange> Reader => _channel.Reader;

    internal void Offer(JourneyChange change)
    {
        if (filter is null || filter(change))
        {
            _channel.Writer.TryWrite(change);
        }
    }

    public void Dispose()
    {
        unsubscribe(this);
        _channel.Writer.TryComplete();
    }
}

/// <summary>The change feed of one process (embedded mode, and each node's local part on a cluster).</summary>
public sealed class LocalChangeFeed : IChangeFeed
{
    /// <summary>Changes a subscriber may hold before the oldest are dropped.</summary>
    public const int SubscriberCapacity = 4096;

    private readonly Lock _lock = new();
    private ChangeSubscription[] _subscribers = [];

    public void Publish(JourneyWrite write)
    {
        var subscribers = Volatile.Read(ref _subscribers);
        if (subscribers.Length == 0)
        {
            return;
        }
        Deliver(Changes(write));
    }

    /// <summary>Hands changes to this process's subscribers (what the node made, or what another node sent).</summary>
    public void Deliver(IEnumerable<JourneyChange> changes)
    {
        var subscribers = Volatile.Read(ref _subscribers);
        if (subscribers.Length == 0)
        {
            return;
        }
        foreach (var change in changes)
        {
            foreach (var s in subscribers)
            {
                s.Offer(change);
            }
        }
    }

    /// <summary>How many subscribers this process has.</summary>
    public int Subscribers => Volatile.Read(ref _subscribers).Length;

    /// <summary>The changes of a step: one per session it touched (ended over started over updated), then its signals.</summary>
    public static IEnumerable<JourneyChange> Changes(JourneyWrite write)
    {
        foreach (var s in write.Sessions)
        {
            var kind = ChangeKind.SessionUpdated;
            foreach (var f in write.Facts)
            {
                if (f.Session != s.SessionId)
                {
                    continue;
                }
                if (f.Event.Type == EventType.SessionEnded)
                {
                    kind = ChangeKind.SessionEnded;
                }
                else if (f.Event.Type == EventType.SessionStarted && kind == ChangeKind.SessionUpdated)
                {
                    kind = ChangeKind.SessionStarted;
                }
            }
            yield return new JourneyChange(kind, s.App, s.Visitor, s, null);
        }
        if (write.Signals.Count > 0 && write.Facts.Count > 0)
        {
            var ctx = write.Facts[0].Context;
            foreach (var signal in write.Signals)
            {
                yield return new JourneyChange(ChangeKind.Signal, ctx.App, ctx.Visitor, null, signal);
            }
        }
    }

    public ChangeSubscription Subscribe(Func<JourneyChange, bool>? filter = null)
    {
        var s = new ChangeSubscription(filter, SubscriberCapacity, Remove);
        lock (_lock)
        {
            _subscribers = [.. _subscribers, s];
        }
        return s;
    }

    private void Remove(ChangeSubscription s)
    {
        lock (_lock)
        {
            _subscribers = [.. _subscribers.Where(x => !ReferenceEquals(x, s))];
        }
    }
}
