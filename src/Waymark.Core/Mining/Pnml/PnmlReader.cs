using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Waymark.Core.Mining;

/// <summary>
/// Reads a Petri net with its initial and final marking from PNML as PM4Py
/// and ProM write it: places with <c>initialMarking</c>, transitions whose
/// <c>toolspecific</c> element says <c>activity="$invisible$"</c> are silent,
/// arc weights from <c>inscription</c>, the final marking from
/// <c>finalmarkings/marking</c>. Pages (nested too) are flattened.
/// </summary>
public static class PnmlReader
{
    public static AcceptingPetriNet Read(string path)
    {
        using var file = File.OpenRead(path);
        return Read(file);
    }

    /// <summary>Reads the first net of the document (gzip-compressed input is detected too). The stream is left open.</summary>
    public static AcceptingPetriNet Read(Stream stream)
    {
        using var input = MiningXml.Decompressed(stream);
        using var reader = XmlReader.Create(input, MiningXml.ReaderSettings(closeInput: false));
        XDocument doc;
        try
        {
            doc = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new XesFormatException("Malformed PNML: " + e.Message, e.LineNumber, e.LinePosition, e);
        }
        return FromDocument(doc);
    }

    public static AcceptingPetriNet Parse(string xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        using var s = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(xml));
        return Read(s);
    }

    private static AcceptingPetriNet FromDocument(XDocument doc)
    {
        var netElement = doc.Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "net")
            ?? throw new XesFormatException("A PNML document has a <pnml> root with a <net> in it.");
        var net = new PetriNet(Text(netElement) ?? (string?)netElement.Attribute("id") ?? "net");
        var initial = new Marking();
        var arcs = new List<XElement>();
        AddNodes(netElement, net, initial, arcs);
        foreach (var a in arcs)
        {
            var source = net.Find((string?)a.Attribute("source") ?? "");
            var target = net.Find((string?)a.Attribute("target") ?? "");
            var weight = Integer(a.Elements().FirstOrDefault(e => e.Name.LocalName == "inscription"), 1);
            switch (source, target)
            {
                case (Place p, Transition t):
                    net.AddArc(p, t, weight);
                    break;
                case (Transition t, Place p):
                    net.AddArc(t, p, weight);
                    break;
                default:
                    throw Error(a, $"Arc '{(string?)a.Attribute("id")}' must join a known place and a known transition");
            }
        }
        var final = new Marking();
        var marking = netElement.Elements().FirstOrDefault(e => e.Name.LocalName == "finalmarkings")?
            .Elements().FirstOrDefault(e => e.Name.LocalName == "marking");
        if (marking is not null)
        {
            foreach (var pe in marking.Elements().Where(e => e.Name.LocalName == "place"))
            {
                var id = (string?)pe.Attribute("idref") ?? "";
                var place = net.FindPlace(id) ?? throw Error(pe, $"The final marking names an unknown place '{id}'");
                var n = Integer(pe, 0);
                if (n > 0)
                {
                    final[place] = n;
                }
            }
        }
        return new AcceptingPetriNet(net, initial, final);
    }

    private static void AddNodes(XElement container, PetriNet net, Marking initial, List<XElement> arcs)
    {
        foreach (var e in container.Elements())
        {
            switch (e.Name.LocalName)
            {
                case "page":
                    AddNodes(e, net, initial, arcs);
                    break;
                case "place":
                    {
                        var id = Id(e);
                        var place = net.AddPlace(id, Text(e) ?? id);
                        var tokens = Integer(e.Elements().FirstOrDefault(x => x.Name.LocalName == "initialMarking"), 0);
                        if (tokens > 0)
                        {
                            initial[place] = tokens;
                        }
                        break;
                    }
                case "transition":
                    {
                        var id = Id(e);
                        var name = Text(e) ?? id;
                        var silent = e.Elements().Any(x => x.Name.LocalName == "toolspecific" && (string?)x.Attribute("activity") == "$invisible$");
                        net.AddTransition(id, silent ? null : name, name);
                        break;
                    }
                case "arc":
                    arcs.Add(e);
                    break;
            }
        }
    }

    private static string Id(XElement e)
    {
        var id = (string?)e.Attribute("id");
        return string.IsNullOrEmpty(id) ? throw Error(e, $"<{e.Name.LocalName}> has no id") : id;
    }

    /// <summary>The text of the element's &lt;name&gt;&lt;text&gt;, or null.</summary>
    private static string? Text(XElement e) =>
        e.Elements().FirstOrDefault(x => x.Name.LocalName == "name")?
            .Elements().FirstOrDefault(x => x.Name.LocalName == "text")?.Value;

    /// <summary>The integer in the element's &lt;text&gt; (or its own value), or the fallback when absent.</summary>
    private static int Integer(XElement? e, int fallback)
    {
        if (e is null)
        {
            return fallback;
        }
        var text = (e.Elements().FirstOrDefault(x => x.Name.LocalName == "text")?.Value ?? e.Value).Trim();
        if (text.Length == 0)
        {
            return fallback;
        }
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n
            : throw Error(e, $"'{text}' is not a token count");
    }

    private static XesFormatException Error(XElement e, string message)
    {
        IXmlLineInfo li = e;
        return new XesFormatException(message, li.HasLineInfo() ? li.LineNumber : 0, li.HasLineInfo() ? li.LinePosition : 0);
    }
}
