using System.Globalization;
using System.Xml;

namespace Waymark.Core.Mining;

public static partial class XesReader
{
    /// <summary>One pass over the document. Keys and values are pooled: a log repeats a few dozen strings millions of times.</summary>
    private sealed class Parser(XmlReader reader)
    {
        private readonly Dictionary<string, string> _pool = new(StringComparer.Ordinal);

        public EventLog ReadLog()
        {
            if (reader.MoveToContent() != XmlNodeType.Element || reader.LocalName != "log")
            {
                throw MiningXml.Error(reader, $"An XES document starts with <log>, not <{reader.LocalName}>");
            }
            var log = new EventLog();
            if (reader.IsEmptyElement)
            {
                return log;
            }
            reader.Read();
            while (reader.NodeType != XmlNodeType.EndElement && !reader.EOF)
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    reader.Read();
                    continue;
                }
                switch (reader.LocalName)
                {
                    case "trace":
                        log.Traces.Add(ReadTrace());
                        break;
                    case "extension":
                        log.Extensions.Add(new XesExtension(
                            reader.GetAttribute("name") ?? "", reader.GetAttribute("prefix") ?? "", reader.GetAttribute("uri") ?? ""));
                        reader.Skip();
                        break;
                    case "global":
                        ReadGlobal(log);
                        break;
                    case "classifier":
                        var name = reader.GetAttribute("name") ?? "";
                        var keys = SplitClassifierKeys(reader.GetAttribute("keys") ?? "");
                        if (keys.Count > 0)
                        {
                            log.Classifiers.Add(new EventClassifier(name, keys));
                        }
                        reader.Skip();
                        break;
                    default:
                        if (ReadAttribute() is { } a)
                        {
                            log.Attributes.Add(a);
                        }
                        break;
                }
            }
            return log;
        }

        private void ReadGlobal(EventLog log)
        {
            var target = reader.GetAttribute("scope") == "trace" ? log.TraceGlobals : log.EventGlobals;
            ReadChildren(target);
        }

        private LogTrace ReadTrace()
        {
            var trace = new LogTrace("");
            if (reader.IsEmptyElement)
            {
                reader.Read();
                return trace;
            }
            reader.Read();
            while (reader.NodeType != XmlNodeType.EndElement && !reader.EOF)
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    reader.Read();
                    continue;
                }
                if (reader.LocalName == "event")
                {
                    trace.Events.Add(ReadEvent());
                    continue;
                }
                if (ReadAttribute() is not { } a)
                {
                    continue;
                }
                if (a.Key == XesKeys.Activity && a.Kind is not (AttributeKind.List or AttributeKind.Container))
                {
                    trace.CaseId = a.ValueText;
                }
                else
                {
                    trace.Attributes.Add(a);
                }
            }
            reader.Read();
            return trace;
        }

        private LogEvent ReadEvent()
        {
            var e = new LogEvent("");
            if (reader.IsEmptyElement)
            {
                reader.Read();
                return e;
            }
            reader.Read();
            while (reader.NodeType != XmlNodeType.EndElement && !reader.EOF)
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    reader.Read();
                    continue;
                }
                if (ReadAttribute() is { } a && !Lift(e, a))
                {
                    e.Attributes.Add(a);
                }
            }
            reader.Read();
            return e;
        }

        /// <summary>Moves a standard attribute into its property; false when it stays an ordinary attribute.</summary>
        private bool Lift(LogEvent e, XesAttribute a)
        {
            if (a.Kind is AttributeKind.List or AttributeKind.Container)
            {
                return false;
            }
            switch (a.Key)
            {
                case XesKeys.Activity:
                    e.Activity = Pool(a.ValueText);
                    return true;
                case XesKeys.Lifecycle:
                    e.Lifecycle = Pool(a.ValueText);
                    return true;
                case XesKeys.Resource:
                    e.Resource = Pool(a.ValueText);
                    return true;
                case XesKeys.Timestamp when a.Kind == AttributeKind.Date:
                    e.Timestamp = a.DateValue;
                    return true;
                case XesKeys.Timestamp when a.Kind == AttributeKind.String && TryParseTimestamp(a.StringValue, out var t):
                    e.Timestamp = t;
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>Reads the attribute element the reader is on (and its nested ones); skips unknown elements and returns null.</summary>
        private XesAttribute? ReadAttribute()
        {
            var kind = reader.LocalName switch
            {
                "string" => AttributeKind.String,
                "date" => AttributeKind.Date,
                "int" => AttributeKind.Int,
                "float" => AttributeKind.Float,
                "boolean" => AttributeKind.Boolean,
                "id" => AttributeKind.Id,
                "list" => AttributeKind.List,
                "container" => AttributeKind.Container,
                _ => (AttributeKind)255,
            };
            if ((byte)kind == 255)
            {
                reader.Skip();
                return null;
            }
            var key = reader.GetAttribute("key") ?? throw MiningXml.Error(reader, $"<{reader.LocalName}> has no key");
            key = Pool(key);
            var text = reader.GetAttribute("value");
            XesAttribute a;
            switch (kind)
            {
                case AttributeKind.List:
                    a = XesAttribute.List(key, []);
                    break;
                case AttributeKind.Container:
                    a = XesAttribute.Container(key, []);
                    break;
                default:
                    if (text is null)
                    {
                        throw MiningXml.Error(reader, $"<{reader.LocalName} key=\"{key}\"> has no value");
                    }
                    a = Scalar(kind, key, text);
                    break;
            }
            ReadChildren(a.Children);
            return a;
        }

        /// <summary>Reads the child attributes of the current element into <paramref name="target"/>; a list's &lt;values&gt; are flattened in.</summary>
        private void ReadChildren(List<XesAttribute> target)
        {
            if (reader.IsEmptyElement)
            {
                reader.Read();
                return;
            }
            reader.Read();
            while (reader.NodeType != XmlNodeType.EndElement && !reader.EOF)
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    reader.Read();
                    continue;
                }
                if (reader.LocalName == "values")
                {
                    ReadChildren(target);
                    continue;
                }
                if (ReadAttribute() is { } child)
                {
                    target.Add(child);
                }
            }
            reader.Read();
        }

        private XesAttribute Scalar(AttributeKind kind, string key, string text)
        {
            var ok = true;
            XesAttribute? a = null;
            switch (kind)
            {
                case AttributeKind.String:
                    a = XesAttribute.String(key, Pool(text));
                    break;
                case AttributeKind.Id:
                    a = XesAttribute.Id(key, text);
                    break;
                case AttributeKind.Date:
                    ok = TryParseTimestamp(text, out var d);
                    a = ok ? XesAttribute.Date(key, d) : null;
                    break;
                case AttributeKind.Int:
                    ok = long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l);
                    a = ok ? XesAttribute.Int(key, l) : null;
                    break;
                case AttributeKind.Float:
                    ok = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var f);
                    a = ok ? XesAttribute.Float(key, f) : null;
                    break;
                case AttributeKind.Boolean:
                    ok = bool.TryParse(text, out var b);
                    a = ok ? XesAttribute.Boolean(key, b) : null;
                    break;
            }
            return a ?? throw MiningXml.Error(reader, $"'{text}' is not a valid {kind.ToString().ToLowerInvariant()} for key '{key}'");
        }

        private string Pool(string s)
        {
            if (s.Length > 64)
            {
                return s;
            }
            if (_pool.TryGetValue(s, out var pooled))
            {
                return pooled;
            }
            if (_pool.Count < 100_000)
            {
                _pool.Add(s, s);
            }
            return s;
        }
    }
}
