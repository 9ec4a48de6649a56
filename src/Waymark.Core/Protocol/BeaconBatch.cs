namespace Waymark.Core.Protocol;

/// <summary>The batch-level fields of a beacon, as the client sent them.</summary>
public sealed class BeaconHeader
{
    public string App { get; set; } = "";
    public string? Key { get; set; }
    public string Channel { get; set; } = "";
    public string Visitor { get; set; } = "";
    public string? Session { get; set; }
    public string? User { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? UserAgent { get; set; }
    public string? DeviceClass { get; set; }
    public string? Os { get; set; }
    public string? OsVersion { get; set; }
    public string? Browser { get; set; }
    public string? BrowserVersion { get; set; }
    public string? Model { get; set; }
    public string? Locale { get; set; }
    public string? AppVersion { get; set; }
    public string? Touchpoint { get; set; }
    /// <summary>What the customer consented to, as the client says it: none, analytics (or anonymous), full.</summary>
    public string? Consent { get; set; }
    /// <summary>Server-side events: the customer the batch is about, instead of a visitor id.</summary>
    public CustomerRef? Customer { get; set; }
}

/// <summary>A customer named by one of their keys (see IdentityKeys).</summary>
public sealed record CustomerRef(string IdType, string Value, bool Hashed);

/// <summary>Why one event of a batch was rejected.</summary>
/// <param name="Index">Its position in the batch's <c>events</c> array.</param>
/// <param name="Id">Its id, when it had a readable one.</param>
/// <param name="Field">The JSON path of the field at fault.</param>
/// <param name="Reason">What was wrong, in words a developer can act on.</param>
public sealed record EventError(int Index, string? Id, string Field, string Reason);

/// <summary>A parsed beacon: the header, the events that passed, and those that did not.</summary>
public sealed class ParsedBeacon
{
    public required BeaconHeader Header { get; init; }
    /// <summary>Events that passed validation, with client timestamps (not yet skew-corrected).</summary>
    public List<IncomingEvent> Events { get; } = [];
    public List<EventError> Rejected { get; } = [];
}

/// <summary>A beacon that cannot be taken at all: the whole batch is refused with this reason.</summary>
public sealed class BeaconException(string field, string reason) : Exception(field + ": " + reason)
{
    public string Field { get; } = field;
    public string Reason { get; } = reason;
}
