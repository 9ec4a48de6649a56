using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Waymark.Server.Tests.Infrastructure;
using static Waymark.Client.Tests.ClientKit;

namespace Waymark.Client.Tests;

/// <summary>What the SDK records arrives at the real server and reads back through the query API.</summary>
public sealed class EventTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private WaymarkServer Server => fixture.Server;

    [Fact]
    public async Task Record_ScreensActionsRequestsErrorsConversionIdentify_ArriveWithTheirFields()
    {
        var folder = TempFolder();
        try
        {
            await using var client = new WaymarkClient(Options(Server.BaseAddress, folder, o => o.FirstPartyHosts.Add("127.0.0.1")));
            using var http = new HttpClient(new WaymarkHttpHandler(client, new SocketsHttpHandler()));
            client.StartSession();
            var session = client.SessionId!;

            client.Identify(" 4000 1234 5678 ", WaymarkIdentity.Loyalty);
            client.Identify("ann", traits: new Dictionary<string, object?> { ["tier"] = "gold", ["visits"] = 3 });
            client.ScreenView("Welcome", TimeSpan.FromMilliseconds(420));
            string payId;
            using (var pay = client.Action("Pay"))
            {
                payId = pay.Id;
                using (var ok = await http.GetAsync(new Uri(Server.BaseAddress, "/health?card=4000123456781234")))
                {
                    Assert.True(ok.IsSuccessStatusCode);
                }
                await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("http://localhost:1/pay?amount=5"));
                pay.Fail(new InvalidOperationException("Card declined"));
            }
            client.Conversion("check-in", 49.5);
            try
            {
                ThrowPrinterTimeout();
            }
            catch (TimeoutException ex)
            {
                client.TrackError(ex);
            }
            await client.FlushAsync();

            Assert.Equal(0, client.QueuedEvents);
            var events = await Server.EventsAsync(session);
            Assert.Equal(9, events.Count);
            Assert.Equal(events.Count, events.Select(e => e.Str("id")).Distinct().Count());

            var view = Assert.Single(events, e => e.Str("type") == "view");
            Assert.Equal("Welcome", view.Str("name"));
            Assert.Equal(420, view.GetProperty("duration").GetDouble());

            var action = Assert.Single(events, e => e.Str("type") == "action");
            Assert.Equal(payId, action.Str("id"));
            Assert.Equal("Pay", action.Str("name"));
            Assert.True(action.GetProperty("failed").GetBoolean());
            Assert.True(action.GetProperty("duration").GetDouble() > 0);

            var requests = events.Where(e => e.Str("type") == "request").ToList();
            Assert.Equal(2, requests.Count);
            var health = Assert.Single(requests, r => r.GetProperty("status").GetInt32() == 200);
            Assert.Equal(new Uri(Server.BaseAddress, "/health").ToString(), health.Str("url"));
            Assert.Equal("GET", health.Str("method"));
            Assert.Equal(payId, health.Str("action"));
            Assert.False(health.GetProperty("thirdParty").GetBoolean());
            var failed = Assert.Single(requests, r => r.GetProperty("status").GetInt32() == 0);
            Assert.Equal("http://localhost:1/pay", failed.Str("url"));
            Assert.True(failed.GetProperty("thirdParty").GetBoolean());
            Assert.True(failed.GetProperty("failed").GetBoolean());
            Assert.Equal(payId, failed.Str("action"));

            var errors = events.Where(e => e.Str("type") == "error").ToList();
            var declined = Assert.Single(errors, e => e.Str("message") == "InvalidOperationException: Card declined");
            Assert.Equal(payId, declined.Str("action"));
            var timeout = Assert.Single(errors, e => e.Str("message") == "TimeoutException: The printer did not answer");
            Assert.Null(timeout.Str("action"));
            Assert.False(timeout.GetProperty("failed").GetBoolean());
            Assert.Contains(nameof(ThrowPrinterTimeout), timeout.Str("stack"));
            Assert.Contains(nameof(ThrowPrinterTimeout), timeout.Str("source"));
            Assert.Matches("^[0-9a-f]{32}$", timeout.Str("fingerprint"));
            Assert.NotEqual(declined.Str("fingerprint"), timeout.Str("fingerprint"));

            var conversion = Assert.Single(events, e => e.Str("type") == "conversion");
            Assert.Equal("check-in", conversion.Str("name"));
            Assert.Equal(49.5, conversion.GetProperty("value").GetDouble());

            var identities = events.Where(e => e.Str("type") == "identify").ToList();
            Assert.Equal(2, identities.Count);
            Assert.Contains(identities, e => e.Str("user") == "ann");
            // The card number is hashed on the device: it is never sent, nor stored, in clear.
            Assert.DoesNotContain(identities, e => e.Str("user")!.Contains("4000", StringComparison.Ordinal));

            var summary = await Server.SessionAsync(session);
            Assert.Equal("kiosk", summary.Str("channel"));
            Assert.Equal(client.VisitorId, summary.Str("visitor"));
            Assert.Equal("ann", summary.Str("userTag"));
            Assert.Equal("Schiphol, kiosk 12", summary.Str("touchpoint"));
            Assert.Equal("9.1.0", summary.GetProperty("device").Str("appVersion"));
            Assert.True(summary.GetProperty("converted").GetBoolean());
        }
        finally
        {
            DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task ActionAsync_BodyThrows_RecordsAFailedActionWithItsErrorAndRethrows()
    {
        var folder = TempFolder();
        try
        {
            await using var client = new WaymarkClient(Options(Server.BaseAddress, folder));
            client.StartSession();
            var session = client.SessionId!;

            await Assert.ThrowsAsync<InvalidOperationException>(() => client.ActionAsync("Scan passport", async () =>
            {
                await Task.Yield();
                throw new InvalidOperationException("The MRZ is unreadable");
            }));
            var answer = await client.ActionAsync("Print boarding pass", () => Task.FromResult(42));
            Assert.Equal(42, answer);
            await client.FlushAsync();

            var events = await Server.EventsAsync(session);
            var scan = Assert.Single(events, e => e.Str("name") == "Scan passport");
            Assert.True(scan.GetProperty("failed").GetBoolean());
            var error = Assert.Single(events, e => e.Str("type") == "error");
            Assert.Equal(scan.Str("id"), error.Str("action"));
            var print = Assert.Single(events, e => e.Str("name") == "Print boarding pass");
            Assert.False(print.GetProperty("failed").GetBoolean());
        }
        finally
        {
            DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task TrackError_SameFaultWithOtherMessages_GroupsUnderOneFingerprint()
    {
        var folder = TempFolder();
        try
        {
            await using var client = new WaymarkClient(Options(Server.BaseAddress, folder));
            client.StartSession();
            var session = client.SessionId!;
            foreach (var seat in new[] { "12A", "31C" })
            {
                try
                {
                    await ReserveSeatAsync(seat);
                }
                catch (InvalidOperationException ex)
                {
                    client.TrackError(ex);
                }
            }
            client.TrackError(new ArgumentException("Seat 12A"));
            await client.FlushAsync();

            var errors = await Server.EventsAsync(session);
            Assert.Equal(3, errors.Count);
            var reserve = errors.Where(e => e.Str("message")!.StartsWith("InvalidOperationException", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, reserve.Count);
            Assert.Equal(reserve[0].Str("fingerprint"), reserve[1].Str("fingerprint"));
            Assert.StartsWith(typeof(EventTests).FullName + "." + nameof(ReserveSeatAsync), reserve[0].Str("source"));
            Assert.NotEqual(reserve[0].Str("fingerprint"), errors.Single(e => e.Str("message")!.StartsWith("ArgumentException", StringComparison.Ordinal)).Str("fingerprint"));
        }
        finally
        {
            DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task Sessions_IdleEndedAndFull_StartNewSessionsAsTheServerCountsThem()
    {
        var folder = TempFolder();
        var clock = new ShiftedClock();
        try
        {
            await using var client = new WaymarkClient(Options(Server.BaseAddress, folder, o =>
            {
                o.TimeProvider = clock;
                o.SessionMaxActions = 3;
            }));
            client.ScreenView("Welcome");
            var first = client.SessionId!;
            clock.Advance(TimeSpan.FromMinutes(31));
            Assert.Null(client.SessionId);

            client.ScreenView("Welcome");
            var second = client.SessionId!;
            client.ScreenView("Flights");
            client.EndSession();
            Assert.Null(client.SessionId);
            client.EndSession();

            client.ScreenView("A");
            var third = client.SessionId!;
            client.ScreenView("B");
            client.ScreenView("C");
            client.ScreenView("D");
            var fourth = client.SessionId!;
            await client.FlushAsync();

            Assert.Equal(4, new[] { first, second, third, fourth }.Distinct().Count());
            Assert.Single(await Server.EventsAsync(first));
            var secondEvents = await Server.EventsAsync(second);
            Assert.Equal(["session_end", "view", "view"], secondEvents.Select(e => e.Str("type")).Order());
            var ended = await Server.SessionAsync(second);
            Assert.True(ended.GetProperty("ended").GetBoolean());
            Assert.Equal(3, (await Server.EventsAsync(third)).Count);
            Assert.Equal("D", Assert.Single(await Server.EventsAsync(fourth)).Str("name"));
        }
        finally
        {
            DeleteFolder(folder);
        }
    }

    [Fact]
    public void Hash_NormalizesEachKindAsTheServerDoes()
    {
        static string Sha(string s) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)));

        Assert.Equal(Sha("ann@example.com"), WaymarkIdentity.Hash("email", "  Ann@Example.COM "));
        Assert.Equal(Sha("+31612345678"), WaymarkIdentity.Hash("phone", "+31 6 1234 5678"));
        Assert.Equal(Sha("+31612345678"), WaymarkIdentity.Hash("PHONE", "(+31) 6-12 34 56 78"));
        Assert.Equal(Sha("0612345678"), WaymarkIdentity.Hash("phone", "06 1234 5678"));
        Assert.Equal(Sha("AB-1234"), WaymarkIdentity.Hash("loyalty", " ab-1234 "));
        Assert.Equal(Sha("Ann"), WaymarkIdentity.Hash("user", "Ann"));
        Assert.Throws<ArgumentException>(() => WaymarkIdentity.Hash("passport", "X"));
    }

    [Fact]
    public async Task Identify_WrongArguments_ThrowAtTheCall()
    {
        var folder = TempFolder();
        try
        {
            await using var client = new WaymarkClient(Options(Server.BaseAddress, folder));
            Assert.Throws<ArgumentException>(() => client.Identify("x", "passport"));
            Assert.Throws<ArgumentException>(() => client.Identify("not-a-hash", WaymarkIdentity.Email, hashed: true));
            client.Identify(WaymarkIdentity.Hash("email", "ann@example.com"), WaymarkIdentity.Email, hashed: true);
            Assert.Equal(1, client.QueuedEvents);
        }
        finally
        {
            DeleteFolder(folder);
        }
    }

    [Fact]
    public void Options_MissingOrWrong_AreRefusedWithTheFieldToFix()
    {
        var folder = TempFolder();
        try
        {
            var e = Assert.Throws<ArgumentException>(() => new WaymarkClient(Options(Server.BaseAddress, folder, o => o.Channel = "tv")));
            Assert.Contains("Channel", e.Message);
            e = Assert.Throws<ArgumentException>(() => new WaymarkClient(Options(Server.BaseAddress, folder, o => o.App = null)));
            Assert.Contains("App", e.Message);
            e = Assert.Throws<ArgumentException>(() => new WaymarkClient(Options(Server.BaseAddress, folder, o => o.BatchSize = 5000)));
            Assert.Contains("BatchSize", e.Message);
        }
        finally
        {
            DeleteFolder(folder);
        }
    }

    private static async Task ReserveSeatAsync(string seat)
    {
        await Task.Yield();
        throw new InvalidOperationException($"Seat {seat} is taken");
    }

    private static void ThrowPrinterTimeout() => throw new TimeoutException("The printer did not answer");
}
