namespace Waymark.Demo;

/// <summary>The end of the funnel, and the two ways the demo's scenarios leave it early.</summary>
internal sealed partial class WebJourney
{
    private static readonly (int Item, double Weight)[] s_travellers = [(1, 0.18), (2, 0.52), (3, 0.12), (4, 0.15), (5, 0.03)];

    private static readonly (string Name, double Price)[] s_extras =
        [("Add transfer", 60), ("Add travel insurance", 45), ("Choose seats", 30), ("Add luggage", 40)];

    private Ending CartToConfirmation()
    {
        _rec.Think(20);
        if (Leaves(0.3))
        {
            return Ending.Left;
        }
        Click("Checkout", "button#checkout");
        Page("Traveller details", "/checkout/travellers");
        if (_rec.UserTag is null && _rng.Chance(0.45))
        {
            _rec.Think(5);
            SignIn();
        }
        _rec.Think(70, 0.5);
        if (_rng.Chance(0.15))
        {
            return Ending.Left;
        }
        Click("Continue to payment", "button#to-payment", (id, at) => Api("/checkout/travellers", "POST", id, at, 250));
        Page("Payment", "/checkout/payment", (id, at) => Api("/payments/methods", "GET", id, at.AddMilliseconds(30), 180));
        _rec.Think(45, 0.5);
        if (_rng.Chance(0.12))
        {
            return Ending.Left;
        }
        var travellers = _rng.Pick(s_travellers);
        var price = Math.Round((_offer.BasePrice * _rng.Uniform(0.85, 1.25) + _extrasValue) * travellers);
        for (var attempt = 1; ; attempt++)
        {
            var declined = _rng.Chance(0.04);
            Click("Pay", "button#pay", (id, at) =>
            {
                var duration = _rng.LogNormal(1_400, 0.35, 300, 9_000);
                var origin = _isApp ? DemoCatalog.AppApi + "/v1" : DemoCatalog.WebOrigin + "/api";
                _rec.Request(origin + "/payments", "POST", declined ? 402 : 200, duration, at, id);
                return duration;
            }, failed: declined);
            if (!declined)
            {
                break;
            }
            _rec.Think(20);
            if (attempt == 2 || _rng.Chance(0.5))
            {
                return Ending.Left;
            }
        }
        Page("Confirmation", "/checkout/confirmation", (id, at) => Api("/bookings/latest", "GET", id, at.AddMilliseconds(30), 160));
        _rec.Conversion("booking", price, DemoProps.Json(
            ("destination", _offer.Name), ("offer", _offer.Slug), ("travellers", travellers), ("currency", "EUR")));
        _rec.Think(20);
        return Ending.Converted;
    }

    /// <summary>
    /// Scenario 1: "Pick dates" throws in the date picker (an error click),
    /// the visitor tries again, often rage-clicks, and gives up: no booking.
    /// </summary>
    private void DatePickerFails()
    {
        var attempts = _rng.Chance(0.6) ? 2 : 1;
        for (var i = 0; i < attempts; i++)
        {
            PickDatesThrows(frustration: "error");
            _rec.Think(4, 0.5);
        }
        if (_rng.Chance(0.65))
        {
            // Three or more clicks within a second on the same button: the agent reports one rage click.
            PickDatesThrows(frustration: "rage,error");
            _rec.Think(3, 0.5);
        }
    }

    private void PickDatesThrows(string frustration)
    {
        var at = _rec.Now;
        var id = Click("Pick dates", "button.datepicker-apply", frustration: frustration, failed: true);
        var handler = (_rec.Now - at).TotalMilliseconds;
        _rec.Error(DemoErrors.DatePicker, at.AddMilliseconds(Math.Min(handler, 90) * _rng.Uniform(0.3, 0.9)), id, _pageUrl);
    }

    /// <summary>
    /// Scenario 3: the visitor sits on the cart for minutes, sometimes past
    /// the 30-minute rule (so the server starts a new session on return), and
    /// leaves without paying.
    /// </summary>
    private void Dawdle()
    {
        _rec.Think(25);
        if (_rng.Chance(0.55))
        {
            _rec.AdvanceMs(_rng.Uniform(4, 25) * 60_000);
            if (_rng.Chance(0.5))
            {
                Click(_rng.Pick<string>(["Change travellers", "Remove item", "Apply voucher"]), "button.cart-edit",
                    (id, at) => Api("/cart", "PUT", id, at, 200));
            }
            else
            {
                Click("Back to offer", "a.cart-item");
                OfferDetail();
            }
            _rec.Think(15);
            return;
        }
        LeavePage();
        _rec.AdvanceMs(_rng.Uniform(31, 58) * 60_000);
        Page("Cart", "/cart", (id, at) => Api("/cart", "GET", id, at.AddMilliseconds(30), 150));
        _rec.Think(30);
        if (_rng.Chance(0.5))
        {
            Click("Continue shopping", "a.continue-shopping");
            Page("Home", "/", (id, at) => Api("/offers/featured", "GET", id, at.AddMilliseconds(40)));
            _rec.Think(8);
        }
    }
}
