using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Waymark.Server.Apps;
using Waymark.Server.Store;

namespace Waymark.Server.Analytics;

/// <summary>
/// Answers experience questions: resolves a request's scope (app, range,
/// segment or saved segment), computes the report and keeps it for
/// <see cref="ExperienceOptions.CacheFor"/>, so the console's parts and the
/// CSV of a table read the sessions once.
/// </summary>
public sealed class ExperienceService(
    ISessionEvents events, IExperienceSettings settings, ApdexThresholdsProvider apdex, IOptions<ExperienceOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, Task<ExperienceReport> Report)> _cache = new(StringComparer.Ordinal);

    public ExperienceOptions Options => options.Value;

    /// <summary>The scope a request asks for; errors say what was wrong.</summary>
    public Task<ExperienceScope?> ScopeAsync(HttpRequest request, List<string> errors, CancellationToken ct) =>
        ScopeAsync(n => request.Query.TryGetValue(n, out var v) ? v.ToString() : null, errors, ct);

    /// <summary>The scope of query-string fields (the API's and the console's): app, from, to, segment and the segment fields.</summary>
    public async Task<ExperienceScope?> ScopeAsync(Func<string, string?> get, List<string> errors, CancellationToken ct)
    {
        var app = get("app");
        if (string.IsNullOrEmpty(app))
        {
            errors.Add("app: required");
        }
        var to = Time(get("to"), "to", errors) ?? clock.GetUtcNow();
        var from = Time(get("from"), "from", errors) ?? to.AddDays(-14);
        if (from >= to)
        {
            errors.Add("from: must be before to");
        }
        var segment = Segment.Parse(get, errors);
        string? name = null;
        if (get("segment") is { Length: > 0 } saved && !string.IsNullOrEmpty(app))
        {
            var found = (await settings.ListSettingsAsync(app, SettingKinds.Segment, ct)).FirstOrDefault(s => s.Key == saved);
            if (found is null)
            {
                errors.Add($"segment: no saved segment '{saved}' in app '{app}'");
            }
            else
            {
                // The saved filter, with any field the request sets on top.
                var stored = Segment.FromQuery(found.Value, errors);
                segment = segment.Over(stored);
                name = saved;
            }
        }
        return errors.Count == 0 ? new ExperienceScope(app!, from, to, segment, name) : null;
    }

    public Task<ExperienceReport> ReportAsync(ExperienceScope scope, CancellationToken ct)
    {
        var key = $"{scope.App}\n{scope.From.UtcTicks}\n{scope.To.UtcTicks}\n{scope.Segment.ToQuery()}";
        var now = clock.GetUtcNow();
        foreach (var (k, v) in _cache)
        {
            if (now - v.At > Options.CacheFor)
            {
                _cache.TryRemove(k, out _);
            }
        }
        var entry = _cache.GetOrAdd(key, _ => (now, ComputeAsync(scope)));
        if (entry.Report.IsFaulted || entry.Report.IsCanceled)
        {
            _cache.TryRemove(key, out _);
            entry = _cache.GetOrAdd(key, _ => (now, ComputeAsync(scope)));
        }
        return entry.Report.WaitAsync(ct);
    }

    /// <summary>Forgets cached reports of the app (after a setting changed what they show).</summary>
    public void Invalidate(string app)
    {
        foreach (var k in _cache.Keys.Where(k => k.StartsWith(app + "\n", StringComparison.Ordinal)))
        {
            _cache.TryRemove(k, out _);
        }
    }

    private async Task<ExperienceReport> ComputeAsync(ExperienceScope scope)
    {
        // Not the request's token: the report is shared by the requests that wait on it.
        var noise = (await settings.ListSettingsAsync(scope.App, SettingKinds.Noise, CancellationToken.None)).Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        return await ExperienceAnalyzer.RunAsync(events, scope, Options, apdex.For(scope.App), noise, clock, CancellationToken.None);
    }

    private static DateTimeOffset? Time(string? value, string name, List<string> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t))
        {
            return t;
        }
        errors.Add($"{name}: an ISO 8601 time such as 2026-11-30T00:00:00Z");
        return null;
    }
}
