using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using Waymark.Core.Mining;
using Waymark.Server.Apps;
using Waymark.Server.Console.Data;
using Waymark.Server.Console.Shared;
using Waymark.Server.Mining;

namespace Waymark.Server.Console.Pages;

/// <summary>
/// Process mining of the real journeys: the process map laid out by Graphviz,
/// its sliders, the variants with their alignments, and beside the map how far
/// the journeys fit the model, their deviations and the fitness per day and
/// per app version.
/// </summary>
public sealed partial class Mining
{
    private static readonly IReadOnlyList<(string, string)> s_caseOptions = [("customer", "Customer journey")];
    private static readonly IReadOnlyList<(string, string)> s_activityOptions = [("event", "Event name"), ("channel-touchpoint", "Channel + touchpoint")];
    private static readonly IReadOnlyList<(string, string)> s_rangeOptions = [("24h", "Last 24 hours"), ("7d", "Last 7 days")];
    private static readonly IReadOnlyList<(string, string)> s_shareOptions = [("0.8", "80 %"), ("0.6", "60 %"), ("0.4", "40 %"), ("0.2", "20 %"), ("0", "strongest only")];

    private IReadOnlyList<(string, string)> _appOptions = [];
    private ProcessMap? _map;
    private string? _svg;
    private string? _error;
    private ConformanceDto? _conformance;
    private ConformanceSeriesDto? _overTime;
    private ConformanceSeriesDto? _byVersion;
    private readonly Config _config = Charts.Config();
    private Plotly.Blazor.Layout _timeLayout = Charts.Layout(220, legend: true);
    private IList<ITrace> _timeData = [];
    private CancellationTokenSource _cts = new();

    [Inject] private MiningLogs Logs { get; set; } = default!;
    [Inject] private MiningAnalysis Analysis { get; set; } = default!;
    [Inject] private ProcessMapRenderer Renderer { get; set; } = default!;
    [Inject] private NavigationManager Nav { get; set; } = default!;
    [Inject] private AppRegistry Apps { get; set; } = default!;
    [Inject] private ConsoleTime Clock { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "app")] private string? App { get; set; }
    [SupplyParameterFromQuery(Name = "case")] private string? Case { get; set; }
    [SupplyParameterFromQuery(Name = "activity")] private string? Activity { get; set; }
    [SupplyParameterFromQuery(Name = "range")] private string? Range { get; set; }
    [SupplyParameterFromQuery(Name = "activities")] private string? Activities { get; set; }
    [SupplyParameterFromQuery(Name = "paths")] private string? Paths { get; set; }
    [SupplyParameterFromQuery(Name = "variant")] private int? SelectedVariant { get; set; }

    private string EffectiveApp => App ?? Apps.All.FirstOrDefault()?.Id ?? "";

    private string Source => Apps.All.FirstOrDefault(a => a.Id == EffectiveApp) is { } a && a.Name is { Length: > 0 } n ? n : EffectiveApp;

    private string ActivityLabel => Activity switch
    {
        "event" => "event name",
        "channel-touchpoint" => "channel and touchpoint",
        _ => "page or screen",
    };

    private string ApiQuery =>
        $"app={Uri.EscapeDataString(EffectiveApp)}&case={Case ?? "session"}&activity={Activity ?? "page"}&from={Uri.EscapeDataString(From.ToString("O"))}&to={Uri.EscapeDataString(_to.ToString("O"))}";

    private DateTimeOffset _to;

    private DateTimeOffset From => TimeRanges.From(Range is "24h" or "7d" ? Range : "30d", _to)!.Value;

    protected override void OnInitialized() =>
        _appOptions = [.. Apps.All.Select(a => (a.Id, a.Name is { Length: > 0 } n ? n : a.Id))];

    protected override async Task OnParametersSetAsync()
    {
        await _cts.CancelAsync();
        _cts.Dispose();
        _cts = new CancellationTokenSource();
        var ct = _cts.Token;
        _to = Clock.Now;
        _error = null;
        var query = new JourneyLogQuery(EffectiveApp, From, _to,
            Case == "customer" ? CaseNotion.Customer : CaseNotion.Session,
            Activity switch { "event" => ActivityClassifier.Event, "channel-touchpoint" => ActivityClassifier.ChannelTouchpoint, _ => ActivityClassifier.Page });
        try
        {
            var log = await Logs.GetJourneyAsync(query, ct);
            _map = ProcessMap.Build(log, Share(Activities), Share(Paths));
            _svg = _map.Cases > 0 ? await Renderer.RenderAsync(_map, ct) : null;
            if (_map.Cases == 0)
            {
                return;
            }
            StateHasChanged();
            // The conformance is the slow part: it follows once the map is on screen.
            var net = Core.Mining.Discovery.ProcessTreeToPetriNet.Convert(Core.Mining.Discovery.InductiveMiner.Discover(log, new Core.Mining.Discovery.InductiveMinerOptions { NoiseThreshold = 0.2 }));
            var name = "the discovered model (IMf, noise 0.2)";
            (_conformance, _overTime, _byVersion) = await Task.Run(() => (
                Analysis.Check(log, net, name, 25, ct),
                Analysis.OverTime(log, net, name, byVersion: false, ct),
                Analysis.OverTime(log, net, name, byVersion: true, ct)), ct);
            BuildChart(_overTime!);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            _error = "The journeys could not be mined: " + e.Message;
        }
    }

    private void BuildChart(ConformanceSeriesDto series)
    {
        var x = series.Points.Select(p => (object)p.Key).ToList();
        _timeLayout = Charts.Layout(220, legend: true);
        _timeData =
        [
            new Scatter { Name = "fitting share", X = x, Y = [.. series.Points.Select(p => (object)Math.Round(p.FittingShare, 4))], Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines | Plotly.Blazor.Traces.ScatterLib.ModeFlag.Markers },
            new Scatter { Name = "fitness (alignments)", X = x, Y = [.. series.Points.Select(p => (object)Math.Round(p.LogFitness, 4))], Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines | Plotly.Blazor.Traces.ScatterLib.ModeFlag.Markers },
        ];
    }

    private static double Share(string? s) =>
        double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) && d is >= 0 and <= 1 ? d : 1;

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
