using Waymark.Core.Events;
using Waymark.Core.Identity;

namespace Waymark.Demo;

/// <summary>The stores' kiosks and the airports' check-in desks.</summary>
internal sealed partial class DemoDay
{
    private static readonly double[] s_storeWeights = [1.6, 0.8, 0.8, 1.6, 1.0, 1.1, 0.9, 1.0, 0.8];
    private static readonly double[] s_airportWeights = [1.6, 1.5, 1.0, 1.0, 0.7, 1.0, 0.7];

    private void Kiosks(DemoRandom rng) =>
        Terminals(rng, DemoCatalog.Stores, s_storeWeights, options.KioskSessions, DiurnalCurve.Stores,
            (site, device) => DemoDevices.Terminal(rng, options.App, "kiosk", site, site.Name, "2.4.1"),
            (rec, r, site, device) => TerminalJourneys.Kiosk(rec, r, dayStart, site.Name));

    private void Desks(DemoRandom rng) =>
        Terminals(rng, DemoCatalog.Airports, s_airportWeights, options.CheckinSessions, DiurnalCurve.Airports,
            (site, device) => DemoDevices.Terminal(rng, options.App, "checkin", site, device, "3.8.0"),
            (rec, r, site, device) => TerminalJourneys.Checkin(rec, r, site.Name, device));

    /// <summary>Shared devices serve one customer at a time: each device's sessions follow one another.</summary>
    private void Terminals(
        DemoRandom rng, Site[] sites, double[] weights, int sessions, double[] curve,
        Func<Site, string, BatchContext> device,
        Action<SessionRecorder, DemoRandom, Site, string> run)
    {
        var queues = new List<(Site Site, string Device, List<TimeSpan> Starts)>();
        foreach (var site in sites)
        {
            foreach (var d in site.Devices)
            {
                queues.Add((site, d, []));
            }
        }
        var weighted = new (int Item, double Weight)[sites.Length];
        for (var i = 0; i < sites.Length; i++)
        {
            weighted[i] = (i, weights[i]);
        }
        for (var n = 0; n < sessions; n++)
        {
            var site = sites[rng.Pick(weighted)];
            var d = rng.Pick(site.Devices);
            queues.Find(q => q.Device == d).Starts.Add(DiurnalCurve.Sample(rng, curve));
        }
        var known = _people.Where(p => p.Known).ToList();
        var multiChannel = _appAndWeb.Where(p => p.Known).Distinct().ToList();
        foreach (var (site, name, starts) in queues)
        {
            var context = device(site, name);
            starts.Sort();
            var free = dayStart;
            foreach (var offset in starts)
            {
                var start = dayStart + offset;
                if (start < free)
                {
                    start = free + TimeSpan.FromSeconds(Math.Round(rng.Uniform(10, 120)));
                }
                var sessionRng = rng.Fork();
                var rec = new SessionRecorder(context with { ClientSession = DemoDevices.SessionId(sessionRng) }, start, sessionRng);
                // Some travellers scan their loyalty card: a customer the web knows,
                // often one who uses the app too (app → web → desk, one customer).
                if (known.Count > 0 && sessionRng.Chance(0.35))
                {
                    var traveller = multiChannel.Count > 0 && sessionRng.Chance(0.5) ? sessionRng.Pick(multiChannel) : sessionRng.Pick(known);
                    rec.IdentifyBy(IdentityKeys.Loyalty, DemoCustomers.Loyalty(traveller.CustomerTag));
                }
                run(rec, sessionRng, site, name);
                _batches.AddRange(rec.Batches());
                free = rec.Now;
            }
        }
    }
}
