using System.Globalization;
using Waymark.Server.Store;
using Waymark.Server.Tests.Infrastructure;
using Waymark.Server.Store.DuckDb;
using static Waymark.Client.Tests.ClientKit;

namespace Waymark.Client.Tests;

/// <summary>
/// Acceptance: a process using the SDK is killed (or crashes) with events
/// queued, and a new process on the same device sends them: each arrives once.
/// </summary>
public sealed class RestartTests
{
    [Fact]
    public async Task ProcessKilledWithABatchInFlight_RestartDeliversEveryEventOnce()
    {
        const int n = 300;
        await using var server = await WaymarkServer.StartAsync();
        var store = (DuckDbStore)server.Application.Services.GetService(typeof(DuckDbStore))!;
        var folder = TempFolder();
        try
        {
            string session;
            // The store holds its commits: the first batch reaches the server but is
            // never answered, so the killed process cannot know it was delivered.
            using (store.PauseWrites())
            {
                using var first = ClientProcess.Start("record", server.BaseAddress.ToString(), folder, n.ToString(CultureInfo.InvariantCulture));
                session = await first.WaitForLineAsync("SESSION ");
                Assert.Equal(n.ToString(CultureInfo.InvariantCulture), await first.WaitForLineAsync("RECORDED "));
                await WaitUntilAsync(() => store.PendingEvents > 0);
                first.Kill();
            }

            using var second = ClientProcess.Start("send", server.BaseAddress.ToString(), folder);
            Assert.Equal(n.ToString(CultureInfo.InvariantCulture), await second.WaitForLineAsync("QUEUED "));
            await second.WaitForLineAsync("FLUSHED");
            Assert.Equal(0, await second.WaitForExitAsync());

            var events = await server.EventsAsync(session);
            Assert.Equal(n, events.Count);
            Assert.Equal(n, events.Select(e => e.Str("id")).Distinct().Count());
            // The test app records an identify, a screen view every 50 events and custom events.
            Assert.Single(events, e => e.Str("type") == "identify");
            Assert.Equal((n - 1) / 50, events.Count(e => e.Str("type") == "view"));
            Assert.Equal(n - 1 - (n - 1) / 50, events.Count(e => e.Str("type") == "custom"));
        }
        finally
        {
            DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task ProcessCrashesOnAnUnhandledException_TheCrashAndTheQueueArriveAtTheNextStart()
    {
        const int n = 100;
        var folder = TempFolder();
        try
        {
            string session;
            using (var first = ClientProcess.Start("crash", Unreachable.ToString(), folder, n.ToString(CultureInfo.InvariantCulture)))
            {
                session = await first.WaitForLineAsync("SESSION ");
                await first.WaitForLineAsync("RECORDED ");
                Assert.NotEqual(0, await first.WaitForExitAsync());
            }

            await using var server = await WaymarkServer.StartAsync();
            using var second = ClientProcess.Start("send", server.BaseAddress.ToString(), folder);
            Assert.Equal((n + 1).ToString(CultureInfo.InvariantCulture), await second.WaitForLineAsync("QUEUED "));
            await second.WaitForLineAsync("FLUSHED");
            Assert.Equal(0, await second.WaitForExitAsync());

            var events = await server.EventsAsync(session);
            Assert.Equal(n + 1, events.Count);
            Assert.Equal(n + 1, events.Select(e => e.Str("id")).Distinct().Count());
            var crash = Assert.Single(events, e => e.Str("type") == "error");
            Assert.Equal("InvalidOperationException: The card reader went away", crash.Str("message"));
            Assert.True(crash.GetProperty("failed").GetBoolean(), "a crash is a fatal error");
            Assert.Equal(1, (await server.SessionAsync(session)).GetProperty("crashes").GetInt32());
        }
        finally
        {
            DeleteFolder(folder);
        }
    }
}
