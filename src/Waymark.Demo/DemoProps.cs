using System.Globalization;
using System.Text.Json.Nodes;

namespace Waymark.Demo;

/// <summary>Custom-event properties as the JSON object the protocol carries.</summary>
internal static class DemoProps
{
    public static string Json(params (string Name, object Value)[] props)
    {
        var o = new JsonObject();
        foreach (var (name, value) in props)
        {
            o[name] = value switch
            {
                string s => JsonValue.Create(s),
                int i => JsonValue.Create(i),
                double d => JsonValue.Create(d),
                bool b => JsonValue.Create(b),
                _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
            };
        }
        return o.ToJsonString();
    }
}
