using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Waymark.Core.Journeys;

using Waymark.Core.Experiments;

namespace Waymark.Core.Rules;

/// <summary>
/// Restraint: what happens to the rules that matched on one input (an event,
/// or the deadlines due at once). In order of priority (then document order),
/// each match is decided: no-consent when its actions need more consent than
/// the customer gave; capped at its per-session or per-day cap; suppressed
/// when a higher-priority rule already fired on this input, or in the app's
/// quiet period; otherwise it is the input's one firing, held-out when the
/// customer's bucket is in the rule's holdout. Held-out firings count for
/// caps and the quiet period like acted-on ones, so the two groups see the
/// same restraint and the comparison between them is fair. Every match is
/// emitted with its outcome, so the history has it.
/// </summary>
internal sealed partial class RulesState
{
    private void Decide(List<Candidate> candidates, JourneyContext context, long now)
    {
        var rules = _set.Enabled;
        var order = new List<(Candidate C, ConditionInput In, int Seq)>(candidates.Count);
        for (var i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            var input = Input(c.Slot);
            if (rules[c.Rule].Conditions.Holds(input))
            {
                order.Add((c, input, i));
            }
        }
        order.Sort((a, b) => rules[a.C.Rule].Priority != rules[b.C.Rule].Priority
            ? rules[b.C.Rule].Priority.CompareTo(rules[a.C.Rule].Priority)
            : a.C.Rule != b.C.Rule ? a.C.Rule.CompareTo(b.C.Rule) : a.Seq.CompareTo(b.Seq));
        Rule? winner = null;
        var settings = _set.Settings;
        foreach (var (c, input, _) in order)
        {
            var rule = rules[c.Rule];
            var bucket = Holdout.Bucket(_app, rule.Id, input.Customer);
            var perSession = c.Slot.Get<RuleSessionState>(c.Rule, rules.Length);
            var day = rule.Caps.PerDay is null ? 0 : DayOf(now);
            var firedToday = _days is not null && _days[c.Rule].Day == day ? _days[c.Rule].Fired : 0;
            string outcome, reason;
            if (input.Consent < rule.RequiredConsent)
            {
                outcome = "no-consent";
                reason = "the actions need " + ConsentLevels.Name(rule.RequiredConsent) + " consent; the customer's is "
                    + ConsentLevels.Name(input.Consent) + (c.Slot.Session.Consent is null ? " (not said: the app's default)" : "");
            }
            else if (rule.Caps.PerSession is { } ps && perSession.Fired >= ps)
            {
                outcome = "capped";
                reason = "per-session cap of " + ps.ToString(CultureInfo.InvariantCulture) + " reached";
            }
            else if (rule.Caps.PerDay is { } pd && firedToday >= pd)
            {
                outcome = "capped";
                reason = "per-day cap of " + pd.ToString(CultureInfo.InvariantCulture) + " reached on "
                    + DateOnly.FromDayNumber(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " (" + settings.TimeZone.Id + ")";
            }
            else if (winner is not null)
            {
                outcome = "suppressed";
                reason = "priority: rule " + winner.Id + " (priority " + winner.Priority.ToString(CultureInfo.InvariantCulture) + ") fired on the same input";
            }
            else if (_lastFiredRule >= 0 && settings.QuietPeriod > TimeSpan.Zero && now - _lastFired < settings.QuietPeriod.Ticks)
            {
                outcome = "suppressed";
                reason = "quiet period: rule " + rules[_lastFiredRule].Id + " fired at " + Iso(_lastFired);
            }
            else
            {
                winner = rule;
                var heldOut = bucket < Holdout.Threshold(rule.Holdout);
                outcome = heldOut ? "held-out" : "fired";
                reason = heldOut
                    ? "bucket " + bucket.ToString(CultureInfo.InvariantCulture) + " is below " + Holdout.Threshold(rule.Holdout).ToString(CultureInfo.InvariantCulture) + " (holdout)"
                    : "matched";
                perSession.Fired++;
                if (rule.Caps.PerDay is not null)
                {
                    _days ??= new DayCount[rules.Length];
                    _days[c.Rule] = new DayCount { Day = day, Fired = firedToday + 1 };
                }
                _lastFired = now;
                _lastFiredRule = c.Rule;
            }
            // Emit drops the signal while replaying; do not build it for nothing.
            if (!context.Replaying)
            {
                context.Emit(rule.Id, Signal(rule, c, input, outcome, reason, bucket, now));
            }
        }
    }

    private ConditionInput Input(Slot slot)
    {
        var session = slot.Session;
        var consent = ConsentLevels.TryParse(session.Consent, out var said) ? said : _set.Settings.ConsentDefault;
        var customer = session.UserTag ?? _visitor;
        var returning = _logic.Customers?.IsReturning(_app, customer, session) ?? slot.SeenBefore;
        return new ConditionInput(_app, session, slot.Stage, consent, customer, session.UserTag is not null, returning, _logic.Customers);
    }

    private int DayOf(long ticks) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(new DateTimeOffset(ticks, TimeSpan.Zero), _set.Settings.TimeZone).DateTime).DayNumber;

    private static string Iso(long ticks) => new DateTimeOffset(ticks, TimeSpan.Zero).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <summary>The signal's props: the JSON object documented in rules.md ("The signal").</summary>
    private string Signal(Rule rule, in Candidate c, in ConditionInput input, string outcome, string reason, int bucket, long now)
    {
        var session = c.Slot.Session;
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("rule", rule.Id);
            w.WriteNumber("version", rule.Version);
            w.WriteString("outcome", outcome);
            w.WriteString("reason", reason);
            w.WriteNumber("priority", rule.Priority);
            w.WriteString("pattern", rule.PatternKind);
            w.WritePropertyName("actions");
            w.WriteRawValue(rule.ActionsJson, skipInputValidation: true);
            w.WriteString("app", _app);
            w.WriteString("session", session.SessionId);
            w.WriteString("channel", session.Channel);
            w.WriteString("visitor", _visitor);
            w.WriteString("customer", input.Customer);
            w.WriteBoolean("identified", input.Identified);
            w.WriteString("consent", ConsentLevels.Name(input.Consent));
            w.WriteBoolean("consentSaid", session.Consent is not null);
            if (input.Stage is not null)
            {
                w.WriteString("stage", input.Stage);
            }
            w.WriteNumber("bucket", bucket);
            w.WriteNumber("holdout", rule.Holdout);
            w.WriteStartArray("events");
            for (var i = 0; i < Math.Min(c.IdCount, c.Ids.Length); i++)
            {
                w.WriteStringValue(c.Ids[i]);
            }
            w.WriteEndArray();
            w.WriteNumber("eventCount", c.IdCount);
            w.WriteString("firstAt", Iso(c.First));
            w.WriteString("lastAt", Iso(c.Last));
            if (c.Due != 0)
            {
                w.WriteString("dueAt", Iso(c.Due));
            }
            w.WriteString("at", Iso(now));
            w.WriteNumber("attributionWindowSeconds", (long)rule.AttributionWindow.TotalSeconds);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
