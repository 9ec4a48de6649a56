namespace Waymark.Server.Store;

/// <summary>
/// One revision of an app's rule document (YAML or JSON text, as the author wrote it).
/// </summary>
/// <param name="App">The app the rules are for.</param>
/// <param name="Revision">1 for the first save, then one more per save (a delete is a revision too).</param>
/// <param name="Text">The document; empty when <paramref name="Deleted"/>.</param>
/// <param name="Author">Who saved it.</param>
/// <param name="Saved">When.</param>
/// <param name="Deleted">The app's rules were removed in this revision.</param>
public sealed record StoredRuleDocument(string App, long Revision, string Text, string Author, DateTimeOffset Saved, bool Deleted = false);

/// <summary>
/// The rule documents of the apps. Every save is kept as a revision (an audit
/// of who changed what); the latest revision of an app is its rules.
/// </summary>
public interface IRuleStore
{
    /// <summary>The latest revision of an app's document (possibly a deletion), or null when it never had one.</summary>
    Task<StoredRuleDocument?> GetRuleDocumentAsync(string app, CancellationToken cancellationToken);

    /// <summary>The latest revision of every app that has one, by app.</summary>
    Task<IReadOnlyList<StoredRuleDocument>> ListRuleDocumentsAsync(CancellationToken cancellationToken);

    /// <summary>Every revision of an app's document, newest first.</summary>
    Task<IReadOnlyList<StoredRuleDocument>> ListRuleRevisionsAsync(string app, CancellationToken cancellationToken);

    /// <summary>Stores a revision (the caller numbers it: the latest + 1). Saving the same (app, revision) again keeps one.</summary>
    Task SaveRuleDocumentAsync(StoredRuleDocument document, CancellationToken cancellationToken);
}
