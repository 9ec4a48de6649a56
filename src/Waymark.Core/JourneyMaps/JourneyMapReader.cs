using System.Globalization;
using Waymark.Core.Rules;

namespace Waymark.Core.JourneyMaps;

/// <summary>
/// Reads a journey-map document, YAML or JSON (docs/journey-maps.md), checking
/// every field: errors carry line, column and path, and all of them are listed
/// (a syntax error stops the parser and is the only one). The YAML and JSON
/// syntax layer is the rule reader's (<see cref="YamlTree"/>, <see cref="JsonSyntax"/>).
/// </summary>
public sealed partial class JourneyMapReader
{
    /// <summary>The most stages a map may have.</summary>
    public const int MaxStages = 50;
    /// <summary>The most touchpoints a stage may have.</summary>
    public const int MaxTouchpoints = 50;

    private static readonly string[] s_mapFields = ["id", "goal", "version", "description", "owner", "conversion", "stages", "kpis"];
    private static readonly string[] s_stageFields = ["name", "description", "touchpoints"];
    private static readonly string[] s_touchpointFields = ["id", "name", "channel", "match", "expectedDuration", "expectation", "systems", "department", "kpis", "optional", "repeatable"];
    private static readonly string[] s_matchFields = ["page", "screen", "event", "properties"];
    private static readonly string[] s_matchKinds = ["page", "screen", "event"];
    private static readonly string[] s_kpiFields = ["name", "target", "description"];

    private readonly List<JourneyMapError> _errors = [];

    private JourneyMapReader()
    {
    }

