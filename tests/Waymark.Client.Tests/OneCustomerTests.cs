using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Waymark.Server.Tests.Infrastructure;
using static Waymark.Server.Tests.Infrastructure.Beacons;

namespace Waymark.Client.Tests;

/// <summary>
/// Issue 4's journey: anonymous on the mobile app (SDK), the website (beacon,
/// then a login), a kiosk in the store (SDK with a loyalty card) and a call to
/// the contact centre (server-side event with a hashed phone number).
/// </summary>
public sealed class OneCustomerTests : IAsyncLifetime
{
    private WaymarkServer _server = null!;

    public async ValueTask InitializeAsync() =>
        _server = await WaymarkServer.StartAsync(new() { ["Waymark:Identity:HashSecret"] = "per-installation-secret" });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Journey_MobileWebKioskCall_IsOneCustomerWithFourSessions_AndUndoingTheKioskLinkRemovesIt()
    {
        // 1. Mobile app, anonymous: the traveller browses, then logs in in the app.
        string mobileSession;
        await using (var app = new WaymarkClient(ClientKit.Options(_server.BaseAddress, ClientKit.TempFolder(), o =>
        {
            o.Channel = "mobile";
            o.DeviceClass = "mobile";
            o.Touchpoint = null;
        })))
        {
            app.ScreenView("Home", TimeSpan.FromMilliseconds(600));
            using (app.Action("Search"))
            {
            }
            app.ScreenView("Results", TimeSpan.FromMilliseconds(1400));
            app.Identify("cust-4711");
            mobileSession = app.SessionId!;
            await app.FlushAsync();
        }

        // 2. Website: anonymous pages, then the login, whose account holds phone and card.
        var t = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.OK, (await _server.PostBeaconAsync(Batch("v-laptop-4711", "s-web-4711", [View("w1", t, "Offers")]))).StatusCode);
        var login = Identify("w2", t.AddMilliseconds(100), "cust-4711");
        login["props"] = new Dictionary<string, object> { ["phone"] = "+31 6 4711 4711", ["loyalty"] = "HZ-4711" };
        Assert.Equal(HttpStatusCode.OK, (await _server.PostBeaconAsync(Batch("v-laptop-4711", "s-web-4711", [login, View("w3", t.AddMilliseconds(200), "Dates")]))).StatusCode);

        await Task.Delay(300);

        // 3. Kiosk in the store: the loyalty card; then the next, unknown customer at the same kiosk.
        string kioskSession, nextKioskSession;
        var kioskFolder = ClientKit.TempFolder();
        await using (var kiosk = new WaymarkClient(ClientKit.Options(_server.BaseAddress, kioskFolder, o => o.VisitorId = "kiosk-ams-07")))
        {
            kiosk.StartSession();
            kiosk.ScreenView("Welcome");
            kiosk.Identify("hz-4711", WaymarkIdentity.Loyalty);
            kiosk.ScreenView("My bookings");
            kioskSession = kiosk.SessionId!;
            kiosk.EndSession();
            kiosk.StartSession();
            kiosk.ScreenView("Welcome");
            nextKioskSession = kiosk.SessionId!;
            await kiosk.FlushAsync();
        }

        // 4. Contact centre: the telephony system knows only the SHA-256 of the caller's number.
        var call = new Dictionary<string, object?>
        {
            ["app"] = WaymarkServer.App,
            ["channel"] = "contact-center",
            ["customer"] = new Dictionary<string, object> { ["idType"] = "phone", ["value"] = WaymarkIdentity.Hash(WaymarkIdentity.Phone, "+31647114711"), ["hashed"] = true },
            ["events"] = new object[]
            {
                Custom("call-1", DateTimeOffset.UtcNow.AddMilliseconds(100), "call.started"),
                Custom("call-2", DateTimeOffset.UtcNow.AddMilliseconds(200), "call.ended"),
            },
        };
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = new StringContent(JsonSerializer.Serialize(call), Encoding.UTF8, "application/json") })
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WaymarkServer.ServerKey);
            using var http = new HttpClient { BaseAddress = _server.BaseAddress };
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
        }

        var customer = await _server.GetJsonAsync("/v1/customers?app=shop&user=cust-4711");
        var sessions = customer.GetProperty("sessions").EnumerateArray().ToList();
        Assert.Equal(["mobile", "web", "kiosk", "contact-center"], sessions.Select(s => s.GetProperty("channel").GetString()));
        Assert.Equal(mobileSession, sessions[0].GetProperty("id").GetString());
        Assert.Equal(kioskSession, sessions[2].GetProperty("id").GetString());
        Assert.DoesNotContain(sessions, s => s.GetProperty("id").GetString() == nextKioskSession);

        var kioskLink = customer.GetProperty("links").EnumerateArray().Single(l => l.GetProperty("channel").GetString() == "kiosk");
        using var undo = await _server.Client.PostAsync($"/v1/links/{kioskLink.GetProperty("id").GetString()}/undo?app=shop", null);
        Assert.Equal(HttpStatusCode.OK, undo.StatusCode);

        var after = (await _server.GetJsonAsync("/v1/customers?app=shop&user=cust-4711")).GetProperty("sessions").EnumerateArray()
            .Select(s => s.GetProperty("id").GetString()).ToList();
        Assert.Equal(sessions.Where(s => s.GetProperty("channel").GetString() != "kiosk").Select(s => s.GetProperty("id").GetString()), after);
    }
}
