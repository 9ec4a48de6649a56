using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Waymark.Demo;
using Waymark.Server.Hosting;

namespace Waymark.Server.Tests.Infrastructure;

/// <summary>
/// The real Waymark host, started in-process on 127.0.0.1:0 with a temporary
/// DuckDB file and two test apps. Dispose stops it and deletes the folder.
/// </summary>
public sealed class WaymarkServer : IAsyncDisposable
{
    public const string App = "shop";
    public const string Key = "shop-key";
    public const string ServerKey = "shop-server-secret";
    public const string Origin = "https://shop.example";
    /// <summary>An admin API token the test servers accept; <see cref="Client"/> sends it.</summary>
    public const string AdminToken = "test-admin-token-0123456789";
    public const string OperatorToken = "test-operator-token-0123456789";
    public const string AdminPassword = "admin-password-for-tests";

    private readonly bool _ownsFolder;
    private bool _stopped;

    private WaymarkServer(WebApplication app, string folder, bool ownsFolder, Uri baseAddress)
    {
        _ownsFolder = ownsFolder;
        Application = app;
        Folder = folder;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminToken);
    }

    public WebApplication Application { get; }
    public string Folder { get; }
    public Uri BaseAddress { get; }
    public HttpClient Client { get; }
    public string DatabasePath => Path.Combine(Folder, "waymark.duckdb");

    /// <summary>The settings every test server gets; <paramref name="settings"/> add to or override them.</summary>
    public static Dictionary<string, string?> DefaultSettings(string folder) => new()
    {
        ["urls"] = "http://127.0.0.1:0",
        ["contentRoot"] = folder,
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Orleans"] = "Error",
        ["Waymark:Store:Path"] = Path.Combine(folder, "waymark.duckdb"),
        ["Waymark:Store:MemoryLimit"] = "1GB",
        ["Waymark:Demo:Enabled"] = "false",
        ["Waymark:Apps:0:Id"] = App,
        ["Waymark:Apps:0:IngestKey"] = Key,
        ["Waymark:Apps:0:ServerKey"] = ServerKey,
        ["Waymark:Apps:0:AllowedOrigins:0"] = Origin,
        ["Waymark:Apps:0:AllowedQueryParams:0"] = "lang",
        ["Waymark:Apps:0:FirstPartyHosts:0"] = "shop.example",
        ["Waymark:Auth:AdminPassword"] = AdminPassword,
        ["Waymark:Auth:Tokens:0:Name"] = "tests",
        ["Waymark:Auth:Tokens:0:Token"] = AdminToken,
        ["Waymark:Auth:Tokens:0:Role"] = "admin",
        ["Waymark:Auth:Tokens:1:Name"] = "operator",
        ["Waymark:Auth:Tokens:1:Token"] = OperatorToken,
        ["Waymark:Auth:Tokens:1:Role"] = "operator",
        ["Waymark:Apps:1:Id"] = "other",
        ["Waymark:Apps:1:IngestKey"] = "other-key",
    };

    public static async Task<WaymarkServer> StartAsync(
        Dictionary<string, string?>? settings = null, string? folder = null, Action<WebApplication>? map = null, Action<WebApplicationBuilder>? configure = null)
    {
        var ownsFolder = folder is null;
        folder ??= Directory.CreateTempSubdirectory("waymark-test-").FullName;
        var all = DefaultSettings(folder);
        foreach (var (k, v) in settings ?? [])
        {
            all[k] = v;
        }
        var args = all.Select(kv => $"--{kv.Key}={kv.Value}").ToArray();
        // The demo loader is there in every test server, off unless a test turns it on.
        var app = WaymarkApp.Create(args, b =>
        {
            b.AddWaymarkDemo();
            configure?.Invoke(b);
        }, map);
        await app.StartAsync();
        var address = WaymarkApp.Addresses(app).First();
        return new WaymarkServer(app, folder, ownsFolder, new Uri(address));
    }

    /// <summary>Posts a beacon as JSON; returns the response.</summary>
    public Task<HttpResponseMessage> PostAsync(object beacon, string contentType = "application/json") =>
        Client.PostAsync("/v1/beacon", new StringContent(JsonSerializer.Serialize(beacon), Encoding.UTF8, contentType));

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task<JsonElement> SessionsAsync(string query) => await GetJsonAsync("/v1/sessions?" + query);

    public async ValueTask StopAsync()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        Client.Dispose();
        await Application.StopAsync();
        await Application.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (!_ownsFolder)
        {
            return;
        }
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left to the OS's temp cleanup.
        }
    }
}
