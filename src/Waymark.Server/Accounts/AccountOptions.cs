namespace Waymark.Server.Accounts;

/// <summary>The roles, from least to most.</summary>
public static class Roles
{
    public const string Operator = "operator";
    public const string Analyst = "analyst";
    public const string Developer = "developer";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Operator, Analyst, Developer, Admin];

    /// <summary>Who may change what analysis is made of (journey maps, segments, noise marks, uploaded logs): not operators.</summary>
    public static readonly string[] Editors = [Analyst, Developer, Admin];

    public static bool IsRole(string? role) => role is not null && All.Contains(role);
}

/// <summary>A token for scripts and integrations, given in configuration.</summary>
public sealed class ConfiguredToken
{
    public string Name { get; set; } = "";
    public string Token { get; set; } = "";
    public string Role { get; set; } = Roles.Analyst;

    /// <summary>read, ingest-admin or admin (see TokenScopes). Default admin: a token in the configuration is the configurer's own.</summary>
    public string Scope { get; set; } = TokenScopes.Admin;

    /// <summary>When the token stops working; none by default.</summary>
    public DateTimeOffset? Expires { get; set; }
}

/// <summary>Accounts and sign-in (section Waymark:Auth).</summary>
public sealed class AccountOptions
{
    /// <summary>The first admin's password; when empty a random one is made and printed once on first start.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>API tokens from configuration (Authorization: Bearer &lt;token&gt;).</summary>
    public List<ConfiguredToken> Tokens { get; set; } = [];

    /// <summary>
    /// Admins must sign in with a second factor (TOTP): an admin without one
    /// is sent to set it up before anything else, and cannot use Basic
    /// credentials. Off by default; any account may turn one on at /account.
    /// </summary>
    public bool RequireTotpForAdmins { get; set; }

    /// <summary>How long a console sign-in lasts without activity, minutes.</summary>
    public int SessionMinutes { get; set; } = 8 * 60;
}
