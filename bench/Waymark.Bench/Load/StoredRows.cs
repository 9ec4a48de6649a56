using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Options;
using Waymark.Core.Events;
using Waymark.Core.Protocol;
using Waymark.Core.Journeys;
using Waymark.Core.Sessions;
using Waymark.Server.Collect;
using Waymark.Server.Store;
using Waymark.Server.Apps;
using Waymark.Server.Ingest;

namespace Waymark.Bench.Load;

/// <summary>
/// Turns generated beacons into the rows the server stores, with the server's
/// own code and no HTTP: BeaconParser, the Enricher (UA, IP, masking), the
/// visitor's VisitorJourney (session ids and summaries). The loop mirrors
/// IngestService.IngestAsync; keep the two alike. Times each step.
/// </summary>
internal sealed class StoredRows
{
    private readonly BeaconParser _parser = new(new BeaconLimits());
    private readonly AppOptions _app;
    private readonly Enricher _enricher;
    private readonly Dictionary<string, VisitorJourney> _journeys = new(StringComparer.Ordinal);
    private readonly SessionRules _rules = new();

    public StoredRows(AppOptions app)
    {
        _app = app;
        _enricher = new Enricher(new GeoLocator(null), new AppRegistry(Options.Create(new List<AppOptions> { app })), Options.Create(new IdentityOptions()));
    }

    public long Events { get; private set; }
    public long SerializeTicks { get; private set; }
    public long ParseTicks { get; private set; }
    public long EnrichTicks { get; private set; }
    public long JourneyTicks { get; private set; }

    /// <summary>Generates beacons and maps them until <paramref name="rows"/> events are ready.</summary>
    public List<WriteBatch> Generate(BeaconGenerator generator, int rows, int seed)
    {
        var rng = new Random(seed);
        var batches = new List<WriteBatch>(rows / BeaconGenerator.MeanEvents + 1);
        var visitors = generator.Visitors;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var count = 0;
        for (var i = 0; count < rows; i++)
        {
            // Round robin over the pool, like the load's visitor queue; the clock
            // advances as a beacon rate of some thousands per second would.
            var v = visitors[i % visitors.Count];
            var beacon = BeaconGenerator.Next(v, rng, now + (i / 4));
            var batch = Map(beacon, DateTimeOffset.FromUnixTimeMilliseconds(now + (i / 4)));
            batches.Add(batch);
            count += batch.Events.Count;
        }
        return batches;
    }

    public WriteBatch Map(GeneratedBeacon generated, DateTimeOffset received)
    {
        var t0 = Stopwatch.GetTimestamp();
        var json = BeaconGenerator.ToJson(generated, received.ToUnixTimeMilliseconds());
        var t1 = Stopwatch.GetTimestamp();
        var beacon = _parser.Parse(json);
        var t2 = Stopwatch.GetTimestamp();
        var v = generated.Visitor;
        var facts = new RequestFacts(IPAddress.Parse(v.Ip), v.Device.UserAgent, null, default);
        var context = _enricher.Context(beacon.Header, facts, received);
        // sentAt is the receive time: no skew correction, as on the server.
        var kept = new List<EventRecord>(beacon.Events.Count);
        string? pageHost = null;
        foreach (var e in beacon.Events)
        {
            if (e.Type == EventType.View && e.Url is not null)
            {
                pageHost = Enricher.Host(e.Url) ?? pageHost;
            }
            kept.Add(_enricher.Accept(_app, e, e.Timestamp, pageHost, out var reason)
                ?? throw new InvalidOperationException($"the server would reject generated event {e.EventId}: {reason}"));
        }
        var t3 = Stopwatch.GetTimestamp();
        if (!_journeys.TryGetValue(v.Id, out var journey))
        {
            journey = new VisitorJourney(_app.Id, v.Id, _rules, new ApdexThresholds { ViewMs = _app.ApdexViewMs, ActionMs = _app.ApdexActionMs });
            _journeys[v.Id] = journey;
        }
        var write = journey.Apply(context, kept);
        var t4 = Stopwatch.GetTimestamp();
        SerializeTicks += t1 - t0;
        ParseTicks += t2 - t1;
        EnrichTicks += t3 - t2;
        JourneyTicks += t4 - t3;
        Events += kept.Count;
        if (beacon.Rejected.Count > 0)
        {
            throw new InvalidOperationException($"the generator made an invalid event: {beacon.Rejected[0].Field}: {beacon.Rejected[0].Reason}");
        }
        return new WriteBatch(new JourneyAppend(_app.Id, v.Id, write.Facts, write.Sessions, write.Deadline));
    }
}
