using Waymark.Core.Events;
using Waymark.Core.Sessions;

namespace Waymark.Core.Rules;

internal sealed partial class RuleReader
{
    private static readonly string[] s_patternKinds = ["sequence", "count", "experience"];
    private static readonly string[] s_contiguities = ["strict", "relaxed", "any"];
    private static readonly string[] s_matcherFields =
        ["type", "name", "url", "target", "message", "fingerprint", "method", "frustration", "touchpoint", "channel", "stage", "duration", "status", "value", "failed", "thirdParty", "props"];
    private static readonly string[] s_eventTypeNames =
        [.. Enumerable.Range(1, (int)EventType.SessionEnd).Select(i => EventTypes.Name((EventType)i))];

    /// <summary>Steps per sequence and repetitions per step at most: they bound a visitor's partial matches.</summary>
    public const int MaxSteps = 16;
    public const int MaxTimes = 20;
    /// <summary>The most events a count may wait for: a windowed count keeps that many times.</summary>
    public const int MaxCount = 100;

    private RulePattern? Pattern(YNode node, string path)
    {
        if (node.Kind != YKind.Mapping)
        {
            Error(node, path, "expected a pattern (a mapping with 'kind': sequence, count or experience)");
            return null;
        }
        var kindNode = node.Pairs.FirstOrDefault(p => p.Key.Value == "kind").Value;
        if (kindNode is null)
        {
            Error(node, Join(path, "kind"), "'kind' is required (sequence, count or experience)");
            return null;
        }
        var kind = Word(kindNode, Join(path, "kind"), "pattern kind", s_patternKinds);
        return kind switch
        {
            "sequence" => Sequence(Map(node, path, "a sequence", "kind", "contiguity", "within", "events", "steps")!),
            "count" => Count(Map(node, path, "a count", "kind", "match", "atLeast", "within")!),
            "experience" => Experience(Map(node, path, "an experience change", "kind", "becomes")!),
            _ => null,
        };
    }

    private SequencePattern? Sequence(Fields f)
    {
        var before = _errors.Count;
        var contiguity = Contiguity.Relaxed;
        if (f.TryGet("contiguity", out var c, out var cp) && Word(c, cp, "contiguity", s_contiguities) is { } cw)
        {
            contiguity = cw switch { "strict" => Contiguity.Strict, "any" => Contiguity.Any, _ => Contiguity.Relaxed };
        }
        var within = Duration(f, "within");
        uint types = 0;
        if (f.TryGet("events", out var ev, out var evp))
        {
            types = TypeMask(ev, evp);
        }
        var list = Required(f, "steps");
        var steps = new List<SequenceStep>();
        SequenceEnd? end = null;
        var path = Join(f.Path, "steps");
        if (list is not null && (list.Kind != YKind.Sequence || list.Items.Count == 0))
        {
            Error(list, path, "expected a list of steps");
        }
        else if (list is not null && list.Items.Count > MaxSteps)
        {
            Error(list, path, "at most " + MaxSteps + " steps");
        }
        else if (list is not null)
        {
            for (var i = 0; i < list.Items.Count; i++)
            {
                var item = list.Items[i];
                var ip = Index(path, i);
                var last = i == list.Items.Count - 1;
                if (item.Kind == YKind.Mapping && item.Pairs.Any(p => p.Key.Value is "absent" or "idle"))
                {
                    var e = EndStep(item, ip);
                    if (!last)
                    {
                        Error(item, ip, "an 'absent' or 'idle' step must be the last step (it fires at its deadline)");
                    }
                    else if (i == 0)
                    {
                        Error(item, ip, "an 'absent' or 'idle' step needs a step before it to wait after");
                    }
                    end = e;
                }
                else if (Step(item, ip, first: i == 0) is { } step)
                {
                    steps.Add(step);
                }
            }
        }
        if (_errors.Count > before)
        {
            return null;
        }
        return new SequencePattern { Contiguity = contiguity, Within = within, EventTypes = types, Steps = [.. steps], End = end };
    }

    private SequenceStep? Step(YNode node, string path, bool first)
    {
        var f = Map(node, path, "a step (match, absent or idle)", "match", "times", "atLeast", "within");
        if (f is null)
        {
            return null;
        }
        var match = Required(f, "match") is { } m ? Matcher(m, Join(path, "match")) : null;
        int min = 1, max = 1;
        if (f.Has("times") && f.Has("atLeast"))
        {
            Error(f.KeyOf("atLeast"), Join(path, "atLeast"), "use either 'times' or 'atLeast', not both");
        }
        else if (Int(f, "times", 1, MaxTimes) is { } times)
        {
            min = max = times;
        }
        else if (Int(f, "atLeast", 1, MaxTimes) is { } atLeast)
        {
            min = atLeast;
            max = int.MaxValue;
        }
        var within = Duration(f, "within");
        if (first && within is not null)
        {
            Error(f.KeyOf("within"), Join(path, "within"), "the first step has no step before it: put the window on the pattern ('within' beside 'steps')");
        }
        return match is null ? null : new SequenceStep { Match = match, Min = min, Max = max, Within = within };
    }

