using System.Net;
using Microsoft.Extensions.Options;
using Waymark.Core.Enrichment;
using Waymark.Core.Protocol;
using Waymark.Server.Ingest;

namespace Waymark.Server.Collect.Otlp;

/// <summary>What the HTTP request says beside its body.</summary>
internal sealed record OtlpRequest(string? App, string? Key, IPAddress? ClientIp, string? UserAgent, string? Origin, string? Referer, ClientHints Hints);

/// <summary>How an export was decoded: the ingest request, and what of it could not be read or mapped.</summary>
/// <param name="Request">The request for the ingest pipeline.</param>
/// <param name="Rejected">Log records or spans refused before the pipeline (OTLP's rejected count).</param>
/// <param name="Reasons">A few of the reasons, for the partial-success error message.</param>
internal sealed record OtlpDecoded(IngestRequest Request, int Rejected, List<string> Reasons);

/// <summary>
/// Decodes an OTLP export into the ingest request every transport makes:
/// maps the records onto Waymark events and groups them by visitor and
/// session, one batch per group, each naming the app (and key) of its
/// resource. The pipeline (<see cref="IngestService"/>) authenticates,
/// enriches and stores them as it does a beacon.
/// </summary>
internal sealed class OtlpIngest(IOptions<CollectOptions> collect, IOptions<OtlpOptions> options)
{
    private const int MaxReasons = 3;

    private readonly OtlpMapper _mapper = new(collect.Value.Limits, options.Value);

    public OtlpJsonReader Json { get; } = new(options.Value);
    public OtlpProtobufReader Protobuf { get; } = new(options.Value);

    public OtlpDecoded Decode(OtlpExport export, OtlpRequest request)
    {
        var rejected = export.OverLimit;
        var reasons = new List<string>(MaxReasons);
        if (export.OverLimit > 0)
        {
            Note(reasons, $"{export.OverLimit} records past the limit of {options.Value.MaxRecords} per request were not read; export smaller batches");
        }
        var facts = new Dictionary<OtlpResource, OtlpResourceFacts>(ReferenceEqualityComparer.Instance);
        var groups = new Dictionary<(string App, string Visitor, string? Session, string? User), Group>();
        var mapped = new List<IncomingEvent>(4);
        var index = export.Spans.Count > 0 ? SpanIndex.Of(export.Spans) : null;
        IEnumerable<OtlpRecord> records = export.Logs.Count > 0 ? export.Logs : export.Spans;
        foreach (var record in records)
        {
            if (!facts.TryGetValue(record.Resource, out var known))
            {
                known = OtlpResourceFacts.Read(record.Resource, request.App);
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
            var visitor = known.Visitor ?? (session is null ? null : "otel-session-" + session) ?? known.Instance;
            if (visitor is null)
            {
                rejected++;
                Note(reasons, "no visitor: set the resource attribute device.id (or waymark.visitor), or session.id on the records");
                continue;
            }
            var user = record.Lookup("user.id") ?? record.Lookup("enduser.id");
            var key = (known.AppId ?? "", visitor, session, user is null ? null : OtlpResourceFacts.Id("", user));
            if (!groups.TryGetValue(key, out var group))
            {
                group = new Group(known);
                groups[key] = group;
            }
            group.Events.AddRange(mapped);
        }

        var ingest = new IngestRequest
        {
            Transport = Transport.Otlp,
            Key = request.Key,
            Facts = new RequestFacts(request.ClientIp, request.UserAgent, request.Origin, request.Hints),
        };
        foreach (var ((app, visitor, session, user), group) in groups)
        {
            var f = group.Facts;
            var header = f.Header(app, visitor, session, user);
            header.Key = f.Key;
            ingest.Batches.Add(new IncomingBatch
            {
                Header = header,
                // In time order, so that a page load comes before the requests it made:
                // the page's host tells first- from third-party requests.
                Events = [.. group.Events.OrderBy(e => e.Timestamp)],
                Facts = new RequestFacts(
                    request.ClientIp,
                    f.HeaderUserAgentIsClient ? request.UserAgent : null,
                    request.Origin,
                    f.Hints ?? (f.HeaderUserAgentIsClient ? request.Hints : default)),
                // OTLP carries no send time: the clock of the SDK is trusted, and events
                // outside the accepted window are rejected (docs/otlp.md). The page that
                // sent the export tells which requests went to other hosts.
                PageHost = Enricher.Host(request.Origin) ?? Enricher.Host(request.Referer),
            });
        }
        return new OtlpDecoded(ingest, rejected, reasons);
    }

    /// <summary>Adds the reasons of the events the pipeline rejected, after the decoder's.</summary>
    public static void NoteRejected(List<string> reasons, IngestOutcome outcome)
    {
        foreach (var error in outcome.Rejected)
        {
            Note(reasons, error.Reason);
        }
    }

    private static void Note(List<string> reasons, string reason)
    {
        if (reasons.Count < MaxReasons && !reasons.Contains(reason))
        {
            reasons.Add(reason);
        }
    }

    private sealed class Group(OtlpResourceFacts facts)
    {
        public OtlpResourceFacts Facts { get; } = facts;
        public List<IncomingEvent> Events { get; } = [];
    }
}
