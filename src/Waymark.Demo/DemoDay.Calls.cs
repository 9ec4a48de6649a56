using Waymark.Core.Events;

namespace Waymark.Demo;

/// <summary>The contact centre: the date-picker bug's victims calling within the hour, and everyday calls.</summary>
internal sealed partial class DemoDay
{
    // A caller's phone line is their visitor on this channel: the same customer calls from the same line.
    private readonly Dictionary<string, string> _phoneLines = new(StringComparer.Ordinal);

    private void Calls(DemoRandom rng)
    {
        var plans = new List<CallPlan>(options.ContactCenterCalls);
        foreach (var (outcome, visitor, identified) in _datePickerVictims)
        {
            if (plans.Count >= options.ContactCenterCalls || !rng.Chance(identified ? 0.6 : 0.4))
            {
                continue;
            }
            var start = outcome.End + TimeSpan.FromMinutes(rng.Uniform(5, 55));
            if (start - dayStart >= TimeSpan.FromDays(1) || !DiurnalCurve.ContactCenterOpen(start - dayStart))
            {
                continue;
            }
            // Where the site knew the customer, the IVR does too: the same user tag.
            var tag = identified || rng.Chance(0.7) ? visitor.CustomerTag : null;
            plans.Add(new CallPlan(start, ContactCenterJourney.CouldNotBook, tag, visitor.Place, PhoneLine(rng, visitor.CustomerTag)));
        }
        while (plans.Count < options.ContactCenterCalls)
        {
            var start = dayStart + DiurnalCurve.Sample(rng, DiurnalCurve.ContactCenter);
            var reason = rng.Pick(ContactCenterJourney.Reasons);
            var known = _people.Count > 0 && rng.Chance(0.45) ? rng.Pick(_people) : null;
            var place = known?.Place ?? DemoCatalog.PlaceFor(rng, rng.Pick(DemoCatalog.Locales));
            var customer = known?.CustomerTag ?? NewCustomerTag(rng);
            var tag = rng.Chance(known is null ? 0.5 : 0.8) ? customer : null;
            plans.Add(new CallPlan(start, reason, tag, place, PhoneLine(rng, customer)));
        }
        foreach (var plan in plans)
        {
            var sessionRng = rng.Fork();
            var context = new BatchContext
            {
                App = options.App, Channel = "contact-center", Visitor = plan.Caller, Received = default,
                ClientSession = DemoDevices.SessionId(sessionRng), DeviceClass = "phone",
                Locale = plan.Place.Locale, Country = plan.Place.Country, City = plan.Place.City,
                Touchpoint = "Queue " + ContactCenterJourney.Queue(plan.Reason),
            };
            var rec = new SessionRecorder(context, plan.Start, sessionRng);
            ContactCenterJourney.Call(rec, sessionRng, dayStart, plan);
            _batches.AddRange(rec.Batches());
        }
    }

    private string PhoneLine(DemoRandom rng, string customerTag)
    {
        if (!_phoneLines.TryGetValue(customerTag, out var line))
        {
            line = DemoDevices.VisitorId(rng);
            _phoneLines.Add(customerTag, line);
        }
        return line;
    }
}
