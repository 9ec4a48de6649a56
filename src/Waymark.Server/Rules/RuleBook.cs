using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Waymark.Core.Rules;
using Waymark.Server.Store;

namespace Waymark.Server.Rules;

/// <summary>
/// Tells the names a rule may refer to (webhook targets, e-mail templates,
/// widgets): the actions area registers one from its configuration, so a
/// rule naming an unknown target is refused with its place.
/// </summary>
public interface IRuleCatalogSource
{
    RuleCatalog Catalog { get; }
}

/// <summary>An app's current rules: the stored document and what it parsed to.</summary>
public sealed record AppRules(StoredRuleDocument Document, RuleSet Set);

/// <summary>
/// The current rules of every app, as <see cref="RulesLogic"/> reads them: a
/// visitor's journey takes its app's rule set when it is made (a new visitor,
/// or a journey restored after it went idle), so a saved document reaches
/// every journey begun after the save.
/// </summary>
[SuppressMessage("Naming", "CA1710", Justification = "A book of rule sets by app; the dictionary is how RulesLogic reads it.")]
public sealed class RuleBook(IEnumerable<IRuleCatalogSource> catalogs) : IReadOnlyDictionary<string, RuleSet>
{
    private readonly ConcurrentDictionary<string, AppRules> _apps = new(StringComparer.Ordinal);
    private readonly IRuleCatalogSource? _catalog = catalogs.FirstOrDefault();

    /// <summary>The names rules are checked against.</summary>
    public RuleCatalog Catalog => _catalog?.Catalog ?? RuleCatalog.Open;

    /// <summary>Parses and checks a document against the current catalog.</summary>
    public RuleParseResult Parse(string text) => RuleSet.Parse(text, Catalog);

    /// <summary>The app's current rules, or null.</summary>
    public AppRules? Find(string app) => _apps.GetValueOrDefault(app);

    /// <summary>Every app with rules.</summary>
    public IEnumerable<AppRules> All => _apps.Values;

    /// <summary>
    /// Takes a stored revision: the app's rules become what it parses to (none
    /// when it is a deletion). False when it does not parse (it is then not taken).
    /// </summary>
    public bool Take(StoredRuleDocument document)
    {
        if (_apps.TryGetValue(document.App, out var have) && have.Document.Revision >= document.Revision)
        {
            return true;
        }
        if (document.Deleted)
        {
            _apps.TryRemove(document.App, out _);
            return true;
        }
        var parsed = Parse(document.Text);
        if (parsed.Rules is null)
        {
            return false;
        }
        _apps[document.App] = new AppRules(document, parsed.Rules);
        return true;
    }

    public RuleSet this[string key] => _apps[key].Set;
    public IEnumerable<string> Keys => _apps.Keys;
    public IEnumerable<RuleSet> Values => _apps.Values.Select(a => a.Set);
    public int Count => _apps.Count;
    public bool ContainsKey(string key) => _apps.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out RuleSet value)
    {
        if (_apps.TryGetValue(key, out var a))
        {
            value = a.Set;
            return true;
        }
        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, RuleSet>> GetEnumerator() =>
        _apps.Select(p => new KeyValuePair<string, RuleSet>(p.Key, p.Value.Set)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// Loads every app's rules before the silo starts (so the first journeys
/// have them), then takes revisions saved on other nodes every few seconds.
/// </summary>
public sealed partial class RuleBookLoader(RuleBook book, IRuleStore store, ILogger<RuleBookLoader> logger) : IHostedService, IDisposable
{
    /// <summary>How often the stored revisions are read again (edits made on another node).</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        _loop = Task.Run(RefreshLoop, CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        foreach (var doc in await store.ListRuleDocumentsAsync(cancellationToken))
        {
            if (!book.Take(doc))
            {
                LogRefused(logger, doc.App, doc.Revision);
            }
        }
    }

    private async Task RefreshLoop()
    {
        using var timer = new PeriodicTimer(RefreshInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    await LoadAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRefreshFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public void Dispose() => _stop.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The stored rules of app {App} (revision {Revision}) do not pass the checks (a target or template was removed from the configuration?); the app keeps the rules it had")]
    private static partial void LogRefused(ILogger logger, string app, long revision);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the stored rules failed; the current ones stay")]
    private static partial void LogRefreshFailed(ILogger logger, Exception ex);
}
