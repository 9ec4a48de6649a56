namespace Waymark.Server.Store;

/// <summary>A note an operator attached to a session: a complaint reference, what the customer said.</summary>
public sealed record SessionNote(string Id, string App, string SessionId, string Author, string? Reference, string Text, DateTimeOffset Created);

/// <summary>
/// Notes on sessions. They are the operators' words, not facts from the app:
/// kept beside the events, never derived from them.
/// </summary>
public interface ISessionNotes
{
    Task<IReadOnlyList<SessionNote>> ListNotesAsync(string app, string sessionId, CancellationToken cancellationToken);

    /// <summary>How many notes each of the sessions has (for lists).</summary>
    Task<IReadOnlyDictionary<string, int>> CountNotesAsync(string app, IReadOnlyCollection<string> sessionIds, CancellationToken cancellationToken);

    Task AddNoteAsync(SessionNote note, CancellationToken cancellationToken);
}
