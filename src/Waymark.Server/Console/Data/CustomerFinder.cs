using System.Text.RegularExpressions;
using Waymark.Core.Identity;
using Waymark.Server.Store;
using Waymark.Server.Apps;
using Waymark.Server.Ingest;

namespace Waymark.Server.Console.Data;

/// <summary>What the search box was given: a kind of key and its value as typed.</summary>
public sealed record SearchTerm(string Kind, string Value)
{
    public const string Visitor = "visitor";
    public const string Session = "session";

    public bool IsIdentity => Kind is IdentityKeys.User or IdentityKeys.Email or IdentityKeys.Phone or IdentityKeys.Loyalty;
}

/// <summary>A customer the search found, in one app, with the stored key that names them.</summary>
public sealed record FoundCustomer(string App, string Kind, string Key, CustomerJourney Journey)
{
    /// <summary>The console's link to the customer page (the stored key: an e-mail or phone never goes into a URL in clear).</summary>
    public string Href => CustomerFinder.Href(App, Kind, Key);
}

/// <summary>
/// Turns the one search box into a customer: an e-mail address or a phone
/// number is hashed the way the collector stores it (Enricher.IdentityKey),
/// a user tag is looked up as it is. "kind:value" names the kind outright
/// (user:, email:, phone:, loyalty:, visitor:, session:).
/// </summary>
public sealed partial class CustomerFinder(IIdentityLinks customers, Enricher enricher, AppRegistry apps)
{
    public static SearchTerm? Parse(string? text)
    {
        var q = text?.Trim();
        if (string.IsNullOrEmpty(q))
        {
            return null;
        }
        var colon = q.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && colon < q.Length - 1)
        {
            var prefix = q[..colon].Trim().ToLowerInvariant();
            var rest = q[(colon + 1)..].Trim();
            if (prefix is SearchTerm.Visitor or SearchTerm.Session)
            {
                return new SearchTerm(prefix, rest);
            }
            if (IdentityKeys.Kind(prefix) is { } kind && prefix.Length > 0)
            {
                return new SearchTerm(kind, rest);
            }
        }
        if (q.Contains('@', StringComparison.Ordinal) && q.Contains('.', StringComparison.Ordinal) && !q.Contains(' ', StringComparison.Ordinal))
        {
            return new SearchTerm(IdentityKeys.Email, q);
        }
        if (PhoneLike().IsMatch(q) && q.Count(char.IsAsciiDigit) >= 6)
        {
            return new SearchTerm(IdentityKeys.Phone, q);
        }
        return new SearchTerm(IdentityKeys.User, q);
    }

    /// <summary>The stored key of an identity as typed; a 64-hex-digit value of a hashed kind is taken as its SHA-256.</summary>
    public string? StoredKey(SearchTerm term)
    {
        if (!term.IsIdentity)
        {
            return null;
        }
        // A login is never taken for its SHA-256 unless logins are stored hashed.
        var hashed = (term.Kind != IdentityKeys.User || enricher.HashesUserTags) && Sha256Hex().IsMatch(term.Value);
        return enricher.IdentityKey(term.Kind, term.Value, hashed);
    }

    /// <summary>The customer of a search term in the app given, or in the first configured app that knows them.</summary>
    public async Task<FoundCustomer?> FindAsync(SearchTerm term, string? app, CancellationToken cancellationToken)
    {
        if (StoredKey(term) is not { } key)
        {
            return null;
        }
        var found = await FindByKeyAsync(term.Kind, key, app, cancellationToken);
        // 64 hex digits may also be a stored key copied from the console.
        if (found is null && term.IsIdentity && Sha256Hex().IsMatch(term.Value) && !string.Equals(term.Value, key, StringComparison.OrdinalIgnoreCase))
        {
            found = await FindByKeyAsync(term.Kind, term.Value.ToLowerInvariant(), app, cancellationToken);
        }
        return found;
    }

    public async Task<FoundCustomer?> FindByKeyAsync(string kind, string key, string? app, CancellationToken cancellationToken)
    {
        foreach (var candidate in app is null ? apps.All.Select(a => a.Id) : [app])
        {
            if (await customers.GetCustomerAsync(candidate, kind, key, cancellationToken) is { } journey)
            {
                return new FoundCustomer(candidate, kind, key, journey);
            }
        }
        return null;
    }

    /// <summary>A user tag goes into the link as it is; a stored hash (of any kind) goes in as the key, which is not hashed again.</summary>
    public static string Href(string app, string kind, string key) =>
        kind == IdentityKeys.User && !Sha256Hex().IsMatch(key)
            ? $"/customers?app={Uri.EscapeDataString(app)}&user={Uri.EscapeDataString(key)}"
            : $"/customers?app={Uri.EscapeDataString(app)}&kind={Uri.EscapeDataString(kind)}&key={Uri.EscapeDataString(key)}";

    [GeneratedRegex(@"^\+?[0-9][0-9 ()./-]{4,}$")]
    private static partial Regex PhoneLike();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Hex();
}
