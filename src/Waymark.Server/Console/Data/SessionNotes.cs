using System.Globalization;
using System.Security.Cryptography;
using DuckDB.NET.Data;
using Waymark.Server.Store;
using Waymark.Server.Store.DuckDb;

namespace Waymark.Server.Console.Data;

/// <summary>A note an operator attached to a session: a complaint reference, what the customer said.</summary>
public sealed record SessionNote(string Id, string App, string SessionId, string Author, string? Reference, string Text, DateTimeOffset Created);

/// <summary>
/// Notes on sessions, in the store's database file (table session_notes).
/// Notes are the operators' words, not facts from the app: they live beside
/// the events and are never derived from them.
/// </summary>
public sealed partial class SessionNotes(DuckDbStore store, TimeProvider clock, ILogger<SessionNotes> logger)
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS session_notes (
            note_id VARCHAR PRIMARY KEY, app VARCHAR NOT NULL, session_id VARCHAR NOT NULL, author VARCHAR NOT NULL,
            reference VARCHAR, text VARCHAR NOT NULL, created TIMESTAMP NOT NULL)
        """;

    public void EnsureSchema()
    {
        using var c = store.RentOwnedConnection();
        using var cmd = c.CreateCommand();
        cmd.CommandText = Schema;
        cmd.ExecuteNonQuery();
    }

    public async Task<IReadOnlyList<SessionNote>> ListAsync(string app, string sessionId, CancellationToken cancellationToken)
    {
        await Task.Yield();
        using var c = store.RentOwnedConnection();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT note_id, app, session_id, author, reference, text, created FROM session_notes WHERE app = $app AND session_id = $id ORDER BY created, note_id";
        cmd.Parameters.Add(new DuckDBParameter("app", app));
        cmd.Parameters.Add(new DuckDBParameter("id", sessionId));
        var list = new List<SessionNote>();
        using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            list.Add(new SessionNote(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetString(5),
                new DateTimeOffset(DateTime.SpecifyKind(r.GetDateTime(6), DateTimeKind.Utc))));
        }
        return list;
    }

    /// <summary>How many notes each of the sessions has (for lists).</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountAsync(string app, IReadOnlyCollection<string> sessionIds, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        if (sessionIds.Count == 0)
        {
            return counts;
        }
        await Task.Yield();
        using var c = store.RentOwnedConnection();
        using var cmd = c.CreateCommand();
        var names = new List<string>();
        var n = 0;
        foreach (var id in sessionIds.Take(5000))
        {
            var name = "s" + n++.ToString(CultureInfo.InvariantCulture);
            names.Add("$" + name);
            cmd.Parameters.Add(new DuckDBParameter(name, id));
        }
        cmd.CommandText = $"SELECT session_id, count(*) FROM session_notes WHERE app = $app AND session_id IN ({string.Join(", ", names)}) GROUP BY session_id";
        cmd.Parameters.Add(new DuckDBParameter("app", app));
        using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            counts[r.GetString(0)] = Convert.ToInt32(r.GetValue(1), CultureInfo.InvariantCulture);
        }
        return counts;
    }

    public async Task<SessionNote> AddAsync(string app, string sessionId, string author, string? reference, string text, CancellationToken cancellationToken)
    {
        var note = new SessionNote(
            "n-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), app, sessionId, author,
            string.IsNullOrWhiteSpace(reference) ? null : reference.Trim(), text.Trim(), clock.GetUtcNow());
        await Task.Yield();
        using var c = store.RentOwnedConnection();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "INSERT INTO session_notes VALUES ($id, $app, $session, $author, $reference, $text, $created)";
        cmd.Parameters.Add(new DuckDBParameter("id", note.Id));
        cmd.Parameters.Add(new DuckDBParameter("app", app));
        cmd.Parameters.Add(new DuckDBParameter("session", sessionId));
        cmd.Parameters.Add(new DuckDBParameter("author", author));
        cmd.Parameters.Add(new DuckDBParameter("reference", (object?)note.Reference ?? DBNull.Value));
        cmd.Parameters.Add(new DuckDBParameter("text", note.Text));
        cmd.Parameters.Add(new DuckDBParameter("created", note.Created.UtcDateTime));
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        LogNoteAdded(logger, author, app, sessionId);
        return note;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Author} added a note to session {App}/{Session}")]
    private static partial void LogNoteAdded(ILogger logger, string author, string app, string session);
}

/// <summary>Creates the notes table on start (after the store opens).</summary>
internal sealed class SessionNotesSchema(SessionNotes notes) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        notes.EnsureSchema();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
