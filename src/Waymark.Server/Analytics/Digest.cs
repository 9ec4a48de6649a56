using System.Globalization;
using System.Net;
using System.Text;

namespace Waymark.Server.Analytics;

/// <summary>One sentence of the digest, with the console page it points to (null when none).</summary>
public sealed record DigestLine(string Kind, string Text, string? Link);

/// <summary>The day's story: a few sentences, each with its link, and the daily figures behind the chart.</summary>
public sealed record DigestData(string App, DateTimeOffset From, DateTimeOffset To, string Title, IReadOnlyList<DigestLine> Lines,
    IReadOnlyList<(DateOnly Day, long Sessions, double Satisfied, double Frustrated)> Trend);

/// <summary>
/// Writes the daily CX digest from two reports: the day (the last 24 hours
/// unless a day is given) and the seven days before it as the baseline. It says
/// what moved (sessions, conversion, the satisfied and frustrated shares), the
/// group (channel, version, browser, touchpoint) whose satisfied share or
/// conversion dropped most, and the most likely causes: the error that cost
/// the most conversions, the third party that hurt the most sessions, the
/// slowest page.
/// </summary>
public static class Digest
{
    private const int MinGroupSessions = 30;

    public static DigestData Build(ExperienceReport day, ExperienceReport baseline, ExperienceReport trend, string consoleUrl)
    {
        var app = day.Scope.App;
        string Link(string path) => consoleUrl.TrimEnd('/') + path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "app=" + Uri.EscapeDataString(app);
        var d = day.Satisfaction.All;
        var b = baseline.Satisfaction.All;
        var lines = new List<DigestLine>
        {
            new("summary", string.Create(CultureInfo.InvariantCulture,
                $"{d.Sessions:N0} sessions; {Pct(d.ConversionRate)} converted ({Points(d.ConversionRate - b.ConversionRate)} against the 7 days before); {Pct(d.SatisfiedShare)} satisfied ({Points(d.SatisfiedShare - b.SatisfiedShare)}), {Pct(d.FrustratedShare)} frustrated ({Points(d.FrustratedShare - b.FrustratedShare)})."),
                Link("/experience")),
        };
        var drop = day.Satisfaction.Groups
            .Where(g => g.Group is "channel" or "version" or "browser" or "touchpoint" && g.Sessions >= MinGroupSessions)
            .Select(g => (g, Base: baseline.Satisfaction.Groups.FirstOrDefault(x => x.Group == g.Group && x.Key == g.Key)))
            .Select(x => (x.g, x.Base, Sat: x.g.SatisfiedShare - (x.Base?.SatisfiedShare ?? x.g.SatisfiedShare), Conv: x.g.ConversionRate - (x.Base?.ConversionRate ?? b.ConversionRate)))
            .OrderBy(x => Math.Min(x.Sat, x.Conv))
            .FirstOrDefault();
        if (drop.g is { } g && Math.Min(drop.Sat, drop.Conv) < 0)
        {
            var what = drop.Sat <= drop.Conv
                ? $"satisfied share {Pct(g.SatisfiedShare)} against {Pct(drop.Base?.SatisfiedShare ?? g.SatisfiedShare)}"
                : $"conversion {Pct(g.ConversionRate)} against {Pct(drop.Base?.ConversionRate ?? b.ConversionRate)}";
            lines.Add(new("drop", $"The biggest drop: {g.Group} {g.Key} ({g.Sessions:N0} sessions), {what}.", Link($"/experience?{g.Group}={Uri.EscapeDataString(g.Key)}")));
        }
        if (day.Errors.FirstOrDefault(e => !e.Noise && e.LostConversions > 0) is { } error)
        {
            var versions = error.Versions.Count > 0 ? $", mostly on version {error.Versions[0].Key}" : "";
            lines.Add(new("error", string.Create(CultureInfo.InvariantCulture,
                $"The error that cost the most: \"{error.Message}\" in {error.Sessions:N0} sessions of {error.Customers:N0} customers{versions}; they converted at {Pct(error.ConversionWith)} against {Pct(error.ExpectedConversion)} for comparable sessions, about {error.LostConversions:N0} conversions lost."),
                Link("/experience/errors/" + error.Fingerprint)));
        }
        if (day.ThirdParties.FirstOrDefault(t => t.LostConversions > 0) is { } tp)
        {
            lines.Add(new("third-party", string.Create(CultureInfo.InvariantCulture,
                $"The third party that hurt the most: {tp.Host}, {Pct(tp.FailureRate)} of {tp.Calls:N0} calls failed and p95 was {tp.P95:N0} ms; the {tp.HurtSessions:N0} sessions it hurt converted at {Pct(tp.ConversionHurt)} against {Pct(tp.ConversionOthers)}."),
                Link("/experience/third-parties")));
        }
        if (day.Pages.Where(p => p.Views >= 20 && p.LoadP75 is not null).OrderByDescending(p => p.LoadP75).FirstOrDefault() is { } slow)
        {
            lines.Add(new("page", string.Create(CultureInfo.InvariantCulture, $"The slowest page: {slow.Page}, p75 load {slow.LoadP75:N0} ms over {slow.Views:N0} views."),
                Link("/experience/pages")));
        }
        var title = string.Create(CultureInfo.InvariantCulture, $"Waymark digest for {app}: {day.Scope.From:yyyy-MM-dd HH:mm} to {day.Scope.To:yyyy-MM-dd HH:mm} UTC");
        return new DigestData(app, day.Scope.From, day.Scope.To, title, lines,
            [.. trend.Satisfaction.Days.Select(x => (x.Day, x.Total, x.SatisfiedShare, x.FrustratedShare))]);
    }

