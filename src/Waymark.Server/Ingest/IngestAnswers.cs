using System.Globalization;
using Waymark.Server.Http;

namespace Waymark.Server.Ingest;

/// <summary>
/// Turns every ingest outcome into its HTTP answer, for beacons, server
/// events and OTLP alike: a refusal is its status (400, 401, 403) with
/// problem details that say what to fix; busy is 503 with Retry-After; only
/// the body of a success is the transport's own (a beacon answer, an OTLP
/// partial success), which the transport formats.
/// </summary>
public static class IngestAnswers
{
    public static IResult ToResult(HttpContext http, IngestOutcome outcome, Func<IngestOutcome, IResult> success)
    {
        switch (outcome.Status)
        {
            case IngestStatus.Refused:
                return Problems.Create(outcome.RefusedStatus, outcome.Title ?? "Refused", outcome.Detail ?? "");
            case IngestStatus.Busy:
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(outcome.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return Problems.Create(outcome.BusyStatus, outcome.Title ?? "Busy", outcome.Detail ?? "Send it again after Retry-After seconds.");
            default:
                return success(outcome);
        }
    }

    /// <summary>A request refused before it reached the pipeline (unreadable, too large, wrong media type): the same problem details.</summary>
    public static IResult Refuse(int status, string title, string detail, params (string Name, object? Value)[] extensions) =>
        Problems.Create(status, title, detail, extensions);
}
