using Waymark.Core.Events;
using Waymark.Core.Funnels;
using Waymark.Server.Store;

namespace Waymark.Server.Funnels;

/// <summary>
/// The features "why they dropped" compares (docs/funnels.md): what a case met
/// from its event for the step on — to the end for a case that dropped there,
/// to the next step for a case that went on. Errors by fingerprint and message,
/// failed and slow requests by host (third parties marked), frustration signals,
/// custom events, and the session's browser, device, locale and app version.
/// </summary>
public static class DropFeatures
{
    /// <summary>A request slower than this is "slow" (the Apdex frustrated line of a 1 s target).</summary>
    public static readonly TimeSpan Slow = TimeSpan.FromSeconds(4);

    public static (Dictionary<string, IReadOnlyCollection<string>> Features, Dictionary<(string Case, string Feature), string> SessionOf) Of(
        FunnelCaseSet set, IReadOnlyList<FunnelCaseResult> results, int step)
    {
        var features = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal);
        var sessionOf = new Dictionary<(string, string), string>();
        foreach (var r in results)
        {
            if (r.FurthestStep < step || step >= r.StepEvents.Count || r.StepEvents[step] < 0)
            {
                continue;
            }
            var stored = set.Stored[r.CaseId];
            var start = r.StepEvents[step];
            var end = stored.Count;
            for (var next = step + 1; next < r.StepEvents.Count; next++)
            {
                if (r.StepEvents[next] >= 0)
                {
                    end = r.StepEvents[next];
                    break;
                }
            }
            var f = new HashSet<string>(StringComparer.Ordinal);
            for (var i = start; i < end && i < stored.Count; i++)
            {
                foreach (var feature in Features(stored[i]))
                {
                    if (f.Add(feature))
                    {
                        sessionOf[(r.CaseId, feature)] = stored[i].Session;
                    }
                }
            }
            if (start < stored.Count)
            {
                var ctx = stored[start].Context;
                foreach (var feature in new[] { "browser: " + ctx.Browser, "device: " + ctx.DeviceClass, "locale: " + ctx.Locale, "app version: " + ctx.AppVersion })
                {
                    if (!feature.EndsWith(": ", StringComparison.Ordinal) && f.Add(feature))
                    {
                        sessionOf[(r.CaseId, feature)] = stored[start].Session;
                    }
                }
            }
            features[r.CaseId] = f;
        }
        return (features, sessionOf);
    }

    private static IEnumerable<string> Features(StoredEvent s)
    {
        var e = s.Event;
        switch (e.Type)
        {
            case EventType.Error:
                yield return "error: " + (e.Message is { Length: > 120 } m ? m[..120] : e.Message) + (e.Fingerprint is null ? "" : " [" + e.Fingerprint + "]");
                break;
            case EventType.Request:
                var host = Host(e.Url);
                var who = e.ThirdParty ? "third party " : "request ";
                if (e.Failed || e.Status is 0 or >= 500)
                {
                    yield return who + "failed: " + host;
                }
                if (e.Duration is { } d && d >= Slow.TotalMilliseconds)
                {
                    yield return who + "slow: " + host;
                }
                break;
            case EventType.Action when e.Frustration is { } fr:
                yield return "frustration: " + fr + (e.Name is null ? "" : " on " + e.Name);
                break;
            case EventType.Custom when e.Name is { } n:
                yield return "event: " + n;
                break;
        }
    }

    private static string Host(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var u) ? u.Host + u.AbsolutePath : url ?? "?";
}
