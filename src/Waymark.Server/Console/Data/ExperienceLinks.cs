using Microsoft.AspNetCore.WebUtilities;
using Waymark.Server.Analytics;

namespace Waymark.Server.Console.Data;

/// <summary>
/// The experience pages' scope lives in the URL (app, range, segment, the
/// segment fields), so a page can be shared and every link keeps the scope.
/// </summary>
public sealed class ExperienceLinks
{
    public static readonly IReadOnlyList<(string, string)> Ranges = [("1d", "Last 24 hours"), ("7d", "Last 7 days"), ("30d", "Last 30 days")];

    private readonly Dictionary<string, string> _query;

    public ExperienceLinks(Uri uri)
    {
        _query = QueryHelpers.ParseQuery(uri.Query).ToDictionary(kv => kv.Key, kv => kv.Value.ToString(), StringComparer.Ordinal);
    }

    public string? this[string name] => _query.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    /// <summary>14 days unless the range says otherwise.</summary>
    public string Range => this["range"] is "1d" or "7d" or "30d" ? this["range"]! : "14d";

    /// <summary>What <see cref="ExperienceService.ScopeAsync(Func{string, string?}, List{string}, CancellationToken)"/> reads: the range turned into from and to.</summary>
    public Func<string, string?> Fields(DateTimeOffset now, string? defaultApp) => name => name switch
    {
        "from" => now.AddDays(-int.Parse(Range[..^1], System.Globalization.CultureInfo.InvariantCulture)).ToString("O"),
        "to" => now.ToString("O"),
        "app" => this["app"] ?? defaultApp,
        _ => this[name],
    };

    /// <summary>A link to another experience page with the same scope and the given changes (null removes a field).</summary>
    public string To(string path, params (string Name, string? Value)[] changes)
    {
        var q = new Dictionary<string, string>(_query, StringComparer.Ordinal);
        foreach (var (n, v) in changes)
        {
            if (v is null)
            {
                q.Remove(n);
            }
            else
            {
                q[n] = v;
            }
        }
        return QueryHelpers.AddQueryString(path, q.Where(kv => kv.Value.Length > 0).Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value)));
    }

    /// <summary>The API's URL of the same question, e.g. for a CSV export.</summary>
    public string Api(string path, DateTimeOffset now, string app, string? extra = null)
    {
        var fields = Fields(now, app);
        var pairs = new List<KeyValuePair<string, string?>> { new("app", app), new("from", fields("from")), new("to", fields("to")) };
        pairs.AddRange(Segment.Fields.Append("segment").Where(f => this[f] is not null).Select(f => new KeyValuePair<string, string?>(f, this[f])));
        return QueryHelpers.AddQueryString(path, pairs) + (extra is null ? "" : "&" + extra);
    }
}