    public static string Text(DigestData d)
    {
        var sb = new StringBuilder().Append(d.Title).Append("\n\n");
        foreach (var l in d.Lines)
        {
            sb.Append("- ").Append(l.Text).Append(l.Link is null ? "" : "\n  " + l.Link).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>The digest as an HTML page or mail body: sentences with links and a bar chart of the daily satisfied share (tables only, for mail clients).</summary>
    public static string Html(DigestData d)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(d.Title)).Append("</title></head>")
          .Append("<body style=\"font-family:system-ui,sans-serif;max-width:720px;margin:1rem auto;color:#1f2933\">")
          .Append("<h1 style=\"font-size:1.3rem\">").Append(E(d.Title)).Append("</h1><ul id=\"digest-lines\">");
        foreach (var l in d.Lines)
        {
            sb.Append("<li data-kind=\"").Append(E(l.Kind)).Append("\" style=\"margin:.4rem 0\">").Append(E(l.Text));
            if (l.Link is not null)
            {
                sb.Append(" <a href=\"").Append(E(l.Link)).Append("\">open</a>");
            }
            sb.Append("</li>");
        }
        sb.Append("</ul><h2 style=\"font-size:1.05rem\">Satisfied share per day</h2><table id=\"digest-trend\" style=\"border-collapse:collapse;width:100%\">");
        foreach (var (day, sessions, satisfied, frustrated) in d.Trend)
        {
            var width = (int)Math.Round(Math.Clamp(satisfied, 0, 1) * 100);
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td style=\"padding:2px 6px;white-space:nowrap\">{day:yyyy-MM-dd}</td>")
              .Append(CultureInfo.InvariantCulture, $"<td style=\"width:70%\"><div style=\"background:#2f9e44;height:12px;width:{width}%\"></div></td>")
              .Append(CultureInfo.InvariantCulture, $"<td style=\"padding:2px 6px;text-align:right\">{Pct(satisfied)}</td><td style=\"padding:2px 6px;text-align:right;color:#c92a2a\">{Pct(frustrated)} frustrated</td><td style=\"padding:2px 6px;text-align:right\">{sessions:N0}</td></tr>");
        }
        return sb.Append("</table></body></html>").ToString();
    }

    private static string Pct(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    private static string Points(double delta) => (delta >= 0 ? "+" : "−") + Math.Abs(delta * 100).ToString("0.0", CultureInfo.InvariantCulture) + " points";
}
