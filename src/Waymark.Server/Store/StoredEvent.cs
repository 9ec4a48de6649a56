using Waymark.Core.Events;

namespace Waymark.Server.Store;

/// <summary>An event as stored: its session, its batch context and the event.</summary>
public sealed record StoredEvent(string Session, BatchContext Context, EventRecord Event);
