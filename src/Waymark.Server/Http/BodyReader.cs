using System.Buffers;
using System.IO.Pipelines;

namespace Waymark.Server.Http;

/// <summary>Reads request bodies with a hard byte limit.</summary>
public static class BodyReader
{
    /// <summary>
    /// Reads the whole body into an array rented from the shared pool (the
    /// caller returns it), or returns a null array as soon as it passes the limit.
    /// </summary>
    public static async Task<(byte[]? Buffer, int Length)> ReadPooledAsync(PipeReader reader, int limit, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (buffer.Length > limit)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return (null, 0);
            }
            if (result.IsCompleted)
            {
                var length = (int)buffer.Length;
                var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
                buffer.CopyTo(rented);
                reader.AdvanceTo(buffer.End);
                return (rented, length);
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Reads the whole body, or returns null as soon as it passes the limit.</summary>
    public static async Task<byte[]?> ReadAsync(PipeReader reader, int limit, CancellationToken cancellationToken)
    {
        var (buffer, length) = await ReadPooledAsync(reader, limit, cancellationToken);
        if (buffer is null)
        {
            return null;
        }
        var bytes = buffer.AsSpan(0, length).ToArray();
        System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        return bytes;
    }
}
