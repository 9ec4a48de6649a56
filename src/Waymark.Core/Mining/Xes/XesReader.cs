using System.Globalization;
using System.Xml;

namespace Waymark.Core.Mining;

/// <summary>
/// Reads XES (IEEE 1849) event logs, plain or gzip-compressed (detected by
/// the magic bytes, not the file name). Streams the document with DTD
/// processing off; a malformed document raises <see cref="XesFormatException"/>
/// with the line and position.
/// </summary>
public static partial class XesReader
{
    /// <summary>Reads the log in the file at <paramref name="path"/>.</summary>
    public static EventLog Read(string path)
    {
        using var file = File.OpenRead(path);
        return Read(file);
    }

    /// <summary>Reads a log from a stream (left open).</summary>
    public static EventLog Read(Stream stream)
    {
        using var input = MiningXml.Decompressed(stream);
        using var reader = XmlReader.Create(input, MiningXml.ReaderSettings(closeInput: false));
        try
        {
            return new Parser(reader).ReadLog();
        }
        catch (XmlException e)
        {
            throw new XesFormatException("Malformed XES: " + e.Message, e.LineNumber, e.LinePosition, e);
        }
        catch (InvalidDataException e)
        {
            throw new XesFormatException("Corrupt gzip data: " + e.Message, e);
        }
    }

    /// <summary>Reads a log from XES text.</summary>
    public static EventLog Parse(string xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        using var s = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(xml));
        return Read(s);
    }

    /// <summary>
    /// Parses an xs:dateTime, and the looser forms some exporters put in a
    /// string-typed <c>time:timestamp</c> ("2019/11/03 01:11:19.000",
    /// "1980-01-01 01:01:01"). A value without an offset is taken as UTC.
    /// </summary>
    public static bool TryParseTimestamp(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out value);

    /// <summary>Splits a classifier's <c>keys</c>: whitespace-separated, a key with spaces in single quotes.</summary>
    public static IReadOnlyList<string> SplitClassifierKeys(string keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var result = new List<string>();
        var i = 0;
        while (i < keys.Length)
        {
            if (char.IsWhiteSpace(keys[i]))
            {
                i++;
                continue;
            }
            if (keys[i] == '\'')
            {
                var end = keys.IndexOf('\'', i + 1);
                if (end < 0)
                {
                    end = keys.Length;
                }
                result.Add(keys[(i + 1)..end]);
                i = end + 1;
                continue;
            }
            var j = i;
            while (j < keys.Length && !char.IsWhiteSpace(keys[j]))
            {
                j++;
            }
            result.Add(keys[i..j]);
            i = j;
        }
        return result;
    }
}
