using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Waymark.Core.Journeys;
using Waymark.Server.Store;

namespace Waymark.Server.Actions;

/// <summary>
/// A rule signal read as a firing. Its id is a hash of the app, the visitor
/// and the signal (the rule, its outcome, the session, the matched events and
/// the times are all in the signal's props): the same match made again after a
/// crash or a retried beacon has the same id, and so its actions the same
/// idempotency keys.
/// </summary>
public static class Firings
{
    /// <summary>The logic whose signals are rule firings.</summary>
    public const string Logic = "rules";

    public static string Id(string app, string visitor, JourneySignal signal)
    {
        var text = string.Join('\u001f', app, visitor, signal.Logic, signal.Name, signal.At.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture), signal.Props ?? "");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
    }

    /// <summary>The idempotency key of a firing's action: the webhook-id header.</summary>
    public static string MessageId(string firingId, int action) => "msg_" + firingId + "_" + action.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The firing a rule signal records, or null for another logic's signal.</summary>
    public static RuleFiring? Read(string app, string visitor, JourneySignal signal)
    {
        if (signal.Logic != Logic || signal.Props is null)
        {
            return null;
        }
        using var doc = JsonDocument.Parse(signal.Props);
        var r = doc.RootElement;
        string S(string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        return new RuleFiring(Id(app, visitor, signal), app, signal.Name, r.TryGetProperty("version", out var ver) ? ver.GetInt32() : 1,
            visitor, S("customer") is { Length: > 0 } c ? c : visitor, S("session"), S("channel"), S("outcome"), S("reason"), signal.At, signal.Props);
    }

    /// <summary>The actions of a firing's signal: (index, type, parameters).</summary>
    public static IEnumerable<(int Index, string Type, Dictionary<string, string> Params)> Actions(string props)
    {
        using var doc = JsonDocument.Parse(props);
        if (!doc.RootElement.TryGetProperty("actions", out var actions) || actions.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }
        var i = 0;
        var list = new List<(int, string, Dictionary<string, string>)>();
        foreach (var a in actions.EnumerateArray())
        {
            var ps = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in a.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.String)
                {
                    ps[p.Name] = p.Value.GetString()!;
                }
            }
            list.Add((i++, ps.GetValueOrDefault("type") ?? "", ps));
        }
        foreach (var x in list)
        {
            yield return x;
        }
    }
}
