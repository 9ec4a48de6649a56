using Waymark.Core.Rules;
using Waymark.Server.Store;

namespace Waymark.Server.Rules;

/// <summary>Saving and deleting an app's rule document: checked, stored as the next revision, taken by the book (the API and the console).</summary>
public sealed class RuleDocuments(RuleBook book, IRuleStore store, TimeProvider clock)
{
    /// <summary>Saves the document when it parses; the errors otherwise (nothing is saved).</summary>
    public async Task<(RuleParseResult Parsed, StoredRuleDocument? Saved)> SaveAsync(string app, string text, string author, CancellationToken cancellationToken)
    {
        var parsed = book.Parse(text);
        if (parsed.Rules is null)
        {
            return (parsed, null);
        }
        var current = await store.GetRuleDocumentAsync(app, cancellationToken);
        var doc = new StoredRuleDocument(app, (current?.Revision ?? 0) + 1, text, author, clock.GetUtcNow());
        await store.SaveRuleDocumentAsync(doc, cancellationToken);
        book.Take(doc);
        return (parsed, doc);
    }

    /// <summary>Removes the app's rules (a revision that deletes); false when it had none.</summary>
    public async Task<bool> DeleteAsync(string app, string author, CancellationToken cancellationToken)
    {
        var current = await store.GetRuleDocumentAsync(app, cancellationToken);
        if (current is null || current.Deleted)
        {
            return false;
        }
        var doc = new StoredRuleDocument(app, current.Revision + 1, "", author, clock.GetUtcNow(), Deleted: true);
        await store.SaveRuleDocumentAsync(doc, cancellationToken);
        book.Take(doc);
        return true;
    }
}
