namespace Waymark.Demo;

/// <summary>The building blocks of a web or app journey: pages, clicks, API calls and web vitals.</summary>
internal sealed partial class WebJourney
{
    private string? _pageUrl;
    private int _pageActions;
    private bool _onPage;

    /// <summary>
    /// Opens a page or screen. <paramref name="load"/> makes the requests the
    /// page waits for (given the view's id and start) and returns how long it waited.
    /// </summary>
    private string Page(string name, string path, Func<string, DateTimeOffset, double>? load = null)
    {
        LeavePage();
        var at = _rec.Now;
        var id = _rec.NewId();
        var waited = load?.Invoke(id, at) ?? 0;
        var render = _rng.LogNormal(_handheld ? 1_400 : 950, 0.45, 150, 8_000);
        if (_rng.Chance(0.05))
        {
            // Now and then a page is slow for reasons of its own: a cold cache, a congested network.
            render *= _rng.Uniform(2.5, 5);
        }
        var duration = Math.Round(render + waited);
        _pageUrl = _isApp ? null : DemoCatalog.WebOrigin + "/" + _lang + path;
        _rec.View(id, name, _pageUrl, duration, at);
        if (!_isApp)
        {
            LoadVitals(at, render, waited);
            if (_rng.Chance(0.012))
            {
                _rec.Error(DemoErrors.ResizeObserver, at.AddMilliseconds(duration + _rng.Uniform(200, 3000)), null, _pageUrl);
            }
        }
        _rec.Now = at.AddMilliseconds(duration);
        _pageActions = 0;
        _onPage = true;
        return id;
    }

    /// <summary>Page hidden or left: the browser agent reports CLS, and INP when there was an interaction.</summary>
    private void LeavePage()
    {
        if (!_onPage || _isApp)
        {
            _onPage = false;
            return;
        }
        _onPage = false;
        var cls = _rng.Chance(_handheld ? 0.78 : 0.88) ? _rng.LogNormal(0.02, 0.9, 0, 0.1)
            : _rng.Chance(0.6) ? _rng.Uniform(0.1, 0.25) : _rng.Uniform(0.25, 0.6);
        _rec.Vital("CLS", Math.Round(cls, 4), _pageUrl, _rec.Now);
        if (_pageActions > 0)
        {
            var inp = _rng.LogNormal(_handheld ? 170 : 80, 0.6, 16, 2_000);
            _rec.Vital("INP", Math.Round(inp), _pageUrl, _rec.Now);
        }
    }

    /// <summary>TTFB, FCP and LCP of a page load; the results page paints its largest element only when prices arrive.</summary>
    private void LoadVitals(DateTimeOffset at, double render, double waited)
    {
        var ttfb = _rng.LogNormal(_handheld ? 520 : 320, 0.45, 40, 6_000);
        var fcp = ttfb + _rng.LogNormal(_handheld ? 950 : 600, 0.4, 80, 8_000);
        var lcp = Math.Max(fcp + _rng.LogNormal(_handheld ? 650 : 350, 0.75, 0, 15_000), waited > 0 ? ttfb + waited + 150 : 0);
        _rec.Vital("TTFB", Math.Round(ttfb), _pageUrl, at.AddMilliseconds(ttfb));
        _rec.Vital("FCP", Math.Round(fcp), _pageUrl, at.AddMilliseconds(fcp));
        _rec.Vital("LCP", Math.Round(lcp), _pageUrl, at.AddMilliseconds(Math.Max(lcp, render)));
    }

    /// <summary>A click or tap that is over when its handler is; <paramref name="work"/> makes its requests and returns how long they took.</summary>
    private string Click(string name, string target, Func<string, DateTimeOffset, double>? work = null, string? frustration = null, bool failed = false)
    {
        var at = _rec.Now;
        var id = _rec.NewId();
        var handler = _rng.LogNormal(_handheld ? 120 : 70, 0.5, 10, 2_000);
        _workFailed = false;
        var duration = handler + (work?.Invoke(id, at.AddMilliseconds(handler)) ?? 0);
        _rec.Action(id, name, target, duration, at, frustration, failed || _workFailed);
        _pageActions++;
        _rec.Now = at.AddMilliseconds(duration);
        return id;
    }

    /// <summary>A first-party API call; rarely a 500.</summary>
    private double Api(string path, string method, string actionId, DateTimeOffset at, double median = 220)
    {
        var duration = _rng.LogNormal(median, 0.5, 25, 9_000);
        var status = _rng.Chance(0.004) ? 500 : method == "POST" && path.EndsWith("cart", StringComparison.Ordinal) ? 201 : 200;
        var origin = _isApp ? DemoCatalog.AppApi + "/v1" : DemoCatalog.WebOrigin + "/api";
        _rec.Request(origin + path, method, status, duration, at, actionId);
        _workFailed |= status >= 500;
        return duration;
    }

    /// <summary>A call to the partner's availability service; false when it failed.</summary>
    private (double Duration, bool Ok, int Status) Availability(string actionId, DateTimeOffset at)
    {
        var (duration, status) = PartnerAvailability.Call(_rng, at - _dayStart);
        _rec.Request(PartnerAvailability.Url, "GET", status, duration, at, actionId, thirdParty: true);
        if (status != 200)
        {
            _availabilityFailures++;
            _workFailed = true;
        }
        return (duration, status == 200, status);
    }
}
