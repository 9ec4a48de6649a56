using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Options;
using Waymark.Core.Events;
using Waymark.Core.Sessions;
using Waymark.Server.Console.Data;
using Waymark.Server.Apps;
using Waymark.Server.Journeys;
using Waymark.Server.Store;

namespace Waymark.Server.Console.Pages;

/// <summary>
/// The find page: one search box and the filters, all in the URL. With
/// "active now" on, the list reloads every few seconds.
/// </summary>
public sealed partial class Home
{
    private static readonly IReadOnlyList<(string, string)> s_channelOptions = [.. Channels.All.Select(c => (c, Fmt.ChannelLabel(c)))];
    private static readonly IReadOnlyList<(string, string)> s_rangeOptions = [.. TimeRanges.All.Where(r => r.Key != "all")];
    private static readonly IReadOnlyList<(string, string)> s_xpOptions = [("frustrated", "Frustrated"), ("tolerating", "Tolerating"), ("satisfied", "Satisfied")];
    private static readonly IReadOnlyList<(string, string)> s_yesNo = [("yes", "Yes"), ("no", "No")];
    private static readonly IReadOnlyList<(string, string)> s_sortOptions = [("frustrated", "Frustrated first")];

    private string? _text;
    private string? _lastQ;
    private SearchTerm? _term;
    private FoundCustomer? _customer;
    private bool _notFound;
    private IReadOnlyList<SessionSummary> _sessions = [];
    private long _total;
    private Facets _facets = Facets.Empty;
    private IReadOnlyList<(string, string)> _appOptions = [];
    private bool _loading;
    private string? _error;
    private CancellationTokenSource? _live;
    private CancellationTokenSource _cts = new();

