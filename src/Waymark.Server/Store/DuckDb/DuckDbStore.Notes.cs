using System.Globalization;
using DuckDB.NET.Data;
using Waymark.Server.Store;

namespace Waymark.Server.Store.DuckDb;

public sealed partial class DuckDbStore : ISessionNotes
{
    public async Task<IReadOnlyList<SessionNote>> ListNotesAsync(string app, string sessionId, CancellationToken cancellationToken)
    {
        var c = await RentReaderAsync(cancellationToken);
        try
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT note_id, app, session_id, author, reference, text, created FROM session_notes WHERE app = $app AND session_id = $id ORDER BY created, note_id";
            cmd.Parameters.Add(new DuckDBParameter("app", app));
            cmd.Parameters.Add(new DuckDBParameter("id", sessionId));
            var list = new List<SessionNote>();
            using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                list.Add(new SessionNote(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Str(r, 4), r.GetString(5), Utc(r, 6)));
            }
            return list;
        }
        finally
        {
            ReturnReader(c);
        }
    }

    public async Task<IReadOnlyDictionary<string, int>> CountNotesAsync(string app, IReadOnlyCollection<string> sessionIds, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        if (sessionIds.Count == 0)
        {
            return counts;
        }
        var c = await RentReaderAsync(cancellationToken);
        try
        {
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
        finally
        {
            ReturnReader(c);
        }
    }

    public async Task AddNoteAsync(SessionNote note, CancellationToken cancellationToken)
    {
        var c = RentReader();
        try
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO session_notes VALUES ($id, $app, $session, $author, $reference, $text, $created)";
            cmd.Parameters.Add(new DuckDBParameter("id", note.Id));
            cmd.Parameters.Add(new DuckDBParameter("app", note.App));
            cmd.Parameters.Add(new DuckDBParameter("session", note.SessionId));
            cmd.Parameters.Add(new DuckDBParameter("author", note.Author));
            cmd.Parameters.Add(new DuckDBParameter("reference", (object?)note.Reference ?? DBNull.Value));
            cmd.Parameters.Add(new DuckDBParameter("text", note.Text));
            cmd.Parameters.Add(new DuckDBParameter("created", note.Created.UtcDateTime));
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            ReturnReader(c);
        }
    }
}
