using Waymark.Core.Enrichment;
using Waymark.Core.Events;

namespace Waymark.Core.Rules;

internal sealed partial class RuleReader
{
    private static readonly string[] s_documentFields = ["version", "settings", "rules"];
    private static readonly string[] s_settingsFields = ["timeZone", "consentDefault", "quietPeriod", "holdout", "maxPartialMatches"];
    private static readonly string[] s_ruleFields = ["id", "version", "description", "enabled", "priority", "holdout", "when", "pattern", "caps", "actions", "attributionWindow"];
    private static readonly string[] s_capsFields = ["perSession", "perDay"];
    private static readonly string[] s_whenFields = ["channel", "deviceClass", "country", "appVersion", "touchpoint", "customer", "userTag", "tags", "consent", "stage", "experience"];
    private static readonly string[] s_tagsFields = ["anyOf", "allOf", "noneOf"];
    private static readonly string[] s_consentNames = ["full", "analytics", "none"];
    private static readonly string[] s_experienceNames = ["satisfied", "tolerating", "frustrated"];
    private static readonly string[] s_deviceClasses = [DeviceClasses.Desktop, DeviceClasses.Mobile, DeviceClasses.Tablet, DeviceClasses.Bot, DeviceClasses.Unknown];

    /// <summary>The most rules one app may have: every visitor's state holds a slot per rule.</summary>
    public const int MaxRules = 200;

    private RuleSet? Document(YNode root)
    {
        var doc = Map(root, "", "a rule document", s_documentFields);
        if (doc is null)
        {
            return null;
        }
        if (doc.TryGet("version", out var v, out var vp) && Int(v, vp, 1, 1) is null)
        {
            // Int reported it; version 1 is the only schema so far.
        }
        var settings = doc.TryGet("settings", out var s, out var sp) ? Settings(s, sp) : new RuleSettings();
        var list = Required(doc, "rules");
        var rules = new List<Rule>();
        if (list is not null)
        {
            if (list.Kind != YKind.Sequence)
            {
                Error(list, "rules", "expected a list of rules");
            }
            else if (list.Items.Count > MaxRules)
            {
                Error(list, "rules", "at most " + MaxRules + " rules per app");
            }
            else
            {
                var ids = new HashSet<string>(StringComparer.Ordinal);
                for (var i = 0; i < list.Items.Count; i++)
                {
                    if (RuleAt(list.Items[i], Index("rules", i), settings ?? new RuleSettings(), ids) is { } rule)
                    {
                        rules.Add(rule);
                    }
                }
            }
        }
        return settings is null ? null : new RuleSet(settings, rules);
    }

