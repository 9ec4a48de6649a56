using Waymark.Core.Events;
using Waymark.Core.Experiments;
using Waymark.Server.Store;

namespace Waymark.Server.Rules;

/// <summary>The proof of one rule over a range of matches: acted-on against held-out conversion, and the uplift.</summary>
/// <param name="Customers">Customers matched (each counted once, at their first match in the range).</param>
/// <param name="Uplift">Null when a group is empty.</param>
public sealed record RuleProofResult(
    string App, string Rule, DateTimeOffset From, DateTimeOffset To, TimeSpan AttributionWindow, double Confidence,
    int Customers, int ActedOn, int ActedConverted, int HeldOut, int HeldConverted, UpliftResult? Uplift);

/// <summary>
/// definitions.md, "Holdout and uplift": per rule, the customers it matched in
/// the range, fired (acted on) or held out (capped, suppressed and no-consent
/// matches were neither, and are left out); a customer converted when its
/// first conversion event after its first match came within the rule's
/// attribution window. Uplift = acted-on rate − held-out rate, with the 95 %
/// interval of <see cref="Uplift"/> (Newcombe's hybrid score by default).
/// Conversions are read from the sessions (the same stream every analysis
/// uses), from the range's start to its end plus the window.
/// </summary>
public static class RuleProof
{
    public static async Task<RuleProofResult> ComputeAsync(
        IRuleHistory history, ISessionEvents sessions, string app, string rule, TimeSpan window, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken, double confidence = 0.95)
    {
        var firings = await history.ListFiringsAsync(new RuleFiringQuery(app, rule, from, to, Limit: 100_000), cancellationToken);
        // Each customer once, at the first match that was acted on or held out.
        var first = new Dictionary<string, RuleFiring>(StringComparer.Ordinal);
        foreach (var f in firings.OrderBy(f => f.At))
        {
            if (f.Outcome is "fired" or "held-out")
            {
                first.TryAdd(f.Customer, f);
            }
        }
        var converted = new Dictionary<string, List<DateTimeOffset>>(StringComparer.Ordinal);
        if (first.Count > 0)
        {
            // Sessions that began up to a day before the first match may hold a conversion after it.
            var query = new SessionEventsQuery(app, from - TimeSpan.FromDays(1), to + window);
            await foreach (var s in sessions.ReadSessionEventsAsync(query, cancellationToken))
            {
                var customer = s.Session.UserTag ?? s.Session.Visitor;
                if (!s.Session.Converted || !first.ContainsKey(customer))
                {
                    continue;
                }
                foreach (var e in s.Events)
                {
                    if (e.Event.Type == EventType.Conversion)
                    {
                        (converted.TryGetValue(customer, out var l) ? l : converted[customer] = []).Add(e.Event.Timestamp);
                    }
                }
            }
        }
        var customers = first.Values.Select(f => new ExperimentCustomer(
            f.Outcome == "held-out", f.At,
            converted.TryGetValue(f.Customer, out var times) && times.Where(t => t >= f.At).DefaultIfEmpty(DateTimeOffset.MaxValue).Min() is var t && t != DateTimeOffset.MaxValue ? t : null)).ToList();
        bool Conv(ExperimentCustomer c) => c.ConvertedAt is { } t && t - c.MatchedAt <= window;
        var acted = customers.Where(c => !c.HeldOut).ToList();
        var held = customers.Where(c => c.HeldOut).ToList();
        return new RuleProofResult(app, rule, from, to, window, confidence, customers.Count,
            acted.Count, acted.Count(Conv), held.Count, held.Count(Conv), Uplift.Compute(customers, window, confidence));
    }
}
