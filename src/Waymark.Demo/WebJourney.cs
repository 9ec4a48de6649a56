namespace Waymark.Demo;

/// <summary>How a web or app session ended.</summary>
internal enum Ending
{
    Left,
    Converted,
    DatePickerBug,
    Dawdled,
    Crashed,
}

/// <summary>What one web or app session amounted to, for the scenarios that follow from it.</summary>
internal sealed record WebOutcome(DateTimeOffset End, Ending Ending, bool AvailabilityFailed);

/// <summary>
/// One session on www.horizon-travel.example or in the app, through the
/// booking funnel: Home, Search, Results, Offer detail, Date selection,
/// Extras (optional), Cart, Traveller details, Payment, Confirmation. The scenarios branch off it: the
/// date-picker bug, the slow and failing availability partner, carts left
/// after dawdling.
/// </summary>
internal sealed partial class WebJourney(SessionRecorder rec, DemoVisitor visitor, DemoRandom rng, DateTimeOffset dayStart)
{
    private readonly SessionRecorder _rec = rec;
    private readonly DemoRandom _rng = rng;
    private readonly DemoVisitor _visitor = visitor;
    private readonly DateTimeOffset _dayStart = dayStart;
    private readonly bool _isApp = rec.Context.Channel == "mobile";
    private readonly bool _handheld = rec.Context.DeviceClass != "desktop";
    private readonly string _lang = DemoCatalog.Language(rec.Context.Locale ?? "en-GB");
    private Destination _offer = DemoCatalog.Destinations[0];
    private int _availabilityFailures;
    private double _extrasValue;
    private bool _workFailed;

    public WebOutcome Run()
    {
        var ending = Browse();
        if (ending != Ending.Crashed)
        {
            LeavePage();
        }
        return new WebOutcome(_rec.Now, ending, _availabilityFailures > 0);
    }

    private Ending Browse()
    {
        if (_isApp)
        {
            _rec.Custom("app.start", DemoProps.Json(("coldStart", _rng.Chance(0.55))));
            _rec.AdvanceMs(_rng.Uniform(300, 1_200));
        }
        if (!_isApp && _rng.Chance(0.2))
        {
            // Landed from a campaign straight on an offer.
            _offer = _rng.Pick(DemoCatalog.Destinations);
            OfferDetail();
            _rec.Think(25);
            if (_rng.Chance(0.55))
            {
                return Ending.Left;
            }
        }
        else
        {
            var browsed = HomeToOffer();
            if (browsed is { } end)
            {
                return end;
            }
        }
        return DatesToCart() ?? CartToConfirmation();
    }

    private Ending? HomeToOffer()
    {
        Page("Home", "/", (id, at) => Api("/offers/featured", "GET", id, at.AddMilliseconds(40)));
        _rec.Think(10);
        if (_rec.UserTag is null && _rng.Chance(0.06))
        {
            SignIn();
            _rec.Think(6);
        }
        if (_rng.Chance(_isApp ? 0.3 : 0.45))
        {
            return Ending.Left;
        }
        if (_rng.Chance(0.4))
        {
            Click("Open search", "a.nav-search");
            Page("Search", "/search");
            _rec.Think(14);
        }
        else
        {
            _rec.Think(6);
        }
        Click("Search", "button#search-submit", (id, at) => Api("/search", "POST", id, at, 260));
        if (Results() is { } ended)
        {
            return ended;
        }
        for (var viewed = 0; ; viewed++)
        {
            _rec.Think(15);
            for (var f = _rng.Between(0, 2); f > 0; f--)
            {
                Click(_rng.Pick<string>(["Filter", "Sort by price", "Show map"]), "button.results-tool");
                _rec.Think(6);
            }
            if (Leaves(viewed == 0 ? 0.38 : 0.4))
            {
                return Ending.Left;
            }
            _offer = _rng.Pick(DemoCatalog.Destinations);
            Click("Select offer", "a.offer-card");
            OfferDetail();
            _rec.Think(25);
            var next = _rng.NextDouble();
            if (next < 0.38)
            {
                return Ending.Left;
            }
            if (next >= 0.58 || viewed >= 3)
            {
                return null;
            }
            Click("Back to results", "button.back");
            Page("Results", "/results", (id, at) => Api("/search/results", "GET", id, at.AddMilliseconds(20), 160));
        }
    }

    /// <summary>The results page waits for the availability partner; when it fails, the visitor may retry or go.</summary>
    private Ending? Results()
    {
        var status = 200;
        var waited = 0.0;
        var viewId = Page("Results", "/results", (id, at) =>
        {
            var search = Api("/search/results", "GET", id, at.AddMilliseconds(20), 180);
            var (duration, _, s) = Availability(id, at.AddMilliseconds(40 + search));
            status = s;
            waited = search + duration + 40;
            return waited;
        });
        if (_isApp && _rec.Context.Os == "Android" && _rec.Context.AppVersion == "5.2.1" && _rng.Chance(0.08))
        {
            _rec.Error(DemoErrors.AndroidResultsCrash, _rec.Now.AddMilliseconds(_rng.Uniform(100, 900)), viewId, null);
            return Ending.Crashed;
        }
        if (status != 200)
        {
            if (!_isApp)
            {
                _rec.Error(status == 0 ? DemoErrors.AvailabilityTimeout : DemoErrors.AvailabilityUnavailable, _rec.Now, viewId, _pageUrl);
            }
            _rec.Think(5);
            if (_rng.Chance(0.45))
            {
                return Ending.Left;
            }
            Click("Retry", "button.retry-prices", (id, at) => Availability(id, at).Duration);
            if (_workFailed)
            {
                _rec.Think(4);
                return Ending.Left;
            }
        }
        else if (waited > 4_000 && _rng.Chance(0.12))
        {
            return Ending.Left;
        }
        return null;
    }

