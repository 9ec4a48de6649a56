using DuckDB.NET.Data;

namespace Waymark.Server.Console.Data;

public sealed partial class ConsoleQueries
{
    /// <summary>
    /// The key of a customer a session belongs to though it names no user:
    /// an active link of its visitor, or of the session itself on a shared
    /// device. Each branch filters on one indexed column (links_visitor).
    /// </summary>
    public async Task<(string Kind, string Key)?> LinkOfAsync(string app, string visitor, string sessionId, CancellationToken cancellationToken)
    {
        await store.WaitDerivedAsync(cancellationToken);
        await Task.Yield();
        using var c = store.RentOwnedConnection();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT app, session, kind, key, undone_at FROM links WHERE visitor = $visitor ORDER BY linked_at DESC";
        cmd.Parameters.Add(new DuckDBParameter("visitor", visitor));
        using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            var session = r.IsDBNull(1) ? null : r.GetString(1);
            if (r.GetString(0) == app && r.IsDBNull(4) && (session is null || session == sessionId))
            {
                return (r.GetString(2), r.GetString(3));
            }
        }
        return null;
    }
}
