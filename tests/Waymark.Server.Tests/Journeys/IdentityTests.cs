using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Waymark.Core.Identity;
using Waymark.Server.Tests.Infrastructure;
using static Waymark.Server.Tests.Infrastructure.Beacons;

namespace Waymark.Server.Tests.Journeys;

/// <summary>Identity stitching: one customer across visitors and channels, and undoing a link.</summary>
public sealed class IdentityTests : IAsyncLifetime
{
    private WaymarkServer _server = null!;
    private readonly DateTimeOffset _t0 = DateTimeOffset.UtcNow.AddHours(-3);

    public async ValueTask InitializeAsync() =>
        _server = await WaymarkServer.StartAsync(new() { ["Waymark:Identity:HashSecret"] = "installation-secret" });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Customer_AcrossFourChannels_IsOneJourney_AndUndoingTheKioskLinkRemovesExactlyThatSession()
    {
        // Mobile app: anonymous browsing, login at the end of the session.
        await Ok(Batch("v-phone-app", "s-app", [View("m1", _t0, "Home"), View("m2", _t0.AddMinutes(1), "Search")], channel: "mobile"));
        await Ok(Batch("v-phone-app", "s-app", [Identify("m3", _t0.AddMinutes(2), "cust-7")], channel: "mobile"));
        // Web: anonymous, then a login whose traits carry the phone and the loyalty card.
        await Ok(Batch("v-laptop", "s-web", [View("w1", _t0.AddMinutes(30), "Home")]));
        var login = Identify("w2", _t0.AddMinutes(32), "cust-7");
        login["props"] = new Dictionary<string, object> { ["phone"] = "+31 6 1234 5678", ["loyalty"] = "HZ-1001", ["plan"] = "gold" };
        await Ok(Batch("v-laptop", "s-web", [login, View("w3", _t0.AddMinutes(33), "Dates")]));
        // Kiosk in the store: the loyalty card is scanned; then another, anonymous customer.
        var card = Identify("k2", _t0.AddMinutes(90), " hz-1001 ");
        card["idType"] = "loyalty";
        await Ok(Batch("kiosk-ams-1", "s-kiosk", [View("k1", _t0.AddMinutes(89), "Welcome"), card, View("k3", _t0.AddMinutes(91), "Bookings")], channel: "kiosk"));
        await Ok(Batch("kiosk-ams-1", "s-kiosk-next", [View("k4", _t0.AddMinutes(100), "Welcome")], channel: "kiosk"));
        // Contact centre: a call, the customer named by the SHA-256 of their phone number.
        var call = new Dictionary<string, object?>
        {
            ["app"] = WaymarkServer.App,
            ["channel"] = "contact-center",
            ["customer"] = new Dictionary<string, object> { ["idType"] = "phone", ["value"] = IdentityKeys.Sha256Hex("phone", "+31612345678"), ["hashed"] = true },
            ["events"] = new object[]
            {
                new Dictionary<string, object?> { ["id"] = "c1", ["type"] = "custom", ["ts"] = Ms(_t0.AddMinutes(120)), ["name"] = "call.started", ["props"] = new Dictionary<string, object> { ["reason"] = "could not book" } },
                new Dictionary<string, object?> { ["id"] = "c2", ["type"] = "custom", ["ts"] = Ms(_t0.AddMinutes(128)), ["name"] = "call.ended" },
            },
        };
        Assert.Equal(HttpStatusCode.OK, (await PostServerAsync(call, WaymarkServer.ServerKey)).StatusCode);

        var customer = await _server.GetJsonAsync("/v1/customers?app=shop&user=cust-7");
        Assert.Equal(["s-app", "s-web", "s-kiosk", SessionOf(customer, "contact-center")], Ids(customer));
        Assert.Equal(["mobile", "web", "kiosk", "contact-center"], customer.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        // The same customer, found by the phone number or the card.
        Assert.Equal(customer.GetProperty("id").GetString(), (await _server.GetJsonAsync("/v1/customers?app=shop&phone=%2B31%206%201234%205678")).GetProperty("id").GetString());
        Assert.Equal(4, (await _server.GetJsonAsync("/v1/customers?app=shop&loyalty=HZ-1001")).GetProperty("sessions").GetArrayLength());

        var kioskLink = customer.GetProperty("links").EnumerateArray().Single(l => l.GetProperty("channel").GetString() == "kiosk");
        using var undo = await _server.Client.PostAsync($"/v1/links/{kioskLink.GetProperty("id").GetString()}/undo?app=shop",
            new StringContent("{\"reason\":\"card lent to a friend\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, undo.StatusCode);

        var after = await _server.GetJsonAsync("/v1/customers?app=shop&user=cust-7");
        Assert.Equal(["s-app", "s-web", SessionOf(customer, "contact-center")], Ids(after));
        var undone = after.GetProperty("links").EnumerateArray().Single(l => l.GetProperty("id").GetString() == kioskLink.GetProperty("id").GetString());
        Assert.True(undone.GetProperty("undone").GetBoolean());
        Assert.Equal("card lent to a friend", undone.GetProperty("undoneReason").GetString());
    }

    [Fact]
    public async Task Identity_EmailAndPhone_AreNeverStoredInClear()
    {
        var login = Identify("p1", _t0, "cust-9");
        login["props"] = new Dictionary<string, object> { ["email"] = "Anna@Mail.example", ["phone"] = "+44 20 7946 0000" };
        await Ok(Batch("v-private", "s-private", [login]));
        var raw = (await _server.GetJsonAsync("/v1/sessions/s-private")).GetRawText() +
                  (await _server.GetJsonAsync("/v1/customers?app=shop&email=anna@mail.example")).GetRawText();
        Assert.DoesNotContain("anna", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("7946", raw, StringComparison.Ordinal);
        Assert.Contains("cust-9", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerEvents_WithThePublicIngestKey_AreRefused()
    {
        var call = new Dictionary<string, object?>
        {
            ["app"] = WaymarkServer.App,
            ["channel"] = "contact-center",
            ["customer"] = new Dictionary<string, object> { ["idType"] = "user", ["value"] = "cust-7" },
            ["events"] = new object[] { Custom("x1", _t0, "call.started") },
        };
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostServerAsync(call, WaymarkServer.Key)).StatusCode);
        // And a browser beacon cannot name a customer.
        var beacon = Batch("v-x", "s-x", [View("x2", _t0)]);
        beacon["customer"] = new Dictionary<string, object> { ["idType"] = "user", ["value"] = "cust-7" };
        Assert.Equal(HttpStatusCode.BadRequest, (await _server.PostAsync(beacon)).StatusCode);
    }

    private async Task Ok(object beacon)
    {
        using var response = await _server.PostAsync(beacon);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task<HttpResponseMessage> PostServerAsync(object body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events")
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await _server.Client.SendAsync(request);
    }

    private static List<string?> Ids(JsonElement customer) =>
        [.. customer.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("id").GetString())];

    private static string SessionOf(JsonElement customer, string channel) =>
        customer.GetProperty("sessions").EnumerateArray().Single(s => s.GetProperty("channel").GetString() == channel).GetProperty("id").GetString()!;
}
