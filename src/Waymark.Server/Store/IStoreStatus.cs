namespace Waymark.Server.Store;

/// <summary>How the store is doing, for readiness and metrics.</summary>
public interface IStoreStatus
{
    /// <summary>Events appended and not yet durable.</summary>
    long PendingEvents { get; }

    /// <summary>Events committed since this process started.</summary>
    long CommittedEvents { get; }

    /// <summary>Whether the store keeps up: it can take appends without answering 503.</summary>
    bool Ready { get; }
}
