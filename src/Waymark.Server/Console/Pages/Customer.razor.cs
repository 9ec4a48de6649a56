using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using MudBlazor;
using Waymark.Core.Identity;
using Waymark.Core.Sessions;
using Waymark.Server.Accounts;
using Waymark.Server.Console.Data;
using Waymark.Server.Journeys;
using Waymark.Server.Privacy;
using Waymark.Server.Store;

namespace Waymark.Server.Console.Pages;

/// <summary>
/// One customer across channels: every session on one timeline and the
/// identity links. Named by /customers?app=&amp;user= (a user tag),
/// &amp;kind=&amp;key= (a stored key), or &amp;email= / &amp;phone= / &amp;loyalty= in clear.
/// Analysts and admins may undo a link; operators and developers may not
/// (taking a customer apart changes what everyone sees).
/// </summary>
public sealed partial class Customer
{
    private FoundCustomer? _found;
    private bool _loaded;
    private bool _canUndo;
    private bool _isAdmin;
    private string _actor = "unknown";
    private CancellationTokenSource? _live;
    private readonly CancellationTokenSource _cts = new();

    [Inject] private CustomerFinder Finder { get; set; } = default!;
    [Inject] private IIdentityLinks Customers { get; set; } = default!;
    [Inject] private ConsoleTime Clock { get; set; } = default!;
    [Inject] private IChangeFeed Feed { get; set; } = default!;
    [Inject] private IOptions<ConsoleOptions> Options { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private CustomerRights Rights { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState>? AuthState { get; set; }

    [SupplyParameterFromQuery(Name = "app")] private string? App { get; set; }
    [SupplyParameterFromQuery(Name = "user")] private string? User { get; set; }
    [SupplyParameterFromQuery(Name = "email")] private string? Email { get; set; }
    [SupplyParameterFromQuery(Name = "phone")] private string? Phone { get; set; }
    [SupplyParameterFromQuery(Name = "loyalty")] private string? Loyalty { get; set; }
    [SupplyParameterFromQuery(Name = "kind")] private string? Kind { get; set; }
    [SupplyParameterFromQuery(Name = "key")] private string? Key { get; set; }

    private bool CanUndo => _canUndo;

    protected override async Task OnParametersSetAsync()
    {
        if (AuthState is not null)
        {
            var user = (await AuthState).User;
            _canUndo = user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Analyst);
            _isAdmin = user.IsInRole(Roles.Admin);
            _actor = user.Identity?.Name ?? "unknown";
        }
        // Subscribed before the first read, so no change between the read and the subscription is missed.
        if (RendererInfo.IsInteractive && _live is null)
        {
            _live = new CancellationTokenSource();
            _ = LiveAsync(_live.Token);
        }
        await LoadAsync(_cts.Token);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (Kind is not null && Key is not null && IdentityKeys.Kind(Kind) is { } kind)
            {
                _found = await Finder.FindByKeyAsync(kind, Key, App, cancellationToken);
            }
            else
            {
                var term = User is not null ? new SearchTerm(IdentityKeys.User, User)
                    : Email is not null ? new SearchTerm(IdentityKeys.Email, Email)
                    : Phone is not null ? new SearchTerm(IdentityKeys.Phone, Phone)
                    : Loyalty is not null ? new SearchTerm(IdentityKeys.Loyalty, Loyalty)
                    : null;
                _found = term is null ? null : await Finder.FindAsync(term, App, cancellationToken);
            }
            if (_found is { } f)
            {
                await Rights.ViewedAsync(_actor, f.App, f.Journey.Id, "console", cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        _loaded = true;
    }

    // The customer's page reloads when one of their visitors' journeys changes.
    private Task LiveAsync(CancellationToken cancellationToken) =>
        LiveRefresh.RunAsync(Feed, c => _found is not { } f || (c.App == f.App && f.Journey.Sessions.Any(s => s.Visitor == c.Visitor)),
            TimeSpan.FromMilliseconds(Options.Value.LiveCoalesceMs), () => InvokeAsync(async () =>
        {
            await LoadAsync(cancellationToken);
            StateHasChanged();
        }), cancellationToken);

    private async Task UndoAsync(string linkId)
    {
        if (!_canUndo || _found is null)
        {
            return;
        }
        var user = AuthState is null ? "?" : (await AuthState).User.Identity?.Name ?? "?";
        var link = await Customers.UndoLinkAsync(_found.App, linkId, "undone in the console by " + user, Clock.Now, _cts.Token);
        Snackbar.Add(link is null ? "That link is gone." : $"Link {link.Kind} {Fmt.Cut(link.Key, 16)} undone: its sessions left the customer.", link is null ? Severity.Warning : Severity.Success);
        await LoadAsync(_cts.Token);
    }

    private static bool IsLive(SessionSummary s) => !s.Ended;

    public void Dispose()
    {
        _live?.Cancel();
        _live?.Dispose();
        _cts.Cancel();
        _cts.Dispose();
    }
}
