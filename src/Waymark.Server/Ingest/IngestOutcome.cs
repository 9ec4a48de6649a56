using Waymark.Core.Protocol;

namespace Waymark.Server.Ingest;

/// <summary>How a request ended, whatever its transport: one answer per kind (see <see cref="IngestAnswers"/>).</summary>
public enum IngestStatus
{
    /// <summary>Taken: every accepted event is durable (some may have been rejected one by one).</summary>
    Accepted,
    /// <summary>Refused as a whole (wrong key, unknown app, origin not allowed, invalid customer): nothing was kept; sending it again will not help.</summary>
    Refused,
    /// <summary>Not taken now (the store is behind, the visitor's journey did not answer in time): send it again after <see cref="IngestOutcome.RetryAfter"/>; what was taken is recognised and stored once.</summary>
    Busy,
}

/// <summary>The outcome of one ingest request.</summary>
public sealed record IngestOutcome
{
    public required IngestStatus Status { get; init; }

    /// <summary>Events durable in the store (retries included).</summary>
    public int Accepted { get; init; }

    /// <summary>Of those, events received before: stored once.</summary>
    public int Duplicates { get; init; }

    /// <summary>Events refused one by one, with the field and the reason.</summary>
    public IReadOnlyList<EventError> Rejected { get; init; } = [];

    /// <summary>For Refused: the HTTP status (400, 401, 403).</summary>
    public int RefusedStatus { get; init; }

    public string? Title { get; init; }

    public string? Detail { get; init; }

    /// <summary>For Busy: when to send again.</summary>
    public TimeSpan RetryAfter { get; init; }

    /// <summary>For Busy: why (store, timeout), for the metrics.</summary>
    public string? BusyReason { get; init; }

    /// <summary>For Busy: 503 when the server cannot take it, 429 when the sender is over its rate.</summary>
    public int BusyStatus { get; init; } = 503;

    public static IngestOutcome Refuse(int status, string title, string detail) =>
        new() { Status = IngestStatus.Refused, RefusedStatus = status, Title = title, Detail = detail };

    public static IngestOutcome BusyFor(TimeSpan retryAfter, string reason, string detail) =>
        new() { Status = IngestStatus.Busy, RetryAfter = retryAfter, BusyReason = reason, Title = "Busy", Detail = detail };
}