    private void OfferDetail() =>
        Page("Offer detail", "/offers/" + _offer.Slug, (id, at) => Api("/offers/" + _offer.Slug, "GET", id, at.AddMilliseconds(30), 200));

    private Ending? DatesToCart()
    {
        Click("Choose dates", "button#choose-dates");
        Page("Date selection", "/offers/" + _offer.Slug + "/dates",
            (id, at) => Api("/offers/" + _offer.Slug + "/calendar", "GET", id, at.AddMilliseconds(30), 240));
        _rec.Think(12);
        if (DemoErrors.HasDatePickerBug(_rec.Context.Channel, _rec.Context.AppVersion, _rec.Context.Browser, _rec.Context.Locale))
        {
            DatePickerFails();
            return Ending.DatePickerBug;
        }
        for (var attempt = 1; ; attempt++)
        {
            Click("Pick dates", "button.datepicker-apply", (id, at) =>
            {
                var (duration, _, _) = Availability(id, at);
                return duration + (_workFailed ? 0 : Api("/offers/" + _offer.Slug + "/prices", "GET", id, at.AddMilliseconds(duration), 180));
            });
            if (!_workFailed)
            {
                break;
            }
            _rec.Think(5);
            if (attempt == 2 || _rng.Chance(0.5))
            {
                return Ending.Left;
            }
        }
        _rec.Think(15);
        if (Leaves(0.32))
        {
            return Ending.Left;
        }
        // Extras are optional: many go straight to the cart.
        if (_rng.Chance(_isApp ? 0.55 : 0.65) && Extras() is { } left)
        {
            return left;
        }
        Click("Add to cart", "button#add-to-cart", (id, at) => Api("/cart", "POST", id, at, 300));
        Page("Cart", "/cart", (id, at) => Api("/cart", "GET", id, at.AddMilliseconds(30), 150));
        if (_rng.Chance(0.28))
        {
            Dawdle();
            return Ending.Dawdled;
        }
        return null;
    }

    /// <summary>The optional extras (transfer, insurance, seats, luggage); now and then back to the dates and again.</summary>
    private Ending? Extras()
    {
        for (var visit = 0; ; visit++)
        {
            Click("Choose extras", "button#to-extras");
            Page("Extras", "/offers/" + _offer.Slug + "/extras",
                (id, at) => Api("/offers/" + _offer.Slug + "/extras", "GET", id, at.AddMilliseconds(30), 200));
            _rec.Think(18);
            for (var n = _rng.Pick<int>([(0, 0.35), (1, 0.45), (2, 0.2)]); n > 0; n--)
            {
                var (extra, price) = s_extras[_rng.Next(s_extras.Length)];
                Click(extra, "button.extra-add", (id, at) => Api("/cart/extras", "POST", id, at, 200));
                _extrasValue += price;
                _rec.Think(6);
            }
            if (visit > 0 || !_rng.Chance(0.1))
            {
                break;
            }
            // Back to change the dates, then on to the extras again: a repeated step.
            Click("Change dates", "a.back-to-dates");
            Page("Date selection", "/offers/" + _offer.Slug + "/dates",
                (id, at) => Api("/offers/" + _offer.Slug + "/calendar", "GET", id, at.AddMilliseconds(30), 240));
            _rec.Think(10);
            Click("Pick dates", "button.datepicker-apply", (id, at) =>
            {
                var (duration, _, _) = Availability(id, at);
                return duration + (_workFailed ? 0 : Api("/offers/" + _offer.Slug + "/prices", "GET", id, at.AddMilliseconds(duration), 180));
            });
            if (_workFailed)
            {
                _rec.Think(5);
                return Ending.Left;
            }
            _rec.Think(8);
        }
        return Leaves(0.06) ? Ending.Left : null;
    }

    private bool Leaves(double probability) =>
        _rng.Chance(_availabilityFailures > 0 ? Math.Min(0.95, probability + 0.2) : probability);

    private void SignIn()
    {
        Click("Sign in", "button#sign-in", (id, at) => Api("/auth/login", "POST", id, at, 350));
        // The account holds the phone number and the loyalty card: the login
        // links them, so the desk and the contact centre find this customer.
        _rec.Identify(_visitor.CustomerTag, DemoProps.Json(("phone", DemoCustomers.Phone(_visitor.CustomerTag)), ("loyalty", DemoCustomers.Loyalty(_visitor.CustomerTag))));
        _visitor.Known = true;
    }
}