    /// <summary>Reads a YAML or JSON document into a map, or lists every error.</summary>
    public static JourneyMapParseResult Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reader = new JourneyMapReader();
        if (string.IsNullOrWhiteSpace(text))
        {
            reader._errors.Add(new JourneyMapError(1, 1, "", "the document is empty: it needs a mapping with 'id', 'goal' and 'stages'"));
            return new JourneyMapParseResult(null, reader._errors);
        }
        var syntax = new List<RuleError>();
        var root = JsonSyntax.LooksLikeJson(text) && !JsonSyntax.Check(text, syntax) ? null : YamlTree.Load(text, syntax);
        reader._errors.AddRange(syntax.Select(e => new JourneyMapError(e.Line, e.Column, e.Path, e.Message)));
        var map = root is null ? null : reader.Document(root);
        var errors = reader._errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToArray();
        return new JourneyMapParseResult(errors.Length == 0 ? map : null, errors);
    }

    private JourneyMap? Document(YNode root)
    {
        var f = Map(root, "", "a journey map", s_mapFields);
        if (f is null)
        {
            return null;
        }
        var id = Slug(f, "id", required: true);
        var goal = Text(f, "goal", required: true);
        var version = f.TryGet("version", out var vn, out var vp) ? Int(vn, vp, 1, int.MaxValue) : 1;
        var stages = new List<JourneyStage>();
        if (Required(f, "stages") is { } sn && List(sn, Join("", "stages"), "a list of stages", 1, MaxStages) is { } items)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            var touchpointIds = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < items.Count; i++)
            {
                var path = Index("stages", i);
                if (Stage(items[i], path, touchpointIds) is { } stage)
                {
                    if (!names.Add(stage.Name))
                    {
                        Error(items[i], Join(path, "name"), "a stage named '" + stage.Name + "' is already in the map: stage names must be unique");
                    }
                    stages.Add(stage);
                }
            }
        }
        var kpis = f.TryGet("kpis", out var kn, out var kp) ? Kpis(kn, kp) : [];
        if (id is null || goal is null || version is null)
        {
            return null;
        }
        return new JourneyMap
        {
            Id = id,
            Goal = goal,
            Version = version.Value,
            Description = Text(f, "description"),
            Owner = Text(f, "owner"),
            Conversion = Text(f, "conversion"),
            Stages = stages,
            Kpis = kpis,
        };
    }

    private JourneyStage? Stage(YNode node, string path, HashSet<string> touchpointIds)
    {
        var f = Map(node, path, "a stage", s_stageFields);
        if (f is null)
        {
            return null;
        }
        var name = Text(f, "name", required: true);
        var touchpoints = new List<Touchpoint>();
        if (Required(f, "touchpoints") is { } tn && List(tn, Join(path, "touchpoints"), "a list of touchpoints", 1, MaxTouchpoints) is { } items)
        {
            for (var i = 0; i < items.Count; i++)
            {
                var tpath = Index(Join(path, "touchpoints"), i);
                if (TouchpointAt(items[i], tpath) is { } t)
                {
                    if (!touchpointIds.Add(t.Id))
                    {
                        Error(items[i], Join(tpath, "id"), "a touchpoint with id '" + t.Id + "' is already in the map: touchpoint ids must be unique");
                    }
                    touchpoints.Add(t);
                }
            }
        }
        return name is null ? null : new JourneyStage { Name = name, Description = Text(f, "description"), Touchpoints = touchpoints };
    }

    private Touchpoint? TouchpointAt(YNode node, string path)
    {
        var f = Map(node, path, "a touchpoint", s_touchpointFields);
        if (f is null)
        {
            return null;
        }
        var id = Slug(f, "id", required: true);
        var name = Text(f, "name", required: true);
        var channel = Text(f, "channel", required: true);
        var match = Required(f, "match") is { } mn ? Matcher(mn, Join(path, "match")) : null;
        TimeSpan? expected = f.TryGet("expectedDuration", out var en, out var ep) ? Duration(en, ep) : null;
        var systems = f.TryGet("systems", out var sn, out var sp) ? Texts(sn, sp) : [];
        var kpis = f.TryGet("kpis", out var kn, out var kp) ? Texts(kn, kp) : [];
        var optional = f.TryGet("optional", out var on, out var op) && (Bool(on, op) ?? false);
        var repeatable = f.TryGet("repeatable", out var rn, out var rp) && (Bool(rn, rp) ?? false);
        if (id is null || name is null || channel is null || match is null)
        {
            return null;
        }
        return new Touchpoint
        {
            Id = id,
            Name = name,
            Channel = channel,
            Match = match,
            ExpectedDuration = expected,
            Expectation = Text(f, "expectation"),
            Systems = systems,
            Department = Text(f, "department"),
            Kpis = kpis,
            Optional = optional,
            Repeatable = repeatable,
        };
    }

    private TouchpointMatcher? Matcher(YNode node, string path)
    {
        var f = Map(node, path, "a matcher", s_matchFields);
        if (f is null)
        {
            return null;
        }
        var page = Text(f, "page");
        var screen = Text(f, "screen");
        var name = Text(f, "event");
        var set = s_matchKinds.Where(f.Has).ToArray();
        if (set.Length != 1)
        {
            Error(node, path, set.Length == 0
                ? "a matcher needs one of 'page', 'screen' or 'event'"
                : "a matcher has exactly one of 'page', 'screen' or 'event' (found " + string.Join(", ", set) + ")");
            return null;
        }
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        if (f.TryGet("properties", out var pn, out var pp))
        {
            if (pn.Kind != YKind.Mapping)
            {
                Error(pn, pp, "expected a mapping of property names to values");
            }
            else
            {
                foreach (var (k, v) in pn.Pairs)
                {
                    var kpath = Join(pp, k.Value ?? "?");
                    if (k.Kind != YKind.Scalar || string.IsNullOrEmpty(k.Value))
                    {
                        Error(k, pp, "a property name must be a plain name");
                    }
                    else if (v.Kind != YKind.Scalar || v.IsNull)
                    {
                        Error(v, kpath, "expected the value the property must have");
                    }
                    else if (!properties.TryAdd(k.Value, v.Value!))
                    {
                        Error(k, kpath, "duplicate property '" + k.Value + "'");
                    }
                }
            }
        }
        return new TouchpointMatcher { Page = page, Screen = screen, Event = name, Properties = properties };
    }

    private List<JourneyKpi> Kpis(YNode node, string path)
    {
        var kpis = new List<JourneyKpi>();
        if (List(node, path, "a list of KPIs", 0, 100) is not { } items)
        {
            return kpis;
        }
        for (var i = 0; i < items.Count; i++)
        {
            var kpath = Index(path, i);
            var f = Map(items[i], kpath, "a KPI", s_kpiFields);
            if (f is not null && Text(f, "name", required: true) is { } name)
            {
                kpis.Add(new JourneyKpi(name, Text(f, "target"), Text(f, "description")));
            }
        }
        return kpis;
    }

    private static string Index(string path, int i) => path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
}
