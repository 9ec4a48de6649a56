using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Waymark.Core.Sessions;
using Waymark.Server.Journeys;
using Waymark.Server.Console.Data;
using Waymark.Server.Store;
using Waymark.Server.Apps;

namespace Waymark.Server.Console.Pages;

/// <summary>
/// One session for the operator and the developer: pages and actions in
/// order with durations, each action's requests as a waterfall, the errors
/// and what they broke, web vitals against their thresholds, device and
/// place, notes, and the whole session as JSON for IT.
/// </summary>
public sealed partial class Session
{
    private SessionView? _view;
    private (string Kind, string Key)? _linked;
    private bool _loaded;
    private CancellationTokenSource? _live;
    private readonly CancellationTokenSource _cts = new();

    [Inject] private ISessionReadModel Queries { get; set; } = default!;
    [Inject] private IIdentityLinks Links { get; set; } = default!;
    [Inject] private IChangeFeed Feed { get; set; } = default!;
    [Inject] private AppRegistry Apps { get; set; } = default!;
    [Inject] private ConsoleTime Clock { get; set; } = default!;
    [Inject] private NavigationManager Nav { get; set; } = default!;
    [Inject] private IOptions<ConsoleOptions> Options { get; set; } = default!;

    [Parameter] public string Id { get; set; } = "";

    [SupplyParameterFromQuery(Name = "app")] private string? App { get; set; }

    private VitalThresholds Vitals => Options.Value.Vitals;

    private string ExportHref => ExportEndpoints.Href(_view!.Summary.App, _view.Summary.SessionId);

    protected override async Task OnParametersSetAsync()
    {
        // Subscribed before the first read, so no change between the read and the subscription is missed.
        if (RendererInfo.IsInteractive && _live is null)
        {
            _live = new CancellationTokenSource();
            _ = LiveAsync(_live.Token);
        }
        await LoadAsync(_cts.Token);
        if (_view is not { Summary.Ended: false })
        {
            _live?.Cancel();
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var summary = await Queries.GetAsync(App, Id, cancellationToken);
            if (summary is null)
            {
                _view = null;
            }
            else
            {
                var events = await Queries.GetTimelineAsync(summary, cancellationToken);
                _view = SessionView.Build(summary, events, Apps.Apdex(summary.App));
                // A session with no user tag may still belong to a customer (a
                // hashed phone at the contact centre, a loyalty card at a kiosk).
                _linked = summary.UserTag is null ? await Links.LinkOfAsync(summary.App, summary.Visitor, summary.SessionId, cancellationToken) : null;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        _loaded = true;
    }

    // The open session reloads when its journey commits a change to it; it stops once the session ended.
    private Task LiveAsync(CancellationToken cancellationToken) =>
        LiveRefresh.RunAsync(Feed, c => c.Session is { } s && s.SessionId == Id && (App is null || s.App == App),
            TimeSpan.FromMilliseconds(Options.Value.LiveCoalesceMs), () => InvokeAsync(async () =>
        {
            await LoadAsync(cancellationToken);
            StateHasChanged();
            if (_view?.Summary.Ended == true)
            {
                _live?.Cancel();
            }
        }), cancellationToken);

    private string Offset(DateTimeOffset t)
    {
        var d = t - _view!.Summary.Start;
        if (d < TimeSpan.Zero)
        {
            d = TimeSpan.Zero;
        }
        return d.TotalHours >= 1 ? $"{(int)d.TotalHours}:{d.Minutes:00}:{d.Seconds:00}" : $"{d.Minutes}:{d.Seconds:00}";
    }

    private static readonly string[] s_vitalOrder = ["LCP", "INP", "CLS", "FCP", "TTFB"];

    /// <summary>Per vital, the worst (highest) value of the session and the page it was on.</summary>
    private IEnumerable<(string Name, double Value, PageStep Page, int Count)> WorstVitals() =>
        _view!.Vitals
            .Where(v => v.Vital.Value is not null && v.Vital.Name is not null)
            .GroupBy(v => v.Vital.Name!.ToUpperInvariant())
            .OrderBy(g => Array.IndexOf(s_vitalOrder, g.Key) is var i && i >= 0 ? i : int.MaxValue).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var worst = g.MaxBy(v => v.Vital.Value!.Value);
                return (g.Key, worst.Vital.Value!.Value, worst.Page, g.Count());
            });

    private static string? Join(string? a, string? b) => a is null ? null : b is null ? a : a + " " + b;

    public void Dispose()
    {
        _live?.Cancel();
        _live?.Dispose();
        _cts.Cancel();
        _cts.Dispose();
    }
}