    private RuleSettings? Settings(YNode node, string path)
    {
        var f = Map(node, path, "the settings", s_settingsFields);
        if (f is null)
        {
            return null;
        }
        var zone = TimeZoneInfo.Utc;
        if (f.TryGet("timeZone", out var z, out var zp) && Text(z, zp, "a time zone id such as Europe/Zurich") is { } id)
        {
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found))
            {
                Error(z, zp, "unknown time zone '" + id + "' (use an IANA id such as Europe/Zurich, or UTC)");
            }
            zone = found ?? zone;
        }
        var consent = ConsentLevel.Analytics;
        if (f.TryGet("consentDefault", out var c, out var cp) && ConsentLevels.TryParse(Word(c, cp, "consent level", s_consentNames), out var said))
        {
            consent = said;
        }
        var quiet = f.TryGet("quietPeriod", out var q, out var qp) ? Duration(q, qp) ?? TimeSpan.Zero : TimeSpan.Zero;
        var holdout = f.TryGet("holdout", out var h, out var hp) ? Share(h, hp) ?? 0.10 : 0.10;
        var partial = Int(f, "maxPartialMatches", 1, 64) ?? 8;
        return new RuleSettings { TimeZone = zone, ConsentDefault = consent, QuietPeriod = quiet, Holdout = holdout, MaxPartialMatches = partial };
    }

    private Rule? RuleAt(YNode node, string path, RuleSettings settings, HashSet<string> ids)
    {
        var f = Map(node, path, "a rule", s_ruleFields);
        if (f is null)
        {
            return null;
        }
        var before = _errors.Count;
        string? id = null;
        if (Required(f, "id") is { } idNode)
        {
            id = Text(idNode, Join(path, "id"), "a rule id");
            if (id is not null && !ValidId(id))
            {
                Error(idNode, Join(path, "id"), "a rule id is 1 to 64 letters, digits, '.', '_' or '-'");
            }
            else if (id is not null && !ids.Add(id))
            {
                Error(idNode, Join(path, "id"), "rule id '" + id + "' is used twice");
            }
        }
        var version = Int(f, "version", 1, int.MaxValue) ?? 1;
        var description = f.TryGet("description", out var d, out var dp) ? Text(d, dp) : null;
        var enabled = Bool(f, "enabled") ?? true;
        var priority = Int(f, "priority", -1_000_000, 1_000_000) ?? 0;
        var holdout = f.TryGet("holdout", out var h, out var hp) ? Share(h, hp) ?? settings.Holdout : settings.Holdout;
        var when = f.TryGet("when", out var w, out var wp) ? Conditions(w, wp) : RuleConditions.Always;
        var pattern = Required(f, "pattern") is { } pn ? Pattern(pn, Join(path, "pattern")) : null;
        var caps = f.TryGet("caps", out var c, out var cp) ? Caps(c, cp) : RuleCaps.None;
        var actions = f.TryGet("actions", out var a, out var ap) ? Actions(a, ap) : [];
        var attribution = f.TryGet("attributionWindow", out var aw, out var awp) ? Duration(aw, awp) ?? TimeSpan.FromHours(24) : TimeSpan.FromHours(24);
        if (_errors.Count > before || id is null || pattern is null)
        {
            return null;
        }
        return new Rule
        {
            Id = id,
            Version = version,
            Description = description,
            Enabled = enabled,
            Priority = priority,
            Holdout = holdout,
            Conditions = when ?? RuleConditions.Always,
            Pattern = pattern,
            Caps = caps ?? RuleCaps.None,
            Actions = actions,
            RequiredConsent = actions.Count == 0 ? ConsentLevel.None : actions.Max(x => x.Consent),
            ActionsJson = ActionsJson(actions),
            AttributionWindow = attribution,
            Line = node.Line,
        };
    }

    private static bool ValidId(string id) =>
        id.Length <= 64 && id.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_' or '-');

    private RuleCaps? Caps(YNode node, string path)
    {
        var f = Map(node, path, "caps", s_capsFields);
        return f is null ? null : new RuleCaps(Int(f, "perSession", 1, 10_000), Int(f, "perDay", 1, 10_000));
    }

    private RuleConditions? Conditions(YNode node, string path)
    {
        var f = Map(node, path, "conditions", s_whenFields);
        if (f is null)
        {
            return null;
        }
        ValueTest? T(string name, TestKind kind, IReadOnlyCollection<string>? allowed, string what) =>
            f.TryGet(name, out var v, out var p) ? Test(v, p, kind, allowed, what) : null;
        bool? Either(string name, string yes, string no) =>
            f.TryGet(name, out var v, out var p) && Word(v, p, name, [yes, no]) is { } word ? word == yes : null;
        return new RuleConditions
        {
            Channel = T("channel", TestKind.Text, Channels.All, "channel"),
            DeviceClass = T("deviceClass", TestKind.Text, s_deviceClasses, "device class"),
            Country = T("country", TestKind.Text, null, "country"),
            AppVersion = T("appVersion", TestKind.Version, null, "app version"),
            Touchpoint = T("touchpoint", TestKind.Text, null, "touchpoint"),
            Consent = T("consent", TestKind.Text, s_consentNames, "consent level"),
            Stage = T("stage", TestKind.Text, _catalog.Stages, "stage"),
            Experience = T("experience", TestKind.Text, s_experienceNames, "experience"),
            Returning = Either("customer", "returning", "new"),
            Identified = Either("userTag", "present", "absent"),
            TagsAnyOf = Tags(f, "anyOf"),
            TagsAllOf = Tags(f, "allOf"),
            TagsNoneOf = Tags(f, "noneOf"),
        };
    }

    /// <summary>tags: a list (any of them) or a mapping of anyOf / allOf / noneOf lists.</summary>
    private string[]? Tags(Fields when, string which)
    {
        if (!when.TryGet("tags", out var node, out var path))
        {
            return null;
        }
        if (node.Kind == YKind.Sequence)
        {
            return which == "anyOf" ? Names(node, path, _catalog.Tags, "tag") : null;
        }
        // Read the mapping once (for anyOf) so its errors are reported once.
        var f = which == "anyOf" ? Map(node, path, "tags (a list, or anyOf / allOf / noneOf)", s_tagsFields) : node.Kind == YKind.Mapping ? Quiet(node, path) : null;
        return f is not null && f.TryGet(which, out var list, out var lp) ? Names(list, lp, _catalog.Tags, "tag") : null;
    }

    /// <summary>The fields of a mapping already checked by an earlier <see cref="Map"/>.</summary>
    private static Fields Quiet(YNode node, string path)
    {
        var f = new Fields(node, path);
        foreach (var (k, v) in node.Pairs)
        {
            if (k.Kind == YKind.Scalar)
            {
                f.Add(k.Value!, k, v);
            }
        }
        return f;
    }

    private string[]? Names(YNode node, string path, IReadOnlyCollection<string>? allowed, string what)
    {
        if (node.Kind != YKind.Sequence || node.Items.Count == 0)
        {
            Error(node, path, "expected a list of " + what + "s");
            return null;
        }
        var names = new List<string>();
        for (var i = 0; i < node.Items.Count; i++)
        {
            var item = node.Items[i];
            var name = allowed is null ? Text(item, Index(path, i), "a " + what) : Word(item, Index(path, i), what, allowed);
            if (name is not null)
            {
                names.Add(name);
            }
        }
        return [.. names];
    }
}
