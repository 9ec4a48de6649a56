using System.Text.Json;

namespace Waymark.Client.Internal;

internal sealed partial class DiskQueue
{
    /// <summary>
    /// Reads a sealed segment as batches of one session each, at most
    /// <paramref name="batchSize"/> events and <see cref="BatchBytes"/> bytes.
    /// Null when it has left the queue, or could not be read (then it is dropped).
    /// </summary>
    public SegmentContent? Read(Segment segment, int batchSize)
    {
        if (segment.Removed)
        {
            return null;
        }
        byte[] data;
        try
        {
            // Delete shared: the full queue may drop this segment while it is read (Windows).
            using var file = new FileStream(segment.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            data = new byte[file.Length];
            file.ReadExactly(data);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            Complete(segment);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.SegmentUnreadable(_logger, segment.Path, ex);
            Complete(segment, dropped: true);
            return null;
        }
        var all = data.AsMemory();
        var end = all.Span.IndexOf((byte)'\n');
        JsonElement header;
        try
        {
            using var doc = JsonDocument.Parse(end < 0 ? all : all[..end]);
            header = doc.RootElement.Clone();
            if (header.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException("the header is not an object");
            }
        }
        catch (JsonException ex)
        {
            Log.SegmentUnreadable(_logger, segment.Path, ex);
            Complete(segment, dropped: true);
            return null;
        }
        var batches = new List<Batch>();
        Batch? batch = null;
        var rest = end < 0 ? ReadOnlyMemory<byte>.Empty : all[(end + 1)..];
        while (!rest.IsEmpty)
        {
            var nl = rest.Span.IndexOf((byte)'\n');
            if (nl < 0)
            {
                // Cut short by a crash: it was never acknowledged as recorded.
                break;
            }
            var line = rest[..nl];
            rest = rest[(nl + 1)..];
            if (!TryParseLine(line, out var session, out var json))
            {
                Interlocked.Increment(ref _dropped);
                continue;
            }
            if (batch is null || batch.Session != session || batch.Events.Count >= batchSize || batch.Bytes + json.Length > _batchBytes)
            {
                batch = new Batch(session);
                batches.Add(batch);
            }
            batch.Events.Add(json);
            batch.Bytes += json.Length;
        }
        return new SegmentContent(header, batches);
    }

    private static bool TryParseLine(ReadOnlyMemory<byte> line, out string? session, out ReadOnlyMemory<byte> json)
    {
        session = null;
        json = default;
        try
        {
            var reader = new Utf8JsonReader(line.Span);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("s"u8))
                {
                    reader.Read();
                    session = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else if (reader.ValueTextEquals("e"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        return false;
                    }
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    json = line[start..(int)reader.BytesConsumed];
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            return !json.IsEmpty;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>A segment as read: its batch header and its batches.</summary>
    internal sealed record SegmentContent(JsonElement Header, List<Batch> Batches);

    /// <summary>Events of one session, as raw protocol v1 JSON.</summary>
    internal sealed class Batch(string? session)
    {
        public string? Session { get; } = session;
        public List<ReadOnlyMemory<byte>> Events { get; } = [];
        public int Bytes { get; set; }
    }
}
