using Waymark.Demo;
using Waymark.Server.Tests.Infrastructure;

namespace Waymark.Server.Tests.Demo;

/// <summary>
/// One server with the demo's last 24 hours loaded (app "horizon") and a real
/// SMTP server beside it, shared by the acceptance tests on demo data so the
/// day is loaded once.
/// </summary>
public sealed class DemoDayServer : IAsyncLifetime
{
    public WaymarkServer Server { get; private set; } = null!;

    public SmtpServer Smtp { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Smtp = await SmtpServer.StartAsync();
        Server = await WaymarkServer.StartAsync(new()
        {
            ["Waymark:Demo:Enabled"] = "true",
            ["Waymark:Demo:Days"] = "1",
            ["Waymark:Demo:Scale"] = "1",
            ["Waymark:Apps:2:Id"] = "horizon",
            ["Waymark:Apps:2:IngestKey"] = "horizon-key",
            ["Waymark:Actions:Smtp:Host"] = "127.0.0.1",
            ["Waymark:Actions:Smtp:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Waymark:Actions:Smtp:Security"] = "none",
            ["Waymark:Actions:ConsoleUrl"] = "http://127.0.0.1/console",
        });
        var loader = (DemoLoader)Server.Application.Services.GetService(typeof(DemoLoader))!;
        await loader.Loaded.WaitAsync(TimeSpan.FromMinutes(10));
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Smtp.Dispose();
    }
}

[CollectionDefinition(nameof(DemoDayServer))]
public sealed class DemoDayCollection : ICollectionFixture<DemoDayServer>;
