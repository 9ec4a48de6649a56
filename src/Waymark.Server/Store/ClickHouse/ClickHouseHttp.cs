using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Waymark.Server.Store.ClickHouse;

/// <summary>
/// ClickHouse's HTTP interface, without a driver (the ClickHouse.Driver
/// package does not work against 18.16, the version Debian ships): statements
/// as POST bodies, inserts as JSONEachRow, results as JSONEachRow with 64-bit
/// integers unquoted. A non-200 answer throws with ClickHouse's message.
/// </summary>
internal sealed class ClickHouseHttp : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _database;
    private readonly string _insertSettings;

    public ClickHouseHttp(ClickHouseOptions options, string? url = null)
    {
        _database = options.Database;
        // Into a Distributed table, an insert returns only when every shard has its rows: acknowledged means stored.
        _insertSettings = options.Cluster is { Length: > 0 } ? "&insert_distributed_sync=1" : "";
        url ??= options.Url;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = 32 })
        {
            BaseAddress = new Uri(url.EndsWith('/') ? url : url + "/"),
            Timeout = TimeSpan.FromSeconds(options.RequestTimeoutSeconds),
        };
        if (options.User is { Length: > 0 } user)
        {
            _http.DefaultRequestHeaders.Add("X-ClickHouse-User", user);
            _http.DefaultRequestHeaders.Add("X-ClickHouse-Key", options.Password ?? "");
        }
    }

    /// <summary>Runs a statement in no database (CREATE DATABASE) or in the store's.</summary>
    public Task ExecuteAsync(string sql, CancellationToken cancellationToken, bool inDatabase = true) =>
        SendAsync(sql, inDatabase ? "database=" + Uri.EscapeDataString(_database) : "", cancellationToken);

    /// <summary>Inserts rows (each a JSON object) into a table; completes when ClickHouse confirmed the insert.</summary>
    public async Task InsertAsync(string table, IReadOnlyList<byte[]> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }
        var length = rows.Sum(r => r.Length + 1);
        var body = new byte[length];
        var at = 0;
        foreach (var r in rows)
        {
            r.CopyTo(body, at);
            at += r.Length;
            body[at++] = (byte)'\n';
        }
        var query = "INSERT INTO " + table + " FORMAT JSONEachRow";
        using var content = new ByteArrayContent(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, "?database=" + Uri.EscapeDataString(_database) + _insertSettings + "&query=" + Uri.EscapeDataString(query)) { Content = content };
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(response, query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a query and reads its rows.</summary>
    public async Task<List<JsonElement>> QueryAsync(string sql, CancellationToken cancellationToken)
    {
        using var content = new StringContent(sql + "\nFORMAT JSONEachRow", Encoding.UTF8);
        using var request = new HttpRequestMessage(HttpMethod.Post, "?database=" + Uri.EscapeDataString(_database) + "&output_format_json_quote_64bit_integers=0") { Content = content };
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(response, sql, cancellationToken).ConfigureAwait(false);
        var rows = new List<JsonElement>();
        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length > 0)
            {
                using var doc = JsonDocument.Parse(line);
                rows.Add(doc.RootElement.Clone());
            }
        }
        return rows;
    }

    private async Task SendAsync(string sql, string query, CancellationToken cancellationToken)
    {
        using var content = new StringContent(sql, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        using var request = new HttpRequestMessage(HttpMethod.Post, query.Length == 0 ? "" : "?" + query) { Content = content };
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(response, sql, cancellationToken).ConfigureAwait(false);
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string sql, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var message = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        throw new ClickHouseException($"ClickHouse answered {(int)response.StatusCode}: {message.Trim()} (statement: {(sql.Length > 300 ? sql[..300] + "…" : sql)})");
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>ClickHouse refused a statement or could not be reached.</summary>
public sealed class ClickHouseException(string message) : Exception(message);
