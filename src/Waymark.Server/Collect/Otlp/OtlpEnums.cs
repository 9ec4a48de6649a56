using System.Collections.Frozen;

namespace Waymark.Server.Collect.Otlp;

/// <summary>
/// The names of the OTLP enums Waymark reads. OTLP/JSON writes enums as
/// integers; some senders write the names, which the protobuf JSON mapping allows.
/// </summary>
internal static class OtlpEnums
{
    public const int SeverityError = 17;
    public const int SeverityFatal = 21;

    public static readonly FrozenDictionary<string, int> SpanKind = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["SPAN_KIND_UNSPECIFIED"] = 0,
        ["SPAN_KIND_INTERNAL"] = 1,
        ["SPAN_KIND_SERVER"] = 2,
        ["SPAN_KIND_CLIENT"] = 3,
        ["SPAN_KIND_PRODUCER"] = 4,
        ["SPAN_KIND_CONSUMER"] = 5,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static readonly FrozenDictionary<string, int> StatusCode = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["STATUS_CODE_UNSET"] = 0,
        ["STATUS_CODE_OK"] = 1,
        ["STATUS_CODE_ERROR"] = 2,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>SEVERITY_NUMBER_TRACE = 1 … TRACE4 = 4, DEBUG = 5 …, INFO = 9 …, WARN = 13 …, ERROR = 17 …, FATAL = 21 … FATAL4 = 24.</summary>
    public static readonly FrozenDictionary<string, int> Severity = BuildSeverity();

    private static FrozenDictionary<string, int> BuildSeverity()
    {
        var names = new Dictionary<string, int>(StringComparer.Ordinal) { ["SEVERITY_NUMBER_UNSPECIFIED"] = 0 };
        string[] levels = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];
        for (var i = 0; i < levels.Length; i++)
        {
            names["SEVERITY_NUMBER_" + levels[i]] = 1 + 4 * i;
            for (var n = 2; n <= 4; n++)
            {
                names["SEVERITY_NUMBER_" + levels[i] + n.ToString(System.Globalization.CultureInfo.InvariantCulture)] = 4 * i + n;
            }
        }
        return names.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
