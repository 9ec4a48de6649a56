using Microsoft.Extensions.Options;
using Waymark.Core.Events;
using Waymark.Core.Protocol;
using Waymark.Core.Rules;
using Waymark.Server.Apps;
using Waymark.Server.Journeys;
using Waymark.Server.Store;
using Waymark.Server.Telemetry;

namespace Waymark.Server.Ingest;

/// <summary>
/// The one ingestion pipeline, whatever the transport: authenticate each
/// batch's app, enrich, correct the clock, validate, mask, hand each batch to
/// its visitor's journey and wait for the commit. Every outcome is an
/// <see cref="IngestOutcome"/>, which <see cref="IngestAnswers"/> turns into
/// the same HTTP answer for beacons, server events and OTLP.
/// </summary>
public sealed partial class IngestService(
    AppRegistry apps,
    Enricher enricher,
    IEventLog log,
    IGrainFactory grains,
    IOptions<CollectOptions> options,
    WaymarkMetrics metrics,
    AppEventRate rates,
    TimeProvider clock)
{
    private readonly BeaconLimits _limits = options.Value.Limits;

    public BeaconParser Parser { get; } = new(options.Value.Limits);

    public async Task<IngestOutcome> IngestAsync(IngestRequest request, CancellationToken cancellationToken)
    {
        using var activity = WaymarkMetrics.Activities.StartActivity("ingest " + request.Transport);
        var transport = TransportName(request.Transport);
        var received = clock.GetUtcNow();
        var rejected = new List<EventError>(request.Rejected);
        // Every batch is authenticated and checked before any is dispatched: a refusal keeps nothing.
        var batches = new List<JourneyBatch>(Math.Min(request.Batches.Count, 1024));
        foreach (var b in request.Batches)
        {
            var (batch, refusal) = Prepare(request, b, received, rejected);
            if (refusal is not null)
            {
                metrics.Refused(transport, refusal.RefusedStatus);
                return refusal;
            }
            if (batch is not null)
            {
                batches.Add(batch);
            }
        }
        metrics.Rejected(transport, rejected.Count);
        var events = batches.Sum(b => b.Events.Length);
        if (events == 0)
        {
            return new IngestOutcome { Status = IngestStatus.Accepted, Rejected = rejected };
        }
        foreach (var app in batches.GroupBy(b => b.Context.App, StringComparer.Ordinal))
        {
            if (rates.Take(app.Key, app.Sum(b => b.Events.Length)) is { } wait)
            {
                metrics.Busy(transport, "app-rate");
                return IngestOutcome.BusyFor(wait, "app-rate",
                    $"App '{Cut(app.Key)}' sends more than {options.Value.PerAppEventsPerSecond} events a second (Waymark:Collect:PerAppEventsPerSecond). Nothing of this request was kept: send it again after Retry-After seconds.")
                    with { BusyStatus = StatusCodes.Status429TooManyRequests, Title = "Too many events for this app" };
            }
        }
        var retryAfter = log.RetryAfter;
        if (!log.HasRoomFor(events))
        {
            return Busy(transport, retryAfter, "store", "The store is behind. Nothing of this request was kept: send it again after Retry-After seconds.");
        }
        JourneyResult[] results;
        try
        {
            results = await Task.WhenAll(batches.Select(b =>
                grains.GetGrain<IVisitorGrain>(VisitorGrain.Key(b.Context.App, b.Context.Visitor)).ApplyAsync(b).WaitAsync(cancellationToken)));
        }
        catch (TimeoutException)
        {
            // The visitor's journey did not answer in time (a store that stalls, a machine
            // that is overloaded): the client sends again; what was taken counts once.
            return Busy(transport, TimeSpan.FromSeconds(2), "timeout", "The server could not process this request in time. Send it again after Retry-After seconds; it is stored once.");
        }
        catch (OrleansException)
        {
            // A node of the cluster died and its journeys are not yet moved to the others
            // (a few seconds): the client sends again and lands on a live one.
            return Busy(transport, TimeSpan.FromSeconds(2), "node", "A node of the cluster is unreachable; its visitors move to the others. Send it again after Retry-After seconds; it is stored once.");
        }
        catch (Exception ex) when (ex is StoreOverloadedException or StoreUnavailableException)
        {
            return Busy(transport, retryAfter, "store", "The store could not take this request now. Send it again after Retry-After seconds; what was taken is stored once.");
        }
        var accepted = results.Sum(r => r.Accepted);
        var duplicates = results.Sum(r => r.Duplicates);
        metrics.Accepted(transport, accepted, duplicates);
        return new IngestOutcome { Status = IngestStatus.Accepted, Accepted = accepted, Duplicates = duplicates, Rejected = rejected };
    }

    private IngestOutcome Busy(string transport, TimeSpan retryAfter, string reason, string detail)
    {
        metrics.Busy(transport, reason);
        return IngestOutcome.BusyFor(retryAfter, reason, detail);
    }

    /// <summary>
    /// Authenticates one batch and turns its events into accepted ones: null
    /// batch when none is left; a refusal when the batch cannot be taken at all.
    /// </summary>
    private (JourneyBatch? Batch, IngestOutcome? Refusal) Prepare(IngestRequest request, IncomingBatch b, DateTimeOffset received, List<EventError> rejected)
    {
        var h = b.Header;
        var serverSide = request.Transport == Transport.ServerEvents;
        var app = apps.Find(h.App);
        if (request.Transport != Transport.Internal && (app is null || !AppRegistry.KeyMatches(app, request.Key ?? h.Key, serverKeyOnly: serverSide)))
        {
            return (null, IngestOutcome.Refuse(401, "Unknown app or wrong key", request.Transport switch
            {
                Transport.ServerEvents => "The app id is not configured here, or the key is not its server key. Server-side events need the app's secret ServerKey, never the public ingest key.",
                Transport.Otlp => $"The app '{Cut(h.App)}' is not configured here, or the key is not its ingest key. Check X-Waymark-App (or the resource attribute waymark.app) and X-Waymark-Key in the exporter's configuration.",
                _ => "The app id is not configured here, or the key is not its ingest key. Check the app id and key in the agent's or SDK's configuration.",
            }));
        }
        if (app is null)
        {
            return (null, IngestOutcome.Refuse(400, "Unknown app", $"No app '{Cut(h.App)}' is configured."));
        }
        if (!ConsentGate.TryRead(h.Consent ?? app.Consent, out var consent))
        {
            return (null, IngestOutcome.Refuse(400, "Invalid consent", $"consent: one of {ConsentGate.Names}, not '{Cut(h.Consent ?? app.Consent ?? "")}'."));
        }
        if (consent is not (null or ConsentLevel.Full) && h.Customer is not null)
        {
            return (null, IngestOutcome.Refuse(400, "Customer needs full consent",
                $"'customer' names a person, and this batch's consent is {ConsentLevels.Name(consent.Value)}. Send a visitor id instead, or leave the batch out."));
        }
        var events = consent is { } level ? ConsentGate.Restrict(level, h, b.Events, rejected) : b.Events;
        if (h.Customer is { } customer)
        {
            if (!serverSide && request.Transport != Transport.Internal)
            {
                return (null, IngestOutcome.Refuse(400, "Customer only for server-side events",
                    "A beacon names its visitor; 'customer' is for server-side events (POST /v1/events with the server key). Use an identify event instead."));
            }
            if (enricher.IdentityKey(customer.IdType, customer.Value, customer.Hashed) is not { } key)
            {
                return (null, IngestOutcome.Refuse(400, "Invalid customer", "customer.value: a hashed identity must be the 64 lower-case hex digits of a SHA-256."));
            }
            // The customer's own line (a phone number, an e-mail address) is
            // the visitor of server-side channels; an identify links it.
            var visitor = h.Visitor.Length > 0 ? h.Visitor : customer.IdType + "-" + key[..Math.Min(24, key.Length)];
            h.Visitor = visitor;
            events = [new IncomingEvent
            {
                EventId = "customer-" + customer.IdType + "-" + key[..Math.Min(24, key.Length)],
                Type = EventType.Identify,
                Timestamp = events.Count > 0 ? events.Min(e => e.Timestamp) : received,
                Identity = new IdentityClaim(customer.IdType, customer.Value, customer.Hashed),
            }, .. events];
        }
        var facts = b.Facts ?? request.Facts;
        if (request.Transport != Transport.Internal && facts.Origin is { Length: > 0 } origin && !AppRegistry.OriginAllowed(app, origin))
        {
            return (null, IngestOutcome.Refuse(403, "Origin not allowed",
                $"Pages of {Cut(origin)} may not send data for app '{app.Id}'. Add the origin to the app's AllowedOrigins."));
        }
        rejected.AddRange(b.Rejected);
        var context = b.Context ?? enricher.Context(h, facts, received);
        if (consent is { } stored)
        {
            context = ConsentGate.Stored(stored, context);
        }
        var accepted = Accept(app, context, h.SentAt, events, b.PageHost ?? Enricher.Host(facts.Origin), rejected, out var earliest);
        if (accepted.Length == 0)
        {
            return (null, null);
        }
        // A stored copy of any of these events was received at most
        // MaxEventFuture (plus the clock-skew correction) before its timestamp.
        return (new JourneyBatch(context, accepted, earliest - _limits.MaxEventFuture - TimeSpan.FromMinutes(5)), null);
    }

    /// <summary>Corrects each event's time for the client's clock, checks its age, masks it: the stored events.</summary>
    private EventRecord[] Accept(
        AppOptions app, Waymark.Core.Events.BatchContext context, DateTimeOffset? sentAt, IReadOnlyList<IncomingEvent> events,
        string? pageHost, List<EventError> rejected, out DateTimeOffset earliest)
    {
        var skew = ClockSkew(sentAt, context.Received);
        var kept = new List<EventRecord>(Math.Min(events.Count, _limits.MaxEvents));
        earliest = DateTimeOffset.MaxValue;
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
            if (enricher.Accept(app, e, ts, pageHost, out var reason) is { } stored)
            {
                kept.Add(stored);
                earliest = ts < earliest ? ts : earliest;
            }
            else
            {
                rejected.Add(new EventError(i, e.EventId, $"events[{i}].user", reason!));
            }
        }
        return [.. kept];
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

    public static string TransportName(Transport t) => t switch
    {
        Transport.Beacon => "beacon",
        Transport.ServerEvents => "server",
        Transport.Otlp => "otlp",
        _ => "internal",
    };

    private static string Cut(string s) => s.Length <= 64 ? s : s[..64] + "…";
}
