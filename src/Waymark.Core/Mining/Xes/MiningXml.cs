using System.IO.Compression;
using System.Xml;

namespace Waymark.Core.Mining;

/// <summary>What the XES and PNML readers share: safe reader settings, gzip sniffing, located errors.</summary>
internal static class MiningXml
{
    /// <summary>No DTDs (so no entity expansion, no XXE) and no external resolution.</summary>
    public static XmlReaderSettings ReaderSettings(bool closeInput) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        IgnoreProcessingInstructions = true,
        CloseInput = closeInput,
    };

    /// <summary>
    /// The stream itself, or a decompressing view of it when it starts with the
    /// gzip magic bytes 1F 8B; works on streams that cannot seek.
    /// </summary>
    public static Stream Decompressed(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Span<byte> head = stackalloc byte[2];
        var n = 0;
        while (n < 2)
        {
            var r = input.Read(head[n..]);
            if (r == 0)
            {
                break;
            }
            n += r;
        }
        Stream rest = input.CanSeek ? Rewind(input, n) : new PrefixedStream(head[..n].ToArray(), input);
        var gzip = n == 2 && head[0] == 0x1F && head[1] == 0x8B;
        return gzip ? new GZipStream(rest, CompressionMode.Decompress, leaveOpen: false) : rest;
    }

    public static XesFormatException Error(XmlReader reader, string message, Exception? inner = null)
    {
        var info = reader as IXmlLineInfo;
        return info is { } li && li.HasLineInfo()
            ? new XesFormatException(message, li.LineNumber, li.LinePosition, inner)
            : new XesFormatException(message, inner!);
    }

    private static NonClosingStream Rewind(Stream s, int n)
    {
        s.Seek(-n, SeekOrigin.Current);
        return new NonClosingStream(s);
    }

    /// <summary>Reads the given prefix, then the rest of the inner stream.</summary>
    private sealed class PrefixedStream(byte[] prefix, Stream inner) : Stream
    {
        private int _pos;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_pos < prefix.Length)
            {
                var k = Math.Min(buffer.Length, prefix.Length - _pos);
                prefix.AsSpan(_pos, k).CopyTo(buffer);
                _pos += k;
                return k;
            }
            return inner.Read(buffer);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Leaves the caller's stream open when the reader closes its view.</summary>
    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
