namespace Waymark.Demo;

/// <summary>Screens, taps and API calls of an app that is not a browser: kiosks, desks, the agents' desktop.</summary>
internal sealed class ScreenSession(SessionRecorder rec, DemoRandom rng, string apiOrigin)
{
    public SessionRecorder Recorder => rec;

    /// <summary>Shows a screen; <paramref name="load"/> makes the calls it waits for and returns how long they took.</summary>
    public string Screen(string name, double medianMs, Func<string, DateTimeOffset, double>? load = null)
    {
        var at = rec.Now;
        var id = rec.NewId();
        var duration = rng.LogNormal(medianMs, 0.4, 50, 15_000) + (load?.Invoke(id, at.AddMilliseconds(20)) ?? 0);
        rec.View(id, name, null, duration, at);
        rec.Now = at.AddMilliseconds(duration);
        return id;
    }

    public string Tap(string name, string target, Func<string, DateTimeOffset, double>? work = null, bool failed = false, string? frustration = null)
    {
        var at = rec.Now;
        var id = rec.NewId();
        var handler = rng.LogNormal(60, 0.5, 10, 1_000);
        var duration = handler + (work?.Invoke(id, at.AddMilliseconds(handler)) ?? 0);
        rec.Action(id, name, target, duration, at, frustration, failed);
        rec.Now = at.AddMilliseconds(duration);
        return id;
    }

    public double Api(string path, string method, string actionId, DateTimeOffset at, double median, int status = 200)
    {
        var duration = rng.LogNormal(median, 0.45, 20, 9_000);
        rec.Request(apiOrigin + path, method, status, duration, at, actionId);
        return duration;
    }

    public double ThirdParty(string url, string method, string actionId, DateTimeOffset at, double median)
    {
        var duration = rng.LogNormal(median, 0.5, 50, 12_000);
        rec.Request(url, method, 200, duration, at, actionId, thirdParty: true);
        return duration;
    }
}
