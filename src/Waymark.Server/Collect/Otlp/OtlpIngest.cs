using System.Net;
using Microsoft.Extensions.Options;
using Waymark.Core.Enrichment;
using Waymark.Core.Events;
using Waymark.Core.Protocol;
using Waymark.Server.Apps;
using Waymark.Server.Ingest;

namespace Waymark.Server.Collect.Otlp;

/// <summary>What the HTTP request says beside its body.</summary>
internal sealed record OtlpRequest(string? App, string? Key, IPAddress? ClientIp, string? UserAgent, string? Origin, string? Referer, ClientHints Hints);

/// <summary>How an export was taken.</summary>
/// <param name="Accepted">Waymark events durable in the store.</param>
/// <param name="Duplicates">Of those, events stored before (a retried export).</param>
/// <param name="Rejected">Log records or spans refused (OTLP's rejected count).</param>
/// <param name="Reasons">A few of the reasons, for the partial-success error message.</param>
internal sealed record OtlpOutcome(int Accepted, int Duplicates, int Rejected, IReadOnlyList<string> Reasons);

/// <summary>
/// Takes an OTLP export: authenticates each resource's app, maps the records
/// onto Waymark events, groups them by visitor and session, and hands each
/// group to <see cref="IngestService"/> — the same pipeline as a beacon.
/// </summary>
internal sealed class OtlpIngest(
    AppRegistry apps,
    Enricher enricher,
    IngestService ingest,
    IOptions<CollectOptions> collect,
    IOptions<OtlpOptions> options,
    TimeProvider clock)
{
    private const int MaxReasons = 3;

    private readonly OtlpMapper _mapper = new(collect.Value.Limits, options.Value);

    public OtlpJsonReader Json { get; } = new(options.Value);
    public OtlpProtobufReader Protobuf { get; } = new(options.Value);

    public async Task<OtlpOutcome> IngestAsync(OtlpExport export, OtlpRequest request, CancellationToken cancellationToken)
    {
        var rejected = export.OverLimit;
        var reasons = new List<string>(MaxReasons);
        if (export.OverLimit > 0)
        {
            Note(reasons, $"{export.OverLimit} records past the limit of {options.Value.MaxRecords} per request were not read; export smaller batches");
        }
        var facts = new Dictionary<OtlpResource, (OtlpResourceFacts Facts, AppOptions App)>(ReferenceEqualityComparer.Instance);
        var groups = new Dictionary<(string App, string Visitor, string? Session, string? User), Group>();
        var mapped = new List<EventRecord>(4);
        var index = export.Spans.Count > 0 ? SpanIndex.Of(export.Spans) : null;
        IEnumerable<OtlpRecord> records = export.Logs.Count > 0 ? export.Logs : export.Spans;
        foreach (var record in records)
        {
            if (!facts.TryGetValue(record.Resource, out var known))
            {
                known = Authorize(OtlpResourceFacts.Read(record.Resource, request.App), request);
                facts[record.Resource] = known;
            }
            mapped.Clear();
            var result = record is OtlpLogRecord log ? _mapper.MapLog(log, mapped) : _mapper.MapSpan((OtlpSpan)record, index!, mapped);
            if (result.Rejected is { } reason)
            {
                rejected++;
                Note(reasons, reason);
                continue;
            }
            if (result.Events == 0)
            {
                continue;
            }
            var session = record.Lookup("session.id") is { } s ? OtlpResourceFacts.Id("", s) : null;
            var visitor = known.Facts.Visitor ?? (session is null ? null : "otel-session-" + session) ?? known.Facts.Instance;
            if (visitor is null)
            {
                rejected++;
                Note(reasons, "no visitor: set the resource attribute device.id (or waymark.visitor), or session.id on the records");
                continue;
            }
            var user = record.Lookup("user.id") ?? record.Lookup("enduser.id");
            var key = (known.App.Id, visitor, session, user is null ? null : OtlpResourceFacts.Id("", user));
            if (!groups.TryGetValue(key, out var group))
            {
                group = new Group(known.App, known.Facts);
                groups[key] = group;
            }
            group.Events.AddRange(mapped);
        }

        var received = clock.GetUtcNow();
        var tasks = groups.Select(g => IngestGroupAsync(g.Key, g.Value, request, received, cancellationToken)).ToList();
        await Task.WhenAll(tasks);
        int accepted = 0, duplicates = 0;
        foreach (var t in tasks)
        {
            var outcome = await t;
            accepted += outcome.Accepted;
            duplicates += outcome.Duplicates;
            rejected += outcome.Rejected.Count;
            foreach (var error in outcome.Rejected)
            {
                Note(reasons, error.Reason);
            }
        }
        return new OtlpOutcome(accepted, duplicates, rejected, reasons);
    }

    private Task<IngestOutcome> IngestGroupAsync(
        (string App, string Visitor, string? Session, string? User) key, Group group, OtlpRequest request, DateTimeOffset received, CancellationToken cancellationToken)
    {
        var f = group.Facts;
        var requestFacts = new RequestFacts(
            request.ClientIp,
            f.HeaderUserAgentIsClient ? request.UserAgent : null,
            request.Origin,
            f.Hints ?? (f.HeaderUserAgentIsClient ? request.Hints : default));
        var context = enricher.Context(f.Header(key.App, key.Visitor, key.Session, key.User), requestFacts, received);
        // In time order, so that a page load comes before the requests it made:
        // the page's host tells first- from third-party requests.
        var events = group.Events.OrderBy(e => e.Timestamp).ToList();
        // OTLP carries no send time: the clock of the SDK is trusted, and events
        // outside the accepted window are rejected (docs/otlp.md). The page that
        // sent the export tells which requests went to other hosts.
        return ingest.IngestAsync(group.App, context, null, events, [], PageHost(request), cancellationToken);
    }

    /// <summary>The app of a resource, if the key is its ingest key and the page's origin is allowed.</summary>
    private (OtlpResourceFacts, AppOptions) Authorize(OtlpResourceFacts facts, OtlpRequest request)
    {
        var app = facts.AppId is null ? null : apps.Find(facts.AppId);
        if (app is null || !AppRegistry.KeyMatches(app, request.Key ?? facts.Key))
        {
            throw new IngestRefusedException(401, "Unknown app or wrong key",
                facts.AppId is null
                    ? "Name the app: the header X-Waymark-App, or the resource attribute waymark.app. Send its ingest key in the header X-Waymark-Key."
                    : $"The app '{Cut(facts.AppId)}' is not configured here, or the key is not its ingest key. Check X-Waymark-App (or the resource attribute waymark.app) and X-Waymark-Key in the exporter's configuration.");
        }
        if (request.Origin is { Length: > 0 } origin && !AppRegistry.OriginAllowed(app, origin))
        {
            throw new IngestRefusedException(403, "Origin not allowed",
                $"Pages of {Cut(origin)} may not send data for app '{app.Id}'. Add the origin to the app's AllowedOrigins.");
        }
        return (facts, app);
    }

    private static string? PageHost(OtlpRequest request) => Enricher.Host(request.Origin) ?? Enricher.Host(request.Referer);

    private static void Note(List<string> reasons, string reason)
    {
        if (reasons.Count < MaxReasons && !reasons.Contains(reason))
        {
            reasons.Add(reason);
        }
    }

    private static string Cut(string s) => s.Length <= 64 ? s : s[..64] + "…";

    private sealed class Group(AppOptions app, OtlpResourceFacts facts)
    {
        public AppOptions App { get; } = app;
        public OtlpResourceFacts Facts { get; } = facts;
        public List<EventRecord> Events { get; } = [];
    }
}
