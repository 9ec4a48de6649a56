using System.Net;
using Waymark.Core.Enrichment;
using Waymark.Core.Events;
using Waymark.Core.Protocol;

namespace Waymark.Server.Ingest;

/// <summary>How a request reached the ingest pipeline.</summary>
public enum Transport
{
    /// <summary>The beacon protocol (POST /v1/beacon) from an agent or SDK, with the app's ingest key.</summary>
    Beacon,
    /// <summary>Server-side events (POST /v1/events) with the app's secret server key.</summary>
    ServerEvents,
    /// <summary>OTLP/HTTP logs and traces, mapped onto events.</summary>
    Otlp,
    /// <summary>In-process sources the host trusts (the demo loader): the batch context is given.</summary>
    Internal,
}

/// <summary>What the transport knows about a request, beyond its body.</summary>
public sealed record RequestFacts(
    IPAddress? ClientIp,
    string? UserAgent,
    string? Origin,
    ClientHints Hints);

/// <summary>
/// One request as every transport decodes it: the credential it presented,
/// what the connection says, and its batches (a beacon has one, an OTLP
/// export one per visitor and session). Nothing in it is trusted yet.
/// </summary>
public sealed class IngestRequest
{
    public required Transport Transport { get; init; }

    /// <summary>The key the request presented (a header, the body, a bearer token); each batch's own key counts when this is null.</summary>
    public string? Key { get; init; }

    public required RequestFacts Facts { get; init; }

    public List<IncomingBatch> Batches { get; } = [];

    /// <summary>Records the transport could not map onto events at all, with the reason (they count as rejected).</summary>
    public List<EventError> Rejected { get; } = [];
}

/// <summary>One visitor's batch within a request.</summary>
public sealed class IncomingBatch
{
    /// <summary>The batch-level fields as sent (app, channel, visitor, device, customer).</summary>
    public required BeaconHeader Header { get; init; }

    public required IReadOnlyList<IncomingEvent> Events { get; init; }

    /// <summary>Events the decoder already refused, with their reasons.</summary>
    public IReadOnlyList<EventError> Rejected { get; init; } = [];

    /// <summary>Facts of this batch when they differ from the request's (OTLP: a resource that is a server, not the browser that sent it).</summary>
    public RequestFacts? Facts { get; init; }

    /// <summary>The host of the page that sent the batch, for telling third-party requests when the batch holds no page view.</summary>
    public string? PageHost { get; init; }

    /// <summary>The batch context, given by an internal source instead of being read from the header and the request (<see cref="Transport.Internal"/> only).</summary>
    public BatchContext? Context { get; init; }
}
