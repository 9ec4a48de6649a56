using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Waymark.Core.Rules;

internal sealed partial class RuleReader
{
    private static readonly string[] s_actionTypes = ["widget", "webhook", "email", "alert"];

    private List<RuleAction> Actions(YNode node, string path)
    {
        var actions = new List<RuleAction>();
        if (node.Kind != YKind.Sequence)
        {
            Error(node, path, "expected a list of actions");
            return actions;
        }
        for (var i = 0; i < node.Items.Count; i++)
        {
            if (Action(node.Items[i], Index(path, i)) is { } a)
            {
                actions.Add(a);
            }
        }
        return actions;
    }

    private RuleAction? Action(YNode node, string path)
    {
        if (node.Kind != YKind.Mapping)
        {
            Error(node, path, "expected an action (a mapping with 'type': " + string.Join(", ", s_actionTypes) + ")");
            return null;
        }
        var typeNode = node.Pairs.FirstOrDefault(p => p.Key.Value == "type").Value;
        if (typeNode is null)
        {
            Error(node, Join(path, "type"), "'type' is required (" + string.Join(", ", s_actionTypes) + ")");
            return null;
        }
        var type = Word(typeNode, Join(path, "type"), "action type", s_actionTypes);
        if (type is null)
        {
            return null;
        }
        string[] allowed = type switch
        {
            "widget" => ["type", "id", "message", "consent"],
            "webhook" => ["type", "target", "consent"],
            "email" => ["type", "template", "to", "consent"],
            _ => ["type", "text", "severity", "consent"],
        };
        var f = Map(node, path, "a " + type + " action", allowed)!;
        var ps = new Dictionary<string, string>(StringComparer.Ordinal);
        void Param(string name, IReadOnlyCollection<string>? known, string what, bool required = true)
        {
            var v = required ? Required(f, name) : f.TryGet(name, out var o, out _) ? o : null;
            if (v is not null && (known is null ? Text(v, Join(path, name), what) : Word(v, Join(path, name), what, known)) is { } text)
            {
                ps[name] = text;
            }
        }
        var consent = type is "alert" ? ConsentLevel.Analytics : ConsentLevel.Full;
        switch (type)
        {
            case "widget":
                Param("id", _catalog.Widgets, "widget id");
                Param("message", null, "a message", required: false);
                break;
            case "webhook":
                Param("target", _catalog.WebhookTargets, "webhook target");
                break;
            case "email":
                Param("template", _catalog.Templates, "template");
                Param("to", ["customer", "team"], "recipient kind");
                // Mail to the app's own team acts on no customer: analytics consent suffices.
                consent = ps.GetValueOrDefault("to") == "team" ? ConsentLevel.Analytics : ConsentLevel.Full;
                break;
            default:
                Param("text", null, "an alert text");
                Param("severity", ["info", "warning", "critical"], "severity", required: false);
                break;
        }
        if (f.TryGet("consent", out var c, out var cp) && ConsentLevels.TryParse(Word(c, cp, "consent level", s_consentNames), out var said))
        {
            consent = said;
        }
        return new RuleAction(type, ps, consent);
    }

    private static string ActionsJson(List<RuleAction> actions)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var a in actions)
            {
                w.WriteStartObject();
                w.WriteString("type", a.Type);
                foreach (var (k, v) in a.Params)
                {
                    w.WriteString(k, v);
                }
                w.WriteString("consent", ConsentLevels.Name(a.Consent));
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