    [Inject] private ISessionReadModel Sessions { get; set; } = default!;
    [Inject] private IChangeFeed Feed { get; set; } = default!;
    [Inject] private CustomerFinder Finder { get; set; } = default!;
    [Inject] private NavigationManager Nav { get; set; } = default!;
    [Inject] private AppRegistry Apps { get; set; } = default!;
    [Inject] private ConsoleTime Clock { get; set; } = default!;
    [Inject] private IOptions<ConsoleOptions> Options { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "q")] private string? Q { get; set; }
    [SupplyParameterFromQuery(Name = "app")] private string? App { get; set; }
    [SupplyParameterFromQuery(Name = "channel")] private string? Channel { get; set; }
    [SupplyParameterFromQuery(Name = "country")] private string? Country { get; set; }
    [SupplyParameterFromQuery(Name = "city")] private string? City { get; set; }
    [SupplyParameterFromQuery(Name = "device")] private string? Device { get; set; }
    [SupplyParameterFromQuery(Name = "browser")] private string? Browser { get; set; }
    [SupplyParameterFromQuery(Name = "version")] private string? Version { get; set; }
    [SupplyParameterFromQuery(Name = "range")] private string? Range { get; set; }
    [SupplyParameterFromQuery(Name = "xp")] private string? Xp { get; set; }
    [SupplyParameterFromQuery(Name = "errors")] private string? Errors { get; set; }
    [SupplyParameterFromQuery(Name = "converted")] private string? Converted { get; set; }
    [SupplyParameterFromQuery(Name = "active")] private string? Active { get; set; }
    [SupplyParameterFromQuery(Name = "sort")] private string? Sort { get; set; }
    [SupplyParameterFromQuery(Name = "page")] private int? PageParam { get; set; }

    private bool IsActive => Active is "1" or "true" or "yes";

    private int PageSize => Options.Value.PageSize;

    private int PageNumber => Math.Max(1, PageParam ?? 1);

    private int Offset => (PageNumber - 1) * PageSize;

    /// <summary>A search for a customer looks at any time; browsing looks at the last 24 hours.</summary>
    private string EffectiveRange => Range ?? (string.IsNullOrWhiteSpace(Q) && !IsActive ? "24h" : "all");

    private bool HasFilters => Q is not null || App is not null || Channel is not null || Country is not null || City is not null || Device is not null || Browser is not null ||
        Version is not null || Range is not null || Xp is not null || Errors is not null || Converted is not null || IsActive || Sort is not null;

    protected override void OnInitialized()
    {
        _appOptions = [.. Apps.All.Select(a => (a.Id, a.Name is { Length: > 0 } n ? n : a.Id))];
    }

    protected override async Task OnParametersSetAsync()
    {
        if (Q != _lastQ)
        {
            _text = Q;
            _lastQ = Q;
        }
        // Subscribed before the first read, so no change between the read and the subscription is missed.
        UpdateLive();
        await LoadAsync(_cts.Token);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        _loading = true;
        _error = null;
        try
        {
            var now = Clock.Now;
            _facets = await Sessions.FacetsAsync(App, cancellationToken);
            var search = new SessionQuery
            {
                App = App,
                Channel = Channels.Normalize(Channel),
                Country = Country,
                City = City,
                DeviceClass = Device,
                Browser = Browser,
                AppVersion = Version,
                From = TimeRanges.From(EffectiveRange, now),
                Experience = ExperienceScore.TryParse(Xp, out var xp) ? xp : null,
                HasErrors = YesNo(Errors),
                Converted = YesNo(Converted),
                Active = IsActive ? true : null,
                Order = Sort == "frustrated" ? SessionOrder.FrustratedFirst : SessionOrder.Recent,
                Limit = PageSize,
                Offset = Offset,
            };
            _term = CustomerFinder.Parse(Q);
            _customer = null;
            _notFound = false;
            if (_term is { Kind: SearchTerm.Visitor })
            {
                search = search with { Visitors = [_term.Value] };
            }
            else if (_term is { Kind: SearchTerm.Session })
            {
                search = search with { SessionIds = [_term.Value] };
            }
            else if (_term is not null)
            {
                _customer = await Finder.FindAsync(_term, App, cancellationToken);
                if (_customer is not null)
                {
                    // The walk read the customer's sessions already: filter those.
                    (_sessions, _total) = search.Apply(_customer.Journey.Sessions);
                    return;
                }
                else if (_term.Kind == Core.Identity.IdentityKeys.User)
                {
                    search = search with { UserTag = Finder.StoredKey(_term) };
                }
                else
                {
                    _notFound = true;
                }
            }
            if (_notFound)
            {
                (_sessions, _total) = ([], 0);
            }
            else
            {
                (_sessions, _total) = await Sessions.QueryAsync(search, cancellationToken);
                _notFound = _term is { IsIdentity: true } && _customer is null && _total == 0;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _loading = false;
        }
    }

    private void UpdateLive()
    {
        if (IsActive && RendererInfo.IsInteractive)
        {
            if (_live is null)
            {
                _live = new CancellationTokenSource();
                _ = LiveAsync(_live.Token);
            }
        }
        else
        {
            StopLive();
        }
    }

    // "Active now" changes when a session starts or ends (or one of the list is updated).
    private Task LiveAsync(CancellationToken cancellationToken) =>
        LiveRefresh.RunAsync(Feed, c => c.Kind != ChangeKind.Signal && (App is null || c.App == App),
            TimeSpan.FromMilliseconds(Options.Value.LiveCoalesceMs), () => InvokeAsync(async () =>
        {
            await LoadAsync(cancellationToken);
            StateHasChanged();
        }), cancellationToken);

    private void StopLive()
    {
        _live?.Cancel();
        _live?.Dispose();
        _live = null;
    }

    private async Task OnKeyDownAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter")
        {
            await SearchAsync();
        }
    }

    private Task SearchAsync()
    {
        var q = string.IsNullOrWhiteSpace(_text) ? null : _text.Trim();
        Nav.NavigateTo(Nav.GetUriWithQueryParameters(new Dictionary<string, object?> { ["q"] = q, ["page"] = null }));
        return Task.CompletedTask;
    }

    private Task ClearAsync(MouseEventArgs _)
    {
        _text = null;
        return SearchAsync();
    }

    private Task SetAsync(string name, string? value)
    {
        Nav.NavigateTo(Nav.GetUriWithQueryParameters(new Dictionary<string, object?> { [name] = value, ["page"] = null }));
        return Task.CompletedTask;
    }

    private string PageHref(int page) => Nav.GetUriWithQueryParameter("page", page <= 1 ? null : page);

    private static bool IsLive(SessionSummary s) => !s.Ended;

    private string Describe()
    {
        var parts = new List<string>();
        if (_customer is not null)
        {
            parts.Add("of " + Fmt.Customer(_customer.Journey.Id));
        }
        parts.Add(IsActive ? "active now" : TimeRanges.Label(EffectiveRange).ToLowerInvariant());
        parts.Add(Sort == "frustrated" ? "frustrated first" : "newest first");
        return string.Join(" · ", parts);
    }

    private static bool? YesNo(string? v) => v switch
    {
        "yes" or "true" or "1" => true,
        "no" or "false" or "0" => false,
        _ => null,
    };

    private static IReadOnlyList<(string, string)> Pairs(IReadOnlyList<string> values) => [.. values.Select(v => (v, v))];

    public void Dispose()
    {
        StopLive();
        _cts.Cancel();
        _cts.Dispose();
    }
}
