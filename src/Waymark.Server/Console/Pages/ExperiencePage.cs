using Microsoft.AspNetCore.Components;
using Waymark.Server.Analytics;
using Waymark.Server.Apps;
using Waymark.Server.Console.Data;
using Waymark.Server.Store;

namespace Waymark.Server.Console.Pages;

/// <summary>What the experience pages share: the scope from the URL, the report, the saved segments, the filters.</summary>
public abstract class ExperiencePage : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _cts = new();

    [Inject] protected ExperienceService Experience { get; set; } = default!;
    [Inject] protected IExperienceSettings Settings { get; set; } = default!;
    [Inject] protected NavigationManager Nav { get; set; } = default!;
    [Inject] protected AppRegistry Apps { get; set; } = default!;
    [Inject] protected ConsoleTime Clock { get; set; } = default!;

    protected ExperienceLinks Links { get; private set; } = new(new Uri("http://x/"));
    protected ExperienceReport? Report { get; private set; }
    protected string? Problem { get; private set; }
    protected string App { get; private set; } = "";
    protected DateTimeOffset Now { get; private set; }
    protected IReadOnlyList<(string, string)> AppOptions { get; private set; } = [];
    protected IReadOnlyList<StoredSetting> Segments { get; private set; } = [];

    protected CancellationToken Token => _cts.Token;

    protected override void OnInitialized()
    {
        AppOptions = [.. Apps.All.Select(a => (a.Id, a.Name is { Length: > 0 } n ? n : a.Id))];
        // The scope is the query string, which is no parameter of the page: a new one reloads.
        Nav.LocationChanged += OnLocationChanged;
    }

    private void OnLocationChanged(object? sender, Microsoft.AspNetCore.Components.Routing.LocationChangedEventArgs e) =>
        _ = InvokeAsync(async () =>
        {
            await OnParametersSetAsync();
            StateHasChanged();
        });

    protected override async Task OnParametersSetAsync()
    {
        Links = new ExperienceLinks(Nav.ToAbsoluteUri(Nav.Uri));
        Now = Clock.Now;
        App = Links["app"] ?? Apps.All.FirstOrDefault()?.Id ?? "";
        Report = null;
        Problem = null;
        try
        {
            Segments = App.Length == 0 ? [] : await Settings.ListSettingsAsync(App, SettingKinds.Segment, Token);
            var errors = new List<string>();
            var scope = await Experience.ScopeAsync(Links.Fields(Now, App), errors, Token);
            if (scope is null)
            {
                Problem = string.Join("; ", errors);
                return;
            }
            Report = await Experience.ReportAsync(scope, Token);
            OnReport(Report);
        }
        catch (OperationCanceledException) when (Token.IsCancellationRequested)
        {
        }
    }

    /// <summary>Called with each new report (charts are built here).</summary>
    protected virtual void OnReport(ExperienceReport report)
    {
    }

    protected Task SetAsync(string name, string? value)
    {
        Nav.NavigateTo(Links.To(new Uri(Nav.Uri).AbsolutePath, (name, value)));
        return Task.CompletedTask;
    }

    protected string Csv(string part, string? extra = null) => Links.Api("/v1/experience/" + part, Now, App, "format=csv" + (extra is null ? "" : "&" + extra));

    public void Dispose()
    {
        Nav.LocationChanged -= OnLocationChanged;
        _cts.Cancel();
        _cts.Dispose();
        GC.SuppressFinalize(this);
    }
}
