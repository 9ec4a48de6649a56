using System.Globalization;
using System.Text;
using System.Xml;

namespace Waymark.Core.Mining;

/// <summary>
/// Writes an accepting Petri net as PNML (the 2009 core model) the way PM4Py
/// writes it, so PM4Py and ProM read it back: silent transitions carry the
/// ProM <c>$invisible$</c> toolspecific element, the final marking goes in
/// <c>finalmarkings</c>.
/// </summary>
public static class PnmlWriter
{
    public static void Write(AcceptingPetriNet net, string path)
    {
        using var file = File.Create(path);
        Write(net, file);
    }

    /// <summary>Writes to a stream (left open).</summary>
    public static void Write(AcceptingPetriNet net, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(net);
        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", Encoding = new UTF8Encoding(false), CloseOutput = false };
        using var w = XmlWriter.Create(stream, settings);
        w.WriteStartDocument();
        w.WriteStartElement("pnml");
        w.WriteStartElement("net");
        w.WriteAttributeString("id", net.Net.Name);
        w.WriteAttributeString("type", "http://www.pnml.org/version-2009/grammar/pnmlcoremodel");
        WriteName(w, net.Net.Name);
        w.WriteStartElement("page");
        w.WriteAttributeString("id", "n0");
        foreach (var p in net.Net.Places)
        {
            w.WriteStartElement("place");
            w.WriteAttributeString("id", p.Id);
            WriteName(w, p.Name);
            if (net.InitialMarking[p] is var n and > 0)
            {
                w.WriteStartElement("initialMarking");
                w.WriteElementString("text", n.ToString(CultureInfo.InvariantCulture));
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        foreach (var t in net.Net.Transitions)
        {
            w.WriteStartElement("transition");
            w.WriteAttributeString("id", t.Id);
            WriteName(w, t.Label ?? t.Name);
            if (t.IsSilent)
            {
                w.WriteStartElement("toolspecific");
                w.WriteAttributeString("tool", "ProM");
                w.WriteAttributeString("version", "6.4");
                w.WriteAttributeString("activity", "$invisible$");
                w.WriteAttributeString("localNodeID", t.Id);
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        var i = 0;
        foreach (var a in net.Net.Arcs)
        {
            w.WriteStartElement("arc");
            w.WriteAttributeString("id", "arc" + i++.ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("source", a.Source.Id);
            w.WriteAttributeString("target", a.Target.Id);
            if (a.Weight != 1)
            {
                w.WriteStartElement("inscription");
                w.WriteElementString("text", a.Weight.ToString(CultureInfo.InvariantCulture));
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        w.WriteEndElement(); // page
        w.WriteStartElement("finalmarkings");
        w.WriteStartElement("marking");
        foreach (var p in net.Net.Places)
        {
            if (net.FinalMarking[p] is var n and > 0)
            {
                w.WriteStartElement("place");
                w.WriteAttributeString("idref", p.Id);
                w.WriteElementString("text", n.ToString(CultureInfo.InvariantCulture));
                w.WriteEndElement();
            }
        }
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement(); // net
        w.WriteEndElement(); // pnml
        w.WriteEndDocument();
    }

    public static string WriteToString(AcceptingPetriNet net)
    {
        using var s = new MemoryStream();
        Write(net, s);
        return Encoding.UTF8.GetString(s.GetBuffer(), 0, (int)s.Length);
    }

    private static void WriteName(XmlWriter w, string name)
    {
        w.WriteStartElement("name");
        w.WriteElementString("text", name);
        w.WriteEndElement();
    }
}
