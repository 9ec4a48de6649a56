using System.Net;
using Microsoft.Extensions.Options;
using Waymark.Core.Enrichment;
using Waymark.Core.Events;
using Waymark.Core.Protocol;
using Waymark.Core.Sessions;
using Waymark.Server.Journeys;
using Waymark.Server.Store;
using Waymark.Server.Apps;

namespace Waymark.Server.Ingest;

/// <summary>What the transport knows about a request, beyond its body.</summary>
public sealed record RequestFacts(
    IPAddress? ClientIp,
    string? UserAgent,
    string? Origin,
    ClientHints Hints,
    string? HeaderKey = null);

/// <summary>How a batch was taken.</summary>
/// <param name="Accepted">Events that are durable in the store.</param>
/// <param name="Duplicates">Of those, events the visitor's journey had already seen (a retry).</param>
/// <param name="Rejected">Events that were refused, with the reason.</param>
public sealed record IngestOutcome(int Accepted, int Duplicates, IReadOnlyList<EventError> Rejected);

/// <summary>The batch is refused as a whole: wrong key, unknown app, origin not allowed.</summary>
public sealed class IngestRefusedException(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
}

/// <summary>
/// The one ingestion pipeline, whatever the transport: authenticate, enrich,
/// correct the clock, mask, hand to the visitor's grain, wait for the commit.
/// </summary>
public sealed class IngestService(
    AppRegistry apps,
    Enricher enricher,
    IEventStore store,
    IGrainFactory grains,
    IOptions<CollectOptions> options,
    IOptions<StoreOptions> storeOptions,
    TimeProvider clock)
{
    private readonly BeaconLimits _limits = options.Value.Limits;

    public BeaconParser Parser { get; } = new(options.Value.Limits);

    /// <summary>
    /// Takes a parsed beacon from a client, or (<paramref name="serverSide"/>)
    /// a batch of server-side events authenticated with the app's secret server
    /// key, which may name its customer instead of a visitor.
    /// </summary>
    public Task<IngestOutcome> IngestAsync(ParsedBeacon beacon, RequestFacts facts, CancellationToken cancellationToken) =>
        IngestAsync(beacon, facts, serverSide: false, cancellationToken);

    /// <inheritdoc cref="IngestAsync(ParsedBeacon, RequestFacts, CancellationToken)"/>
    public async Task<IngestOutcome> IngestAsync(ParsedBeacon beacon, RequestFacts facts, bool serverSide, CancellationToken cancellationToken)
    {
        var h = beacon.Header;
        var app = apps.Find(h.App);
        if (app is null || !AppRegistry.KeyMatches(app, facts.HeaderKey ?? h.Key, serverKeyOnly: serverSide))
        {
            throw new IngestRefusedException(401, "Unknown app or wrong key", serverSide
                ? "The app id is not configured here, or the key is not its server key. Server-side events need the app's secret ServerKey, never the public ingest key."
                : "The app id is not configured here, or the key is not its ingest key. Check the app id and key in the agent's or SDK's configuration.");
        }
        var events = beacon.Events;
        if (h.Customer is { } customer)
        {
            if (!serverSide)
            {
                throw new IngestRefusedException(400, "Customer only for server-side events",
                    "A beacon names its visitor; 'customer' is for server-side events (POST /v1/events with the server key). Use an identify event instead.");
            }
            var key = enricher.IdentityKey(customer.IdType, customer.Value, customer.Hashed)
                ?? throw new IngestRefusedException(400, "Invalid customer", "customer.value: a hashed identity must be the 64 lower-case hex digits of a SHA-256.");
            // The customer's own line (a phone number, an e-mail address) is
            // the visitor of server-side channels; an identify links it.
            var visitor = h.Visitor.Length > 0 ? h.Visitor : customer.IdType + "-" + key[..Math.Min(24, key.Length)];
            h.Visitor = visitor;
            events = [new EventRecord
            {
                EventId = "customer-" + customer.IdType + "-" + key[..Math.Min(24, key.Length)],
                Type = EventType.Identify,
                Timestamp = events.Count > 0 ? events.Min(e => e.Timestamp) : clock.GetUtcNow(),
                Name = customer.IdType,
                UserTag = customer.Value,
                Method = customer.Hashed ? "hashed" : null,
            }, .. events];
        }
        if (facts.Origin is { Length: > 0 } origin && !AppRegistry.OriginAllowed(app, origin))
        {
            throw new IngestRefusedException(403, "Origin not allowed",
                $"Pages of {origin} may not send beacons for app '{app.Id}'. Add the origin to the app's AllowedOrigins.");
        }
        var received = clock.GetUtcNow();
        var context = enricher.Context(h, facts, received);
        return await IngestAsync(app, context, h.SentAt, events, beacon.Rejected, Enricher.Host(facts.Origin), cancellationToken);
    }

    /// <summary>
    /// Takes events whose batch context is already known (server-side channels,
    /// the demo loader). <paramref name="sentAt"/> is the client's clock when it
    /// sent the batch, for skew correction; null when the clock is trusted.
    /// </summary>
    public Task<IngestOutcome> IngestAsync(
        AppOptions app, BatchContext context, DateTimeOffset? sentAt, IReadOnlyList<EventRecord> events,
        IReadOnlyList<EventError> rejectedBefore, CancellationToken cancellationToken) =>
        IngestAsync(app, context, sentAt, events, rejectedBefore, pageHost: null, cancellationToken);

    /// <param name="pageHost">
    /// The host of the page that sent the batch (from its Origin), for deciding
    /// which requests are third-party when the batch holds no page view.
    /// </param>
    public async Task<IngestOutcome> IngestAsync(
        AppOptions app, BatchContext context, DateTimeOffset? sentAt, IReadOnlyList<EventRecord> events,
        IReadOnlyList<EventError> rejectedBefore, string? pageHost, CancellationToken cancellationToken)
    {
        var rejected = new List<EventError>(rejectedBefore);
        var skew = ClockSkew(sentAt, context.Received);
        var kept = new List<EventRecord>(Math.Min(events.Count, _limits.MaxEvents));
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var ts = e.Timestamp + skew;
            if (ts < context.Received - _limits.MaxEventAge)
            {
                rejected.Add(new EventError(i, e.EventId, $"events[{i}].ts", $"the event is older than {_limits.MaxEventAge.TotalDays:0} days (after correcting the client's clock by {skew.TotalSeconds:0} s)"));
                continue;
            }
            if (ts > context.Received + _limits.MaxEventFuture)
            {
                rejected.Add(new EventError(i, e.EventId, $"events[{i}].ts", $"the event lies more than {_limits.MaxEventFuture.TotalMinutes:0} minutes in the future (after correcting the client's clock by {skew.TotalSeconds:0} s)"));
                continue;
            }
            if (e.Type == EventType.View && e.Url is not null)
            {
                pageHost = Enricher.Host(e.Url) ?? pageHost;
            }
            if (enricher.Mask(app, e, ts, pageHost, out var reason) is { } masked)
            {
                kept.Add(masked);
            }
            else
            {
                rejected.Add(new EventError(i, e.EventId, $"events[{i}].user", reason!));
            }
        }
        if (kept.Count == 0)
        {
            return new IngestOutcome(0, 0, rejected);
        }
        if (!store.HasRoomFor(kept.Count))
        {
            throw new StoreOverloadedException(TimeSpan.FromSeconds(storeOptions.Value.RetryAfterSeconds));
        }
        var grain = grains.GetGrain<IVisitorGrain>(VisitorGrain.Key(context.App, context.Visitor));
        var update = await grain.ApplyAsync(context, [.. kept]).WaitAsync(cancellationToken);
        return new IngestOutcome(kept.Count, update.Duplicates.Count(d => d), rejected);
    }

    /// <summary>
    /// The client's clock error: receive time minus the client's send time.
    /// Below the tolerance it is network latency and is left alone.
    /// </summary>
    public TimeSpan ClockSkew(DateTimeOffset? sentAt, DateTimeOffset received)
    {
        if (sentAt is not { } sent)
        {
            return TimeSpan.Zero;
        }
        var skew = received - sent;
        return skew.Duration() < _limits.SkewTolerance ? TimeSpan.Zero : skew;
    }
}
