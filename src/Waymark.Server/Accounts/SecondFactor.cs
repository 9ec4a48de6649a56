using System.Collections.Concurrent;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Waymark.Server.Store;

namespace Waymark.Server.Accounts;

/// <summary>
/// The optional second factor of console accounts: a TOTP secret per
/// account, set up by the account's owner (a pending secret confirmed with a
/// first code), asked for at sign-in after the password, removed by the owner
/// with a code or by an admin. Kept in the store's settings (installation-wide,
/// app ""), so every node of a cluster knows it. A code is accepted once: a
/// step already used by the account is refused (on this node).
/// </summary>
public sealed partial class SecondFactor(IExperienceSettings settings, IDataProtectionProvider protection, IOptions<AccountOptions> options,
    TimeProvider clock, ILogger<SecondFactor> logger)
{
    public const string Kind = "totp";
    public const string PendingKind = "totp-pending";

    /// <summary>The claim a cookie carries while its admin must still set up a second factor.</summary>
    public const string SetupClaim = "waymark:second-factor";
    public const string SetupRequired = "setup-required";

    private const string Installation = "";
    private static readonly TimeSpan s_ticketLife = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, long> _lastStep = new(StringComparer.Ordinal);
    private readonly ITimeLimitedDataProtector _tickets = protection.CreateProtector("Waymark.SignIn.SecondFactor").ToTimeLimitedDataProtector();

    /// <summary>Whether admins must have a second factor (Waymark:Auth:RequireTotpForAdmins).</summary>
    public bool RequiredForAdmins => options.Value.RequireTotpForAdmins;

    public async Task<bool> IsEnabledAsync(string username, CancellationToken cancellationToken) =>
        await SecretAsync(Kind, username, cancellationToken) is not null;

    /// <summary>Whether the account must give a code or set one up before it may do anything: it has one, or it is an admin and admins must.</summary>
    public async Task<bool> GuardsAsync(string username, string role, CancellationToken cancellationToken) =>
        (RequiredForAdmins && role == Roles.Admin) || await IsEnabledAsync(username, cancellationToken);

    /// <summary>The secret being set up, made now when there is none yet.</summary>
    public async Task<string> PendingAsync(string username, bool renew, CancellationToken cancellationToken)
    {
        if (!renew && await SecretAsync(PendingKind, username, cancellationToken) is { } pending)
        {
            return pending;
        }
        var secret = Totp.NewSecret();
        await settings.SaveSettingAsync(new StoredSetting(Installation, PendingKind, username, secret, username, clock.GetUtcNow()), cancellationToken);
        return secret;
    }

    /// <summary>Turns the pending secret on when the code is its current one.</summary>
    public async Task<bool> ConfirmAsync(string username, string? code, CancellationToken cancellationToken)
    {
        if (await SecretAsync(PendingKind, username, cancellationToken) is not { } pending || !Accept(username, pending, code))
        {
            return false;
        }
        var now = clock.GetUtcNow();
        await settings.SaveSettingAsync(new StoredSetting(Installation, Kind, username, pending, username, now), cancellationToken);
        await settings.RemoveSettingAsync(Installation, PendingKind, username, username, now, cancellationToken);
        LogEnabled(logger, username);
        return true;
    }

    /// <summary>Checks a sign-in code (once per time step).</summary>
    public async Task<bool> VerifyAsync(string username, string? code, CancellationToken cancellationToken) =>
        await SecretAsync(Kind, username, cancellationToken) is { } secret && Accept(username, secret, code);

    /// <summary>Removes the account's second factor: by its owner with a current code, or by an admin (<paramref name="code"/> null).</summary>
    public async Task<bool> RemoveAsync(string username, string? code, string by, CancellationToken cancellationToken)
    {
        if (await SecretAsync(Kind, username, cancellationToken) is not { } secret || (code is not null && !Accept(username, secret, code)))
        {
            return false;
        }
        await settings.RemoveSettingAsync(Installation, Kind, username, by, clock.GetUtcNow(), cancellationToken);
        LogRemoved(logger, username, by);
        return true;
    }

    /// <summary>A short-lived ticket that the password was right, for the step that asks for the code.</summary>
    public string Ticket(string username) => _tickets.Protect(username, s_ticketLife);

    /// <summary>The account a ticket was made for; null when it expired or was altered.</summary>
    public string? ReadTicket(string? ticket)
    {
        if (string.IsNullOrEmpty(ticket))
        {
            return null;
        }
        try
        {
            return _tickets.Unprotect(ticket);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    private bool Accept(string username, string secret, string? code)
    {
        if (Totp.Match(secret, code, clock.GetUtcNow()) is not { } step)
        {
            return false;
        }
        // A code seen once is spent: a shoulder-surfer or a replayed form gets nothing.
        var accepted = false;
        _lastStep.AddOrUpdate(username, _ => { accepted = true; return step; }, (_, last) =>
        {
            accepted = step > last;
            return accepted ? step : last;
        });
        return accepted;
    }

    private async Task<string?> SecretAsync(string kind, string username, CancellationToken cancellationToken) =>
        (await settings.ListSettingsAsync(Installation, kind, cancellationToken)).FirstOrDefault(s => s.Key == username)?.Value is { Length: > 0 } v ? v : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {Username} turned on its second factor")]
    private static partial void LogEnabled(ILogger logger, string username);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The second factor of account {Username} was removed by {By}")]
    private static partial void LogRemoved(ILogger logger, string username, string by);
}
