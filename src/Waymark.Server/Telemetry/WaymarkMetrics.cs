using System.Diagnostics;
using System.Diagnostics.Metrics;
using Waymark.Core.Events;
using Waymark.Core.Journeys;

namespace Waymark.Server.Telemetry;

/// <summary>
/// Waymark's own telemetry of the pipeline (OpenTelemetry metrics on the
/// meter <see cref="MeterName"/>, traces on the activity source of the same
/// name): what the collectors accepted, rejected and refused, how long commits
/// took, how many events wait, how many journeys are live, why sessions ended.
/// </summary>
public sealed class WaymarkMetrics
{
    public const string MeterName = "Waymark";

    /// <summary>Spans of the ingest pipeline: one per request, and the commit within it.</summary>
    public static readonly ActivitySource Activities = new(MeterName);

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _busy;
    private readonly Histogram<double> _commit;
    private readonly Counter<long> _sessionsEnded;
    private readonly Counter<long> _sessionsStarted;
    private readonly Counter<long> _signals;
    private long _activeJourneys;

    public WaymarkMetrics(IMeterFactory meters, Store.IStoreStatus store)
    {
        var meter = meters.Create(MeterName);
        _accepted = meter.CreateCounter<long>("waymark.events.accepted", "{event}", "Events durable in the store, by transport.");
        _duplicates = meter.CreateCounter<long>("waymark.events.duplicates", "{event}", "Accepted events that were retries (stored once), by transport.");
        _rejected = meter.CreateCounter<long>("waymark.events.rejected", "{event}", "Events refused one by one (a bad field, too old), by transport.");
        _refused = meter.CreateCounter<long>("waymark.requests.refused", "{request}", "Requests refused as a whole (bad body, wrong key, origin), by transport and status.");
        _busy = meter.CreateCounter<long>("waymark.requests.busy", "{request}", "Requests answered 503 with Retry-After (store behind, journey timeout, too many at once), by transport and reason.");
        _commit = meter.CreateHistogram<double>("waymark.journey.commit.duration", "ms", "From a journey's append to its durable commit.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000] });
        _sessionsStarted = meter.CreateCounter<long>("waymark.sessions.started", "{session}", "Sessions begun.");
        _sessionsEnded = meter.CreateCounter<long>("waymark.sessions.ended", "{session}", "Sessions ended, by reason.");
        _signals = meter.CreateCounter<long>("waymark.signals", "{signal}", "Signals emitted by per-visitor logic (rule firings), by logic.");
        meter.CreateObservableGauge("waymark.journeys.active", () => Interlocked.Read(ref _activeJourneys), "{journey}", "Visitor journeys live in memory (grain activations).");
        meter.CreateObservableGauge("waymark.events.pending", () => store.PendingEvents, "{event}", "Events accepted and not yet durable.");
        meter.CreateObservableCounter("waymark.events.committed", () => store.CommittedEvents, "{event}", "Events committed to the store since start.");
    }

    public long ActiveJourneys => Interlocked.Read(ref _activeJourneys);

    public void Activated() => Interlocked.Increment(ref _activeJourneys);

    public void Deactivated() => Interlocked.Decrement(ref _activeJourneys);

    public void Accepted(string transport, int events, int duplicates)
    {
        _accepted.Add(events, new KeyValuePair<string, object?>("transport", transport));
        if (duplicates > 0)
        {
            _duplicates.Add(duplicates, new KeyValuePair<string, object?>("transport", transport));
        }
    }

    public void Rejected(string transport, int events)
    {
        if (events > 0)
        {
            _rejected.Add(events, new KeyValuePair<string, object?>("transport", transport));
        }
    }

    public void Refused(string transport, int status) =>
        _refused.Add(1, new KeyValuePair<string, object?>("transport", transport), new KeyValuePair<string, object?>("status", status));

    public void Busy(string transport, string reason) =>
        _busy.Add(1, new KeyValuePair<string, object?>("transport", transport), new KeyValuePair<string, object?>("reason", reason));

    public void CommitTook(TimeSpan elapsed) => _commit.Record(elapsed.TotalMilliseconds);

    /// <summary>Counts the session boundaries and signals of a committed step.</summary>
    public void Committed(JourneyWrite write)
    {
        foreach (var f in write.Facts)
        {
            switch (f.Event.Type)
            {
                case EventType.SessionStarted:
                    _sessionsStarted.Add(1);
                    break;
                case EventType.SessionEnded:
                    _sessionsEnded.Add(1, new KeyValuePair<string, object?>("reason", f.Event.Name));
                    break;
                case EventType.Signal:
                    _signals.Add(1, new KeyValuePair<string, object?>("logic", f.Event.Target));
                    break;
            }
        }
    }
}
