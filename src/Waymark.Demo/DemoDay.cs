using System.Globalization;

namespace Waymark.Demo;

/// <summary>
/// Plans and records one day of Horizon Travel: who visits on which channel
/// and when, and the consequences one channel has on another (the date-picker
/// bug's victims call the contact centre). Each channel draws from its own
/// generator, so changing one channel's volume leaves the others as they were.
/// </summary>
internal sealed partial class DemoDay(DateTimeOffset dayStart, DemoOptions options)
{
    // Returning visitors come back after the 30-minute rule has ended their last session.
    private static readonly TimeSpan s_returnGap = TimeSpan.FromMinutes(35);
    private static readonly TimeSpan s_lastStart = new(23, 40, 0);

    private readonly DemoRandom _master = new(options.Seed);
    private readonly List<DemoBatch> _batches = [];
    private readonly List<DemoVisitor> _people = [];
    // Web visitors whose customer also uses the app: the travellers most likely to scan their card at a desk.
    private readonly List<DemoVisitor> _appAndWeb = [];
    private readonly HashSet<int> _customerNumbers = [];
    private readonly List<(WebOutcome Outcome, DemoVisitor Visitor, bool Identified)> _datePickerVictims = [];

    public List<DemoBatch> Build()
    {
        var web = _master.Fork();
        var app = _master.Fork();
        var kiosks = _master.Fork();
        var desks = _master.Fork();
        var calls = _master.Fork();
        Web(web);
        App(app);
        Kiosks(kiosks);
        Desks(desks);
        Calls(calls);
        return _batches;
    }

    private string NewCustomerTag(DemoRandom rng)
    {
        int n;
        do
        {
            n = rng.Between(1, 499_999);
        }
        while (!_customerNumbers.Add(n));
        return "cust-" + n.ToString("D6", CultureInfo.InvariantCulture);
    }

    private void Web(DemoRandom rng)
    {
        for (var planned = 0; planned < options.WebSessions;)
        {
            var count = Math.Min(options.WebSessions - planned, rng.Pick<int>([(1, 0.78), (2, 0.15), (3, 0.05), (4, 0.02)]));
            planned += count;
            var place = DemoCatalog.PlaceFor(rng, rng.Pick(DemoCatalog.Locales));
            var visitor = new DemoVisitor(DemoDevices.Web(rng, options.App, place), NewCustomerTag(rng), place) { Known = rng.Chance(0.1) };
            _people.Add(visitor);
            Visits(rng, visitor, count, DiurnalCurve.Web);
        }
    }

    private void App(DemoRandom rng)
    {
        for (var planned = 0; planned < options.MobileSessions;)
        {
            var count = Math.Min(options.MobileSessions - planned, rng.Pick<int>([(1, 0.5), (2, 0.25), (3, 0.13), (4, 0.08), (5, 0.04)]));
            planned += count;
            // A third of app users also browse the website: the same customer on a second device.
            var sameCustomer = _people.Count > 0 && rng.Chance(0.33) ? rng.Pick(_people) : null;
            if (sameCustomer is not null)
            {
                _appAndWeb.Add(sameCustomer);
            }
            var place = sameCustomer?.Place ?? DemoCatalog.PlaceFor(rng, rng.Pick(DemoCatalog.Locales));
            var tag = sameCustomer?.CustomerTag ?? NewCustomerTag(rng);
            var visitor = new DemoVisitor(DemoDevices.App(rng, options.App, place), tag, place) { Known = rng.Chance(0.65) };
            Visits(rng, visitor, count, DiurnalCurve.Mobile);
        }
    }

    /// <summary>A visitor's sessions of the day, one after the other, each after the last one ended.</summary>
    private void Visits(DemoRandom rng, DemoVisitor visitor, int count, double[] curve)
    {
        var starts = new List<TimeSpan>(count);
        for (var i = 0; i < count; i++)
        {
            starts.Add(DiurnalCurve.Sample(rng, curve));
        }
        starts.Sort();
        var free = TimeSpan.MinValue;
        foreach (var planned in starts)
        {
            var offset = planned >= free ? planned : free + TimeSpan.FromMinutes(Math.Round(rng.Uniform(0, 90)));
            if (offset > s_lastStart)
            {
                break;
            }
            var sessionRng = rng.Fork();
            var context = visitor.Context with
            {
                ClientSession = DemoDevices.SessionId(sessionRng),
                UserTag = visitor.Known ? visitor.CustomerTag : null,
                // The website's release is the web session's app version; the app's is its install's.
                AppVersion = visitor.Context.Channel == "web" ? DemoRelease.WebVersion(dayStart + offset, options.Release) : visitor.Context.AppVersion,
            };
            var rec = new SessionRecorder(context, dayStart + offset, sessionRng);
            var outcome = new WebJourney(rec, visitor, sessionRng, dayStart).Run();
            if (outcome.Ending == Ending.DatePickerBug)
            {
                _datePickerVictims.Add((outcome, visitor, rec.UserTag is not null));
            }
            _batches.AddRange(rec.Batches());
            free = outcome.End - dayStart + s_returnGap;
        }
    }
}
