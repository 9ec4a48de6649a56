namespace Waymark.Demo;

/// <summary>
/// Sessions on shared devices: the kiosks in the stores and the self-service
/// check-in desks. Their visitor is the device; each customer's turn is a
/// session the app ends itself. They do not identify the customer: the
/// visitor's user tag would stick to the device and to the next customer.
/// </summary>
internal static class TerminalJourneys
{
    private const string KioskApi = "https://kiosk.horizon-travel.example/api";
    private const string CheckinApi = "https://checkin.horizon-travel.example/api";
    private const string AirlineDcs = "https://dcs.airline-partner.example/v1/checkin";

    /// <summary>The Rotterdam store's brochure printer jams from early afternoon on.</summary>
    private static bool PrinterJams(string store, TimeSpan timeOfDay) =>
        store == "Store Rotterdam Lijnbaan" && timeOfDay >= TimeSpan.FromHours(13);

    public static void Kiosk(SessionRecorder rec, DemoRandom rng, DateTimeOffset dayStart, string store)
    {
        var s = new ScreenSession(rec, rng, KioskApi);
        s.Screen("Welcome", 300);
        rec.Think(3);
        s.Tap("Start", "button.start");
        s.Screen("Destinations", 500, (id, at) => s.Api("/destinations", "GET", id, at, 250));
        rec.Think(12);
        var destination = rng.Pick(DemoCatalog.Destinations);
        for (var i = rng.Between(1, 3); i > 0; i--)
        {
            destination = rng.Pick(DemoCatalog.Destinations);
            s.Tap("Select destination", "tile.destination");
            s.Screen("Destination detail", 450, (id, at) => s.Api("/destinations/" + destination.Slug, "GET", id, at, 220));
            rec.Think(25);
            if (i > 1)
            {
                s.Tap("Back", "button.back");
                s.Screen("Destinations", 300);
                rec.Think(8);
            }
        }
        var choice = rng.NextDouble();
        if (choice < 0.35)
        {
            PrintBrochure(s, rng, destination, PrinterJams(store, rec.Now - dayStart));
        }
        else if (choice < 0.6)
        {
            s.Tap("Book appointment", "button.appointment");
            s.Screen("Appointment", 450, (id, at) => s.Api("/appointments/slots", "GET", id, at, 300));
            rec.Think(30);
            s.Tap("Confirm appointment", "button.confirm", (id, at) => s.Api("/appointments", "POST", id, at, 380));
            rec.Custom("appointment.booked", DemoProps.Json(("destination", destination.Name), ("store", store)));
        }
        rec.Think(8);
        // The kiosk returns to its attract screen after a minute without a touch.
        rec.AdvanceMs(60_000);
        rec.End();
    }

    private static void PrintBrochure(ScreenSession s, DemoRandom rng, Destination destination, bool jams)
    {
        var rec = s.Recorder;
        var attempts = jams ? (rng.Chance(0.4) ? 3 : 2) : 1;
        for (var i = 1; i <= attempts; i++)
        {
            var fails = jams && rng.Chance(0.75);
            var rage = fails && i == 3;
            var id = s.Tap("Print brochure", "button.print", (a, t) => s.Api("/print", "POST", a, t, 700, fails ? 500 : 200),
                failed: fails, frustration: rage ? "rage" : null);
            if (!fails)
            {
                rec.Custom("brochure.printed", DemoProps.Json(("destination", destination.Name)));
                return;
            }
            rec.Error(DemoErrors.PrinterJam, rec.Now, id, null);
            rec.Think(6);
        }
    }

    public static void Checkin(SessionRecorder rec, DemoRandom rng, string airport, string desk)
    {
        var s = new ScreenSession(rec, rng, CheckinApi);
        s.Screen("Welcome", 350);
        rec.Think(4);
        // LHR Desk 4's passport reader is failing: a touchpoint problem the console should surface.
        var unreadable = rng.Chance(desk == "LHR Desk 4" ? 0.45 : 0.03);
        var scan = s.Tap("Scan passport", "button.scan", (_, _) => rng.Uniform(1_200, 3_500), failed: unreadable);
        if (unreadable)
        {
            rec.Error(DemoErrors.PassportUnreadable, rec.Now, scan, null);
            rec.Think(4);
            s.Tap("Enter booking code", "button.manual");
            s.Screen("Booking code", 300);
            rec.Think(25, 0.4);
        }
        var notFound = rng.Chance(0.04);
        s.Tap("Find booking", "button.find", (id, at) => s.Api("/bookings/lookup", "GET", id, at, 320, notFound ? 404 : 200));
        if (notFound)
        {
            s.Screen("Booking not found", 300);
            rec.Think(10);
            rec.End();
            return;
        }
        var passengers = rng.Pick<int>([(1, 0.25), (2, 0.45), (3, 0.1), (4, 0.17), (5, 0.03)]);
        var destination = rng.Pick(DemoCatalog.Destinations);
        s.Screen("Booking found", 450);
        rec.Custom("booking.found", DemoProps.Json(("passengers", passengers), ("destination", destination.Name), ("airport", airport)));
        rec.Think(8);
        s.Tap("Confirm passengers", "button.confirm");
        s.Screen("Seats", 500, (id, at) => s.Api("/seats", "GET", id, at, 300));
        rec.Think(10);
        if (rng.Chance(0.5))
        {
            s.Tap("Choose seat", "seatmap.seat", (id, at) => s.Api("/seats", "PUT", id, at, 350));
            rec.Think(6);
        }
        s.Tap("Continue", "button.next");
        s.Screen("Baggage", 400);
        rec.Think(8);
        var bags = 0;
        if (rng.Chance(0.45))
        {
            bags = rng.Between(1, passengers);
            s.Tap("Add bag", "button.add-bag", (id, at) => s.Api("/bags", "POST", id, at, 300));
            rec.Think(5);
        }
        s.Tap("Continue", "button.next");
        s.Screen("Boarding passes", 500, (id, at) => s.ThirdParty(AirlineDcs, "POST", id, at, 1_100));
        rec.Think(4);
        s.Tap("Print boarding pass", "button.print", (id, at) => s.Api("/boardingpass", "POST", id, at, 1_200));
        rec.Custom("checkin.completed", DemoProps.Json(("passengers", passengers), ("bags", bags), ("airport", airport)));
        rec.Think(5);
        rec.End();
    }
}
