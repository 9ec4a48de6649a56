using System.Text.Json;
using Waymark.Server.Store;

namespace Waymark.Server.Store.ClickHouse;

public sealed partial class ClickHouseStore : ISessionNotes, IAccountStore
{
    public async Task<IReadOnlyList<SessionNote>> ListNotesAsync(string app, string sessionId, CancellationToken cancellationToken)
    {
        var rows = await _http.QueryAsync($"""
            SELECT * FROM session_notes FINAL WHERE app = {Sql.Str(app)} AND session_id = {Sql.Str(sessionId)} ORDER BY created_us, note_id
            """, cancellationToken);
        return [.. rows.Select(r => new SessionNote(ClickHouseRows.S(r, "note_id")!, ClickHouseRows.S(r, "app")!, ClickHouseRows.S(r, "session_id")!,
            ClickHouseRows.S(r, "author")!, ClickHouseRows.S(r, "reference"), ClickHouseRows.S(r, "text")!, ClickHouseRows.T(r, "created_us")))];
    }

    public async Task<IReadOnlyDictionary<string, int>> CountNotesAsync(string app, IReadOnlyCollection<string> sessionIds, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        if (sessionIds.Count == 0)
        {
            return counts;
        }
        var rows = await _http.QueryAsync($"""
            SELECT session_id, uniqExact(note_id) AS n FROM session_notes WHERE app = {Sql.Str(app)} AND session_id IN {Sql.List(sessionIds.Take(5000))} GROUP BY session_id
            """, cancellationToken);
        foreach (var r in rows)
        {
            counts[ClickHouseRows.S(r, "session_id")!] = (int)ClickHouseRows.L(r, "n");
        }
        return counts;
    }

    public Task AddNoteAsync(SessionNote note, CancellationToken cancellationToken) =>
        _http.InsertAsync("session_notes", [JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["note_id"] = note.Id, ["app"] = note.App, ["session_id"] = note.SessionId, ["author"] = note.Author,
            ["reference"] = note.Reference, ["text"] = note.Text, ["created_us"] = Sql.Us(note.Created),
        })], cancellationToken);

    public Task<long> CountAccountsAsync(CancellationToken cancellationToken) => ScalarAsync("SELECT uniqExact(username) FROM accounts", cancellationToken);

    public async Task<StoredAccount?> FindAccountAsync(string username, CancellationToken cancellationToken) =>
        (await _http.QueryAsync($"SELECT * FROM accounts FINAL WHERE username = {Sql.Str(username)}", cancellationToken)).Select(ReadAccount).FirstOrDefault();

    public async Task<IReadOnlyList<StoredAccount>> ListAccountsAsync(CancellationToken cancellationToken) =>
        [.. (await _http.QueryAsync("SELECT * FROM accounts FINAL ORDER BY username", cancellationToken)).Select(ReadAccount)];

    /// <summary>
    /// Adds an account unless the name is taken. ClickHouse has no unique key:
    /// the check and the insert are two steps, so two admins creating the same
    /// name in the same instant could both succeed (the later row then wins).
    /// </summary>
    public async Task<bool> TryAddAccountAsync(StoredAccount account, CancellationToken cancellationToken)
    {
        if (await FindAccountAsync(account.Username, cancellationToken) is not null)
        {
            return false;
        }
        await _http.InsertAsync("accounts", [JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["version"] = NextSeq(), ["username"] = account.Username, ["password_hash"] = account.PasswordHash, ["role"] = account.Role,
            ["created_us"] = Sql.Us(account.Created),
        })], cancellationToken);
        return true;
    }

    private static StoredAccount ReadAccount(JsonElement r) =>
        new(ClickHouseRows.S(r, "username")!, ClickHouseRows.S(r, "password_hash")!, ClickHouseRows.S(r, "role")!, ClickHouseRows.T(r, "created_us"));
}
