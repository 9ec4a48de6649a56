using Google.Protobuf;

namespace Waymark.Server.Collect.Otlp;

/// <summary>
/// One protobuf message inside a request body, read field by field with
/// <see cref="CodedInputStream"/>. A nested message is another view of the same
/// array, so reading never copies the body; fields Waymark does not know are
/// skipped, as the protobuf rules require.
/// </summary>
// A CodedInputStream over an array holds nothing to release (it disposes only a stream it was given).
#pragma warning disable CA1001
internal sealed class ProtoMessage
#pragma warning restore CA1001
{
    private readonly byte[] _buffer;
    private readonly CodedInputStream _input;
    // What CodedInputStream.Position counts from, as an index into _buffer.
    private readonly int _origin;

    public ProtoMessage(byte[] buffer, int offset, int length)
    {
        _buffer = buffer;
        _input = new CodedInputStream(buffer, offset, length);
        _origin = offset - (int)_input.Position;
    }

    public int Field { get; private set; }
    public WireFormat.WireType WireType { get; private set; }

    /// <summary>Moves to the next field; false at the end of the message.</summary>
    public bool Next()
    {
        if (_input.IsAtEnd)
        {
            return false;
        }
        var tag = _input.ReadTag();
        if (tag == 0)
        {
            return false;
        }
        Field = WireFormat.GetTagFieldNumber(tag);
        WireType = WireFormat.GetTagWireType(tag);
        return true;
    }

    public void Skip() => _input.SkipLastField();

    /// <summary>The current field as an embedded message.</summary>
    public ProtoMessage Message()
    {
        Expect(WireFormat.WireType.LengthDelimited, "a message");
        var start = _origin + (int)_input.Position;
        _input.SkipLastField();
        var end = _origin + (int)_input.Position;
        // Past the length prefix, a varint whose bytes all have the high bit set but the last.
        var body = start;
        while (body < end && (_buffer[body] & 0x80) != 0)
        {
            body++;
        }
        body++;
        return new ProtoMessage(_buffer, body, end - body);
    }

    public string String()
    {
        Expect(WireFormat.WireType.LengthDelimited, "a string");
        return _input.ReadString();
    }

    public byte[] Bytes()
    {
        Expect(WireFormat.WireType.LengthDelimited, "bytes");
        return _input.ReadBytes().ToByteArray();
    }

    /// <summary>An id (trace, span) as lower-case hex, as OTLP/JSON writes it; null when empty.</summary>
    public string? HexId()
    {
        Expect(WireFormat.WireType.LengthDelimited, "bytes");
        var bytes = _input.ReadBytes();
        return bytes.Length == 0 ? null : Convert.ToHexStringLower(bytes.Span);
    }

    public ulong Fixed64()
    {
        Expect(WireFormat.WireType.Fixed64, "a fixed64");
        return _input.ReadFixed64();
    }

    public double Double()
    {
        Expect(WireFormat.WireType.Fixed64, "a double");
        return _input.ReadDouble();
    }

    public long Int64()
    {
        Expect(WireFormat.WireType.Varint, "a varint");
        return _input.ReadInt64();
    }

    public int Int32()
    {
        Expect(WireFormat.WireType.Varint, "a varint");
        return _input.ReadInt32();
    }

    public bool Bool()
    {
        Expect(WireFormat.WireType.Varint, "a varint");
        return _input.ReadBool();
    }

    private void Expect(WireFormat.WireType type, string what)
    {
        if (WireType != type)
        {
            throw new OtlpFormatException($"field {Field} must be {what}, not wire type {(int)WireType}");
        }
    }
}
