using System.Globalization;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using Waymark.Server.Analytics;
using Waymark.Server.Console.Shared;
using Waymark.Server.Store;

namespace Waymark.Server.Console.Pages;

/// <summary>
/// Behavioural satisfaction: shares per day with the days that moved, per
/// group, what speed costs, the costliest errors; narrowed by a segment and
/// saved as one.
/// </summary>
public sealed partial class Experience
{
    private readonly Config _config = Charts.Config();
    private Plotly.Blazor.Layout _dayLayout = Charts.Layout(260);
    private IList<ITrace> _dayData = [];
    private Plotly.Blazor.Layout _speedLayout = Charts.Layout(200, legend: false);
    private IList<ITrace> _speedData = [];
    private string? _segmentName;
    private string? _saved;

    [Microsoft.AspNetCore.Components.Inject] private Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider Auth { get; set; } = default!;

    protected override void OnReport(ExperienceReport report)
    {
        var days = report.Satisfaction.Days;
        var x = days.Select(d => (object)d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
        _dayLayout = Charts.Layout(260);
        _dayLayout.BarMode = Plotly.Blazor.LayoutLib.BarModeEnum.Stack;
        _dayLayout.YAxis[0].TickFormat = ".0%";
        _dayData =
        [
            Charts.Bars("satisfied", x, days.Select(d => (object)d.SatisfiedShare), Charts.Satisfied),
            Charts.Bars("tolerating", x, days.Select(d => (object)d.ToleratingShare), Charts.Tolerating),
            Charts.Bars("frustrated", x, days.Select(d => (object)d.FrustratedShare), Charts.Frustrated),
            new Scatter
            {
                Name = "moved",
                Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Text,
                X = [.. days.Where(d => d.Moved).Select(d => (object)d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))],
                Y = [.. days.Where(d => d.Moved).Select(_ => (object)1.04)],
                TextArray = [.. days.Where(d => d.Moved).Select(d => (d.Satisfied == Core.Analytics.ShareMove.Down || d.Frustrated == Core.Analytics.ShareMove.Up ? "▼" : "▲"))],
            },
        ];
        var buckets = report.Speed.Buckets;
        _speedLayout = Charts.Layout(200, legend: false);
        _speedLayout.YAxis[0].TickFormat = ".0%";
        _speedData =
        [
            new Bar
            {
                X = [.. buckets.Select(b => (object)(b.ToMs is { } to ? $"{b.FromMs / 1000:0.#}–{to / 1000:0.#} s" : $"≥ {b.FromMs / 1000:0.#} s"))],
                Y = [.. buckets.Select(b => (object)(b.Rate ?? 0))],
                TextArray = [.. buckets.Select(b => $"{b.Sessions} sessions")],
                Marker = new Plotly.Blazor.Traces.BarLib.Marker { Color = Charts.Primary },
                HoverTemplate = "%{x}: %{y:.1%} converted (%{text})<extra></extra>",
            },
        ];
    }

    private static string Points(double points) => (points >= 0 ? "+" : "−") + Math.Abs(points).ToString("0.00", CultureInfo.InvariantCulture) + " points";

    private string GroupLink(ExperienceRow g) => g.Group switch
    {
        "channel" or "version" or "device" or "browser" or "country" or "touchpoint" => Links.To("/experience", (g.Group, g.Key)),
        _ => Links.To("/experience"),
    };

    private async Task SaveSegmentAsync()
    {
        if (string.IsNullOrWhiteSpace(_segmentName))
        {
            _saved = "Give the segment a name.";
            return;
        }
        var current = Links["segment"] is { } name ? Segments.FirstOrDefault(s => s.Key == name)?.Value ?? "" : "";
        var query = Segment.Parse(n => Links[n], []).Over(Segment.FromQuery(current, [])).ToQuery();
        await Settings.SaveSettingAsync(new StoredSetting(App, SettingKinds.Segment, _segmentName.Trim(), query, (await Auth.GetAuthenticationStateAsync()).User.Identity?.Name ?? "console", Clock.Now), Token);
        Experience.Invalidate(App);
        _saved = $"Saved: {_segmentName.Trim()} ({(query.Length == 0 ? "everyone" : query)}).";
        Nav.NavigateTo(Links.To("/experience", [.. Segment.Fields.Select(f => (f, (string?)null)), ("segment", _segmentName.Trim())]));
    }
}
