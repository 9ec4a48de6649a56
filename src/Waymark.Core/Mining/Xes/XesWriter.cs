using System.IO.Compression;
using System.Text;
using System.Xml;

namespace Waymark.Core.Mining;

/// <summary>
/// Writes XES (IEEE 1849). The standard extensions (concept, time, lifecycle,
/// org) the log does not declare itself are declared too, so the standard
/// keys the writer uses are always backed by their extension.
/// </summary>
public static class XesWriter
{
    /// <summary>The four standard extensions in their IEEE 1849 form.</summary>
    public static IReadOnlyList<XesExtension> StandardExtensions { get; } =
    [
        new("Concept", "concept", "http://www.xes-standard.org/concept.xesext"),
        new("Time", "time", "http://www.xes-standard.org/time.xesext"),
        new("Lifecycle", "lifecycle", "http://www.xes-standard.org/lifecycle.xesext"),
        new("Organizational", "org", "http://www.xes-standard.org/org.xesext"),
    ];

    /// <summary>Writes to a file; a name ending in ".gz" is gzip-compressed.</summary>
    public static void Write(EventLog log, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var file = File.Create(path);
        Write(log, file, gzip: path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Writes to a stream (left open).</summary>
    public static void Write(EventLog log, Stream stream, bool gzip = false)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(stream);
        if (gzip)
        {
            using var z = new GZipStream(stream, CompressionLevel.Optimal, leaveOpen: true);
            WriteXml(log, z);
        }
        else
        {
            WriteXml(log, stream);
        }
    }

    /// <summary>The log as XES text.</summary>
    public static string WriteToString(EventLog log)
    {
        using var s = new MemoryStream();
        Write(log, s);
        return Encoding.UTF8.GetString(s.GetBuffer(), 0, (int)s.Length);
    }

    private static void WriteXml(EventLog log, Stream stream)
    {
        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", Encoding = new UTF8Encoding(false), CloseOutput = false };
        using var w = XmlWriter.Create(stream, settings);
        w.WriteStartDocument();
        w.WriteStartElement("log");
        w.WriteAttributeString("xes.version", "1849-2016");
        w.WriteAttributeString("xes.features", "nested-attributes");
        foreach (var ext in ExtensionsToDeclare(log))
        {
            w.WriteStartElement("extension");
            w.WriteAttributeString("name", ext.Name);
            w.WriteAttributeString("prefix", ext.Prefix);
            w.WriteAttributeString("uri", ext.Uri);
            w.WriteEndElement();
        }
        WriteGlobal(w, "trace", log.TraceGlobals);
        WriteGlobal(w, "event", log.EventGlobals);
        foreach (var c in log.Classifiers)
        {
            w.WriteStartElement("classifier");
            w.WriteAttributeString("name", c.Name);
            w.WriteAttributeString("keys", string.Join(' ', c.Keys.Select(k => k.Contains(' ', StringComparison.Ordinal) ? $"'{k}'" : k)));
            w.WriteEndElement();
        }
        foreach (var a in log.Attributes)
        {
            WriteAttribute(w, a);
        }
        foreach (var t in log.Traces)
        {
            w.WriteStartElement("trace");
            WriteString(w, XesKeys.Activity, t.CaseId);
            foreach (var a in t.Attributes)
            {
                WriteAttribute(w, a);
            }
            foreach (var e in t.Events)
            {
                WriteEvent(w, e);
            }
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndDocument();
    }

    private static void WriteEvent(XmlWriter w, LogEvent e)
    {
        w.WriteStartElement("event");
        WriteString(w, XesKeys.Activity, e.Activity);
        if (e.Timestamp is { } ts)
        {
            w.WriteStartElement("date");
            w.WriteAttributeString("key", XesKeys.Timestamp);
            w.WriteAttributeString("value", XesAttribute.FormatDate(ts));
            w.WriteEndElement();
        }
        if (e.Lifecycle is { } l)
        {
            WriteString(w, XesKeys.Lifecycle, l);
        }
        if (e.Resource is { } r)
        {
            WriteString(w, XesKeys.Resource, r);
        }
        foreach (var a in e.Attributes)
        {
            WriteAttribute(w, a);
        }
        w.WriteEndElement();
    }

    private static void WriteGlobal(XmlWriter w, string scope, List<XesAttribute> globals)
    {
        if (globals.Count == 0)
        {
            return;
        }
        w.WriteStartElement("global");
        w.WriteAttributeString("scope", scope);
        foreach (var a in globals)
        {
            WriteAttribute(w, a);
        }
        w.WriteEndElement();
    }

    private static void WriteString(XmlWriter w, string key, string value)
    {
        w.WriteStartElement("string");
        w.WriteAttributeString("key", key);
        w.WriteAttributeString("value", value);
        w.WriteEndElement();
    }

    private static void WriteAttribute(XmlWriter w, XesAttribute a)
    {
        w.WriteStartElement(a.Kind switch
        {
            AttributeKind.String => "string",
            AttributeKind.Date => "date",
            AttributeKind.Int => "int",
            AttributeKind.Float => "float",
            AttributeKind.Boolean => "boolean",
            AttributeKind.Id => "id",
            AttributeKind.List => "list",
            _ => "container",
        });
        w.WriteAttributeString("key", a.Key);
        if (a.Kind is not (AttributeKind.List or AttributeKind.Container))
        {
            w.WriteAttributeString("value", a.ValueText);
        }
        if (a.HasChildren)
        {
            if (a.Kind == AttributeKind.List)
            {
                w.WriteStartElement("values");
            }
            foreach (var c in a.Children)
            {
                WriteAttribute(w, c);
            }
            if (a.Kind == AttributeKind.List)
            {
                w.WriteEndElement();
            }
        }
        w.WriteEndElement();
    }

    private static List<XesExtension> ExtensionsToDeclare(EventLog log)
    {
        var result = new List<XesExtension>(log.Extensions);
        foreach (var std in StandardExtensions)
        {
            if (!result.Exists(x => string.Equals(x.Prefix, std.Prefix, StringComparison.Ordinal)))
            {
                result.Add(std);
            }
        }
        return result;
    }
}