    private SequenceEnd? EndStep(YNode node, string path)
    {
        var idle = node.Pairs.Any(p => p.Key.Value == "idle");
        if (idle)
        {
            var f = Map(node, path, "an idle step", "idle", "progress")!;
            var d = Duration(f, "idle");
            var progress = f.TryGet("progress", out var pn, out var pp) ? Matcher(pn, pp) : EventMatcher.Progress;
            return d is null || progress is null ? null : new SequenceEnd { Kind = SequenceEndKind.Idle, Cancel = progress, For = d.Value };
        }
        var a = Map(node, path, "an absent step", "absent", "within")!;
        var cancel = Matcher(a.TryGet("absent", out var an, out var ap) ? an : node, ap);
        var within = Required(a, "within") is { } w ? Duration(w, Join(path, "within")) : null;
        return cancel is null || within is null ? null : new SequenceEnd { Kind = SequenceEndKind.Absent, Cancel = cancel, For = within.Value };
    }

    private CountPattern? Count(Fields f)
    {
        var match = Required(f, "match") is { } m ? Matcher(m, Join(f.Path, "match")) : null;
        var atLeast = Required(f, "atLeast") is { } n ? Int(n, Join(f.Path, "atLeast"), 1, MaxCount) : null;
        var within = Duration(f, "within");
        return match is null || atLeast is null ? null : new CountPattern { Match = match, AtLeast = atLeast.Value, Within = within };
    }

    private ExperiencePattern? Experience(Fields f)
    {
        var b = Required(f, "becomes");
        return b is not null && Word(b, Join(f.Path, "becomes"), "experience", s_experienceNames) is { } word
            && ExperienceScore.TryParse(word, out var e)
            ? new ExperiencePattern { Becomes = e }
            : null;
    }

    private uint TypeMask(YNode node, string path)
    {
        uint mask = 0;
        var items = node.Kind == YKind.Sequence ? node.Items : [node];
        for (var i = 0; i < items.Count; i++)
        {
            var ip = node.Kind == YKind.Sequence ? Index(path, i) : path;
            if (Word(items[i], ip, "event type", s_eventTypeNames) is { } name && EventTypes.TryParse(name, out var t))
            {
                mask |= 1u << (int)t;
            }
        }
        return mask;
    }

    private EventMatcher? Matcher(YNode node, string path)
    {
        var f = Map(node, path, "an event matcher", s_matcherFields);
        if (f is null)
        {
            return null;
        }
        var before = _errors.Count;
        var fields = new List<(EventField, ValueTest)>();
        void Field(string name, EventField field, TestKind kind, IReadOnlyCollection<string>? allowed = null)
        {
            if (f.TryGet(name, out var v, out var p) && Test(v, p, kind, allowed, name) is { } t)
            {
                fields.Add((field, t));
            }
        }
        var types = f.TryGet("type", out var tn, out var tp) ? TypeMask(tn, tp) : 0;
        Field("name", EventField.Name, TestKind.Text);
        Field("url", EventField.Url, TestKind.Text);
        Field("target", EventField.Target, TestKind.Text);
        Field("message", EventField.Message, TestKind.Text);
        Field("fingerprint", EventField.Fingerprint, TestKind.Text);
        Field("method", EventField.Method, TestKind.Text);
        Field("frustration", EventField.Frustration, TestKind.Text);
        Field("touchpoint", EventField.Touchpoint, TestKind.Text);
        Field("channel", EventField.Channel, TestKind.Text, Channels.All);
        Field("stage", EventField.Stage, TestKind.Text, _catalog.Stages);
        Field("duration", EventField.Duration, TestKind.Duration);
        Field("status", EventField.Status, TestKind.Number);
        Field("value", EventField.Value, TestKind.Number);
        var props = new List<(string, ValueTest)>();
        if (f.TryGet("props", out var pn, out var pp) && pn.Kind != YKind.Mapping)
        {
            Error(pn, pp, "expected property tests (a mapping of property name: test)");
        }
        else if (pn is not null && Map(pn, pp, "property tests", [.. pn.Pairs.Select(x => x.Key.Value ?? "")]) is { } pf)
        {
            foreach (var name in pf.Names)
            {
                pf.TryGet(name, out var v, out var vp);
                if (Test(v, vp, TestKind.Any, null, name) is { } t)
                {
                    props.Add((name, t));
                }
            }
        }
        var failed = Bool(f, "failed");
        var third = Bool(f, "thirdParty");
        return _errors.Count > before
            ? null
            : new EventMatcher { Types = types, Fields = [.. fields], Props = [.. props], Failed = failed, ThirdParty = third };
    }
}
