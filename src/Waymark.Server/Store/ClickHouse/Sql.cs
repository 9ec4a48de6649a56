using System.Globalization;
using System.Text;

namespace Waymark.Server.Store.ClickHouse;

/// <summary>
/// Literals for ClickHouse SQL. ClickHouse 18.16 has no query parameters, so
/// every value is written as a literal by these functions and nothing else:
/// strings are quoted with every backslash and quote escaped (and control
/// characters written as escapes), numbers in the invariant culture.
/// </summary>
internal static class Sql
{
    public static string Str(string? s)
    {
        if (s is null)
        {
            return "NULL";
        }
        var sb = new StringBuilder(s.Length + 2).Append('\'');
        foreach (var c in s)
        {
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case '\'': sb.Append(@"\'"); break;
                case '\n': sb.Append(@"\n"); break;
                case '\r': sb.Append(@"\r"); break;
                case '\t': sb.Append(@"\t"); break;
                case '\0': sb.Append(@"\0"); break;
                default:
                    if (char.IsControl(c))
                    {
                        sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
        return sb.Append('\'').ToString();
    }

    public static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>Microseconds since the Unix epoch, as the tables keep times.</summary>
    public static long Us(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset FromUs(long us) => new(DateTimeOffset.UnixEpoch.UtcTicks + (us * 10), TimeSpan.Zero);

    /// <summary>('a', 'b', …) for an IN list; never empty (an empty set matches nothing).</summary>
    public static string List(IEnumerable<string> values)
    {
        var items = values.Select(Str).ToList();
        return items.Count == 0 ? "(NULL)" : "(" + string.Join(", ", items) + ")";
    }
}
