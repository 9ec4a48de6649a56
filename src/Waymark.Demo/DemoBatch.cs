using Waymark.Core.Events;
using Waymark.Core.Protocol;

namespace Waymark.Demo;

/// <summary>One beacon of demo data: what a client would send in one request.</summary>
public sealed record DemoBatch(BatchContext Context, IReadOnlyList<IncomingEvent> Events);
