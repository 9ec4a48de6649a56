using Waymark.Core.Identity;
using System.Globalization;

namespace Waymark.Demo;

/// <summary>A call the contact centre will get: when, why, and who (when the IVR recognises the caller).</summary>
internal sealed record CallPlan(DateTimeOffset Start, string Reason, string? UserTag, Place Place, string Caller);

/// <summary>
/// A call to the contact centre as the telephony and CRM integration reports
/// it: custom events call.started, ivr.step, call.answered and call.ended
/// (with reason, queue and waitSeconds), the agent's screens as views, and the
/// caller identified when the IVR recognises them.
/// </summary>
internal static class ContactCenterJourney
{
    public const string CouldNotBook = "could not book";
    private const string CrmApi = "https://crm.horizon-travel.example/api";

    public static readonly (string Item, double Weight)[] Reasons =
    [
        ("change booking", 0.24), ("new booking", 0.15), ("cancellation", 0.12), ("baggage", 0.12),
        ("refund", 0.10), ("payment problem", 0.08), ("general question", 0.17), (CouldNotBook, 0.02),
    ];

    public static string Queue(string reason) => reason switch
    {
        CouldNotBook or "new booking" or "payment problem" => "Bookings",
        "change booking" or "cancellation" => "Changes",
        _ => "Customer Care",
    };

    /// <summary>Seconds in the queue: longer over lunch, when most people call.</summary>
    private static int WaitSeconds(DemoRandom rng, TimeSpan timeOfDay)
    {
        var busy = timeOfDay.TotalHours is >= 11.5 and < 14.5 ? 2.6 : 1.0;
        return (int)Math.Round(rng.LogNormal(70 * busy, 0.8, 5, 1_500));
    }

    public static void Call(SessionRecorder rec, DemoRandom rng, DateTimeOffset dayStart, CallPlan plan)
    {
        var queue = Queue(plan.Reason);
        rec.Custom("call.started", DemoProps.Json(("direction", "inbound"), ("line", "+31 20 000 0000")));
        rec.Think(8, 0.3);
        rec.Custom("ivr.step", DemoProps.Json(("step", "welcome")));
        rec.Think(14, 0.3);
        rec.Custom("ivr.step", DemoProps.Json(("step", "menu"), ("choice", queue)));
        rec.Think(15, 0.3);
        rec.Custom("ivr.step", DemoProps.Json(("step", "identify"), ("result", plan.UserTag is null ? "unknown" : "recognised")));
        if (plan.UserTag is not null)
        {
            // The IVR recognises the caller's number; the telephony system
            // only hands over its SHA-256.
            rec.IdentifyBy(IdentityKeys.Phone, IdentityKeys.Sha256Hex(IdentityKeys.Phone, DemoCustomers.Phone(plan.UserTag)), hashed: true);
        }
        var wait = WaitSeconds(rng, rec.Now - dayStart);
        if (wait > 420 && rng.Chance(0.35))
        {
            rec.AdvanceMs(wait * 1000);
            rec.Custom("call.ended", DemoProps.Json(
                ("reason", plan.Reason), ("queue", queue), ("waitSeconds", wait), ("talkSeconds", 0), ("outcome", "abandoned")));
            rec.End();
            return;
        }
        rec.AdvanceMs(wait * 1000);
        rec.Custom("call.answered", DemoProps.Json(("queue", queue), ("waitSeconds", wait), ("agent", "agent-" + rng.Between(1, 40).ToString("D3", CultureInfo.InvariantCulture))));
        var answered = rec.Now;
        var s = new ScreenSession(rec, rng, CrmApi);
        s.Screen("Customer lookup", 700);
        rec.Think(20);
        s.Tap("Find customer", "input.customer-search", (id, at) => s.Api("/customers/search", "GET", id, at, 350));
        s.Screen("Customer overview", 900, (id, at) => s.Api("/customers/bookings", "GET", id, at, 420));
        rec.Think(50);
        var outcome = AgentWork(s, rng, dayStart, plan.Reason);
        rec.Think(40);
        var talk = (int)Math.Round((rec.Now - answered).TotalSeconds);
        rec.Custom("call.ended", DemoProps.Json(
            ("reason", plan.Reason), ("queue", queue), ("waitSeconds", wait), ("talkSeconds", talk), ("outcome", outcome)));
        rec.End();
    }

    private static string AgentWork(ScreenSession s, DemoRandom rng, DateTimeOffset dayStart, string reason)
    {
        var rec = s.Recorder;
        switch (reason)
        {
            case CouldNotBook or "new booking":
                var offer = rng.Pick(DemoCatalog.Destinations);
                s.Screen("New booking", 800);
                rec.Think(90, 0.5);
                s.Tap("Check availability", "button.availability", (id, at) =>
                {
                    var (duration, status) = PartnerAvailability.Call(rng, at - dayStart);
                    rec.Request(PartnerAvailability.Url, "GET", status, duration, at, id, thirdParty: true);
                    return duration;
                });
                rec.Think(60, 0.5);
                if (!rng.Chance(reason == CouldNotBook ? 0.55 : 0.6))
                {
                    return "no booking";
                }
                s.Tap("Create booking", "button.create-booking", (id, at) => s.Api("/bookings", "POST", id, at, 900));
                var travellers = rng.Pick<int>([(1, 0.2), (2, 0.55), (3, 0.1), (4, 0.15)]);
                rec.Conversion("booking", Math.Round(offer.BasePrice * travellers * rng.Uniform(0.9, 1.2)), DemoProps.Json(
                    ("destination", offer.Name), ("offer", offer.Slug), ("travellers", travellers), ("currency", "EUR"), ("assisted", true)));
                return "booked";
            case "change booking":
                s.Screen("Booking detail", 700, (id, at) => s.Api("/bookings/detail", "GET", id, at, 300));
                rec.Think(60, 0.5);
                s.Tap("Change dates", "button.change-dates", (id, at) => s.Api("/bookings/dates", "PUT", id, at, 650));
                s.Screen("Change confirmation", 500);
                return "resolved";
            case "cancellation":
                s.Screen("Booking detail", 700, (id, at) => s.Api("/bookings/detail", "GET", id, at, 300));
                rec.Think(45, 0.5);
                s.Tap("Cancel booking", "button.cancel-booking", (id, at) => s.Api("/bookings", "DELETE", id, at, 520));
                s.Screen("Cancellation confirmation", 500);
                return "resolved";
            default:
                s.Screen("Booking detail", 700, (id, at) => s.Api("/bookings/detail", "GET", id, at, 300));
                rec.Think(90, 0.6);
                s.Tap("Add note", "button.add-note", (id, at) => s.Api("/notes", "POST", id, at, 250));
                return rng.Chance(0.85) ? "resolved" : "escalated";
        }
    }
}
