using System.Globalization;
using System.Text;

namespace Waymark.Server.Analytics;

/// <summary>The tables of the experience report as CSV (RFC 4180: comma, CRLF, quotes doubled; a cell that starts a formula is prefixed with ').</summary>
public static class ExperienceCsv
{
    public static string Satisfaction(SatisfactionReport r) => Table(
        ["day", "sessions", "satisfied_share", "tolerating_share", "frustrated_share", "baseline_satisfied_share", "baseline_frustrated_share", "moved"],
        r.Days.Select(d => new object?[] { d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.Total, d.SatisfiedShare, d.ToleratingShare, d.FrustratedShare,
            d.BaselineSatisfiedShare, d.BaselineFrustratedShare, d.Moved }));

    public static string Groups(SatisfactionReport r) => Table(
        ["group", "key", "sessions", "satisfied", "tolerating", "frustrated", "converted", "apdex"],
        r.Groups.Select(g => new object?[] { g.Group, g.Key, g.Sessions, g.Satisfied, g.Tolerating, g.Frustrated, g.Converted, g.Apdex }));

    public static string Apdex(SatisfactionReport r) => Table(
        ["kind", "key", "satisfied", "tolerating", "frustrated", "apdex", "band"],
        r.Apdex.Select(a => new object?[] { a.Kind, a.Key, a.Satisfied, a.Tolerating, a.Frustrated, a.Score, a.Band }));

    public static string Pages(IReadOnlyList<PageRow> rows) => Table(
        ["page", "views", "load_p50_ms", "load_p75_ms", "load_p95_ms", "entrances", "bounces", "bounce_rate", "exits", "exit_rate", "mean_s_on_page", "median_s_on_page", "errors", "errors_per_view"],
        rows.Select(p => new object?[] { p.Page, p.Views, p.LoadP50, p.LoadP75, p.LoadP95, p.Entrances, p.Bounces, p.BounceRate, p.Exits, p.ExitRate,
            p.MeanSecondsOnPage, p.MedianSecondsOnPage, p.Errors, p.ErrorsPerView }));

    public static string Speed(SpeedReport r) => Table(
        ["from_ms", "to_ms", "sessions", "conversions", "rate"],
        r.Buckets.Select(b => new object?[] { b.FromMs, b.ToMs, b.Sessions, b.Conversions, b.Rate }));

    public static string Errors(IReadOnlyList<ErrorRow> rows) => Table(
        ["fingerprint", "message", "normalized", "top_frame", "first_seen", "last_seen", "occurrences", "sessions", "customers", "conversion_with", "expected_conversion",
            "lost_conversions", "lost_lower", "lost_upper", "noise"],
        rows.Select(e => new object?[] { e.Fingerprint, e.Message, e.Normalized, e.TopFrame, e.FirstSeen, e.LastSeen, e.Occurrences, e.Sessions, e.Customers,
            e.ConversionWith, e.ExpectedConversion, e.LostConversions, e.LostLower, e.LostUpper, e.Noise }));

    public static string ThirdParties(IReadOnlyList<ThirdPartyRow> rows) => Table(
        ["host", "calls", "failed", "failure_rate", "p50_ms", "p95_ms", "p99_ms", "sessions", "hurt_sessions", "conversion_hurt", "conversion_others", "lost_conversions", "lost_lower"],
        rows.Select(t => new object?[] { t.Host, t.Calls, t.Failed, t.FailureRate, t.P50, t.P95, t.P99, t.Sessions, t.HurtSessions, t.ConversionHurt,
            t.ConversionOthers, t.LostConversions, t.LostLower }));

    public static string Table(IReadOnlyList<string> header, IEnumerable<object?[]> rows)
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', header).Append("\r\n");
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                if (i > 0)
                {
                    sb.Append(',');
                }
                sb.Append(Cell(row[i]));
            }
            sb.Append("\r\n");
        }
        return sb.ToString();
    }

    private static string Cell(object? v) => v switch
    {
        null => "",
        bool b => b ? "true" : "false",
        double d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "",
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Text(v.ToString() ?? ""),
    };

    private static string Text(string s)
    {
        // A spreadsheet runs a cell that starts with = + - @ as a formula.
        if (s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            s = "'" + s;
        }
        return s.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
    }
}
