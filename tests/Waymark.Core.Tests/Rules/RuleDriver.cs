using System.Text.Json;
using Waymark.Core.Events;
using Waymark.Core.Journeys;
using Waymark.Core.Rules;
using Waymark.Core.Sessions;

namespace Waymark.Core.Tests.Rules;

/// <summary>
/// Drives a rules state by hand the way a journey does: sessions, events
/// folded into real session summaries, deadlines at their due time. Every
/// call is logged so that <see cref="Replay"/> can feed a fresh state the same
/// calls with Replaying set.
/// </summary>
internal sealed class RuleDriver
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 10, 10, 0, 0, TimeSpan.Zero);

    private readonly List<Action<RuleDriver>> _log = [];
    private readonly Dictionary<string, (SessionAggregator Agg, BatchContext Ctx)> _sessions = new(StringComparer.Ordinal);
    private int _ids;

    public RuleDriver(string document, RulesOptions? options = null, IStageProvider? stages = null, ICustomerFacts? facts = null,
        string app = "shop", string visitor = "v1")
    {
        var parsed = RuleSet.Parse(document);
        Assert.True(parsed.Ok, string.Join("\n", parsed.Errors));
        Logic = new RulesLogic(new Dictionary<string, RuleSet> { [app] = parsed.Rules! },
            options ?? new RulesOptions { DeadlineGrace = TimeSpan.Zero }, stages, facts);
        App = app;
        Visitor = visitor;
        State = Logic.Create(app, visitor) ?? throw new InvalidOperationException("no state");
        Context = new JourneyContext { App = app, Visitor = visitor, Logic = Logic.Name };
    }

    private RuleDriver(RuleDriver live)
    {
        Logic = live.Logic;
        App = live.App;
        Visitor = live.Visitor;
        State = Logic.Create(App, Visitor)!;
        Context = new JourneyContext { App = App, Visitor = Visitor, Logic = Logic.Name, Replaying = true };
    }

    public RulesLogic Logic { get; }
    public string App { get; }
    public string Visitor { get; }
    public IJourneyLogicState State { get; }
    public JourneyContext Context { get; }
    public List<JourneySignal> Signals { get; } = [];

    /// <summary>The signals' props, parsed.</summary>
    public List<JsonElement> Props => [.. Signals.Select(s => JsonDocument.Parse(s.Props!).RootElement)];

    public List<string> Outcomes => [.. Props.Select(p => p.GetProperty("rule").GetString() + ":" + p.GetProperty("outcome").GetString())];

    /// <summary>Starts a session at <paramref name="at"/> with the batch context given.</summary>
    public string Start(string session, DateTimeOffset at, Func<BatchContext, BatchContext>? context = null)
    {
        var ctx = new BatchContext { App = App, Channel = "web", Visitor = Visitor, ClientSession = session, Received = at, DeviceClass = "desktop" };
        ctx = context?.Invoke(ctx) ?? ctx;
        Run(d =>
        {
            var agg = new SessionAggregator(SessionAggregator.Begin(ctx, session, at), new ApdexThresholds());
            d._sessions[session] = (agg, ctx);
            d.Context.Now = at;
            d.State.OnSessionStarted(agg.Summary, d.Context);
        });
        return session;
    }

    /// <summary>Changes the batch context of later events of a session (consent given, login...).</summary>
    public void Context2(string session, Func<BatchContext, BatchContext> change) =>
        Run(d => d._sessions[session] = (d._sessions[session].Agg, change(d._sessions[session].Ctx)));

    public EventRecord Event(string session, EventType type, DateTimeOffset at, string? name = null, double? duration = null,
        string? props = null, bool failed = false, string? id = null)
    {
        var e = new EventRecord
        {
            EventId = id ?? "e" + (++_ids).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Type = type,
            Timestamp = at,
            Name = name,
            Duration = duration,
            Props = props,
            Failed = failed,
        };
        Apply(session, e);
        return e;
    }

    public void Apply(string session, EventRecord e) => Run(d =>
    {
        var (agg, ctx) = d._sessions[session];
        agg.Add(ctx, e);
        d.Context.Now = e.Timestamp;
        d.State.OnEvent(agg.Summary, e, d.Context);
    });

    public EventRecord View(string s, DateTimeOffset at, string name) => Event(s, EventType.View, at, name);
    public EventRecord Act(string s, DateTimeOffset at, string name, double? duration = null) => Event(s, EventType.Action, at, name, duration);
    public EventRecord Error(string s, DateTimeOffset at) => Event(s, EventType.Error, at, "TypeError");

    public void End(string session, DateTimeOffset at, string reason = "app") => Run(d =>
    {
        var agg = d._sessions[session].Agg;
        agg.Summary.Ended = true;
        agg.Summary.EndReason = reason;
        d.Context.Now = at;
        d.State.OnSessionEnded(agg.Summary, d.Context);
    });

    /// <summary>Calls OnDeadline at the state's deadline, as the journey's timer does; false when there is none.</summary>
    public bool FireDeadline()
    {
        if (State.Deadline is not { } due)
        {
            return false;
        }
        Run(d =>
        {
            d.Context.Now = due;
            d.State.OnDeadline(d.Context);
        });
        return true;
    }

    /// <summary>A fresh state fed every call made so far with Replaying set; then live again.</summary>
    public RuleDriver Replay()
    {
        var again = new RuleDriver(this) { _ids = _ids };
        foreach (var call in _log)
        {
            again.Run(call);
        }
        again.Context.Replaying = false;
        return again;
    }

    private void Run(Action<RuleDriver> call)
    {
        _log.Add(call);
        call(this);
        if (Context.TakeSignals() is { } s)
        {
            Signals.AddRange(s);
        }
    }
}
