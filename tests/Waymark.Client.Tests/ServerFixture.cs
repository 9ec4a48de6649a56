using Waymark.Server.Tests.Infrastructure;

namespace Waymark.Client.Tests;

/// <summary>One real server for a test class; each test uses its own client folder, visitor and sessions.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private WaymarkServer? _server;

    public WaymarkServer Server => _server ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync() =>
        // The test's own HTTP calls go to the server's loopback address: first-party.
        _server = await WaymarkServer.StartAsync(new() { ["Waymark:Apps:0:FirstPartyHosts:1"] = "127.0.0.1" });

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
