using System.IO.Compression;
using Google.Protobuf;

namespace Waymark.Server.Collect.Otlp;

/// <summary>The encodings of an OTLP/HTTP request and its answer.</summary>
internal static class OtlpBody
{
    /// <summary>
    /// Inflates a gzip body, or returns null as soon as it passes the limit:
    /// a small body that inflates without end (a zip bomb) costs at most
    /// <paramref name="limit"/> bytes. Throws <see cref="InvalidDataException"/> for a body that is not gzip.
    /// </summary>
    public static byte[]? Gunzip(byte[] compressed, int limit)
    {
        using var gzip = new GZipStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress);
        using var output = new MemoryStream(Math.Min(limit, Math.Max(4096, compressed.Length * 4)));
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var n = gzip.Read(chunk, 0, chunk.Length);
            if (n == 0)
            {
                return output.ToArray();
            }
            if (output.Length + n > limit)
            {
                return null;
            }
            output.Write(chunk, 0, n);
        }
    }

    /// <summary>
    /// An ExportLogsServiceResponse or ExportTraceServiceResponse as JSON:
    /// <c>{}</c>, or a partial success with the rejected count
    /// (rejectedLogRecords / rejectedSpans) and the error message.
    /// </summary>
    public static Dictionary<string, object> Json(bool logs, int rejected, string? message)
    {
        if (rejected == 0 && message is null)
        {
            return [];
        }
        var partial = new Dictionary<string, object> { [logs ? "rejectedLogRecords" : "rejectedSpans"] = rejected };
        if (message is not null)
        {
            partial["errorMessage"] = message;
        }
        return new Dictionary<string, object> { ["partialSuccess"] = partial };
    }

    /// <summary>
    /// The same answer in protobuf: partial_success = 1 holding rejected_log_records
    /// (or rejected_spans) = 1 as int64 and error_message = 2. Empty on full success.
    /// </summary>
    public static byte[] Protobuf(int rejected, string? message)
    {
        if (rejected == 0 && message is null)
        {
            return [];
        }
        var partial = new MemoryStream();
        using var inner = new CodedOutputStream(partial, leaveOpen: true);
        if (rejected != 0)
        {
            inner.WriteTag(1, WireFormat.WireType.Varint);
            inner.WriteInt64(rejected);
        }
        if (message is not null)
        {
            inner.WriteTag(2, WireFormat.WireType.LengthDelimited);
            inner.WriteString(message);
        }
        inner.Flush();
        var response = new MemoryStream();
        using var outer = new CodedOutputStream(response, leaveOpen: true);
        outer.WriteTag(1, WireFormat.WireType.LengthDelimited);
        outer.WriteBytes(ByteString.CopyFrom(partial.ToArray()));
        outer.Flush();
        return response.ToArray();
    }
}
