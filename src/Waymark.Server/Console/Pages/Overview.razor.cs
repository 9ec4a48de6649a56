using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using Waymark.Core.Events;
using Waymark.Core.Sessions;
using Waymark.Server.Console.Data;
using Waymark.Server.Console.Shared;
using Waymark.Server.Apps;
using Waymark.Server.Store;

namespace Waymark.Server.Console.Pages;

/// <summary>
/// How the apps are doing: active customers, sessions, conversion, the
/// behavioural satisfaction shares, Apdex, the errors that hit most
/// customers, the slowest third parties; per app, channel and time range.
/// </summary>
public sealed partial class Overview
{
    private static readonly IReadOnlyList<(string, string)> s_channelOptions = [.. Channels.All.Select(c => (c, Fmt.ChannelLabel(c)))];
    private static readonly IReadOnlyList<(string, string)> s_rangeOptions = [.. TimeRanges.All.Where(r => r.Key is not "all" and not "24h")];

    private OverviewData? _data;
    private DateTimeOffset _at;
    private IReadOnlyList<(string, string)> _appOptions = [];
    private readonly Config _config = Charts.Config();
    private Plotly.Blazor.Layout _timeLayout = Charts.Layout(260);
    private IList<ITrace> _timeData = [];
    private Plotly.Blazor.Layout _hostLayout = Charts.Layout(200, legend: false);
    private IList<ITrace> _hostData = [];
    private readonly CancellationTokenSource _cts = new();

    [Inject] private ISessionAnalytics Analytics { get; set; } = default!;
    [Inject] private NavigationManager Nav { get; set; } = default!;
    [Inject] private AppRegistry Apps { get; set; } = default!;
    [Inject] private ConsoleTime Clock { get; set; } = default!;
    [Inject] private IOptions<ConsoleOptions> Options { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "app")] private string? App { get; set; }
    [SupplyParameterFromQuery(Name = "channel")] private string? Channel { get; set; }
    [SupplyParameterFromQuery(Name = "range")] private string? Range { get; set; }

    private string EffectiveRange => Range is "1h" or "7d" or "30d" ? Range : "24h";

    private bool Daily => EffectiveRange is "7d" or "30d";

    private int ThirdPartyHeight => 60 + 26 * (_data?.ThirdParties.Count ?? 0);

    protected override void OnInitialized()
    {
        _appOptions = [.. Apps.All.Select(a => (a.Id, a.Name is { Length: > 0 } n ? n : a.Id))];
    }

    protected override async Task OnParametersSetAsync()
    {
        _at = Clock.Now;
        try
        {
            _data = await Analytics.OverviewAsync(
                new OverviewQuery(App, Channels.Normalize(Channel), TimeRanges.From(EffectiveRange, _at)!.Value, _at, Daily),
                _cts.Token);
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
            return;
        }
        BuildCharts(_data);
    }

    private void BuildCharts(OverviewData d)
    {
        var x = d.Buckets.Select(b => (object)Charts.Date(Clock.Local(b.Start))).ToList();
        _timeLayout = Charts.Layout(260);
        _timeLayout.BarMode = Plotly.Blazor.LayoutLib.BarModeEnum.Stack;
        _timeData =
        [
            Charts.Bars("satisfied", x, d.Buckets.Select(b => (object)b.Figures.Satisfied), Charts.Satisfied),
            Charts.Bars("tolerating", x, d.Buckets.Select(b => (object)b.Figures.Tolerating), Charts.Tolerating),
            Charts.Bars("frustrated", x, d.Buckets.Select(b => (object)b.Figures.Frustrated), Charts.Frustrated),
        ];

        var hosts = d.ThirdParties.AsEnumerable().Reverse().ToList();
        _hostLayout = Charts.Layout(ThirdPartyHeight, legend: false);
        _hostLayout.Margin!.L = 8;
        _hostLayout.XAxis[0].Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = "p75 duration, ms" };
        _hostData =
        [
            new Bar
            {
                Orientation = Plotly.Blazor.Traces.BarLib.OrientationEnum.H,
                Y = [.. hosts.Select(h => (object)h.Host)],
                X = [.. hosts.Select(h => (object)Math.Round(h.P75 ?? 0))],
                Marker = new Plotly.Blazor.Traces.BarLib.Marker { Color = Charts.ThirdParty },
                HoverTemplate = "%{y}: p75 %{x} ms<extra></extra>",
            },
        ];
    }

    private string FindHref(string filter) =>
        "/?" + filter + "&sort=frustrated&range=" + EffectiveRange + (App is null ? "" : "&app=" + Uri.EscapeDataString(App)) + (Channel is null ? "" : "&channel=" + Uri.EscapeDataString(Channel));

    private Task SetAsync(string name, string? value)
    {
        Nav.NavigateTo(Nav.GetUriWithQueryParameter(name, value));
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _cts.Cancel();
        _cts.Dispose();
    }
}
