using System.ComponentModel.DataAnnotations;
using Waymark.Server.Ingest;

namespace Waymark.Server.Collect.Otlp;

/// <summary>
/// Bounds of the OpenTelemetry intake (section Waymark:Otlp). The body size
/// limit is the collector's (<see cref="CollectOptions.MaxBodyBytes"/>), before
/// and after gzip decompression.
/// </summary>
public sealed class OtlpOptions
{
    /// <summary>
    /// Log records or spans read from one request (1000, as many events as one
    /// beacon). Those past it are counted as rejected in the partial-success
    /// answer; the SDKs' default export batch is 512.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxRecords { get; set; } = 1000;

    /// <summary>Attributes read per resource, scope, record, span or span event (128, the SDKs' default attribute count limit); the rest are skipped.</summary>
    [Range(1, 10_000)]
    public int MaxAttributes { get; set; } = 128;

    /// <summary>Events read per span (128, the SDKs' default span event limit); the rest are skipped.</summary>
    [Range(0, 10_000)]
    public int MaxSpanEvents { get; set; } = 128;

    /// <summary>Nesting of AnyValue arrays and key-value lists (8); deeper is a malformed request.</summary>
    [Range(1, 32)]
    public int MaxValueDepth { get; set; } = 8;

    /// <summary>Properties kept from the attributes of a custom event (32, as a beacon's props).</summary>
    [Range(0, 256)]
    public int MaxProps { get; set; } = 32;
}
