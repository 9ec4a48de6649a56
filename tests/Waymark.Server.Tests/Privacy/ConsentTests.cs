using System.Net;
using System.Text;
using System.Text.Json;
using Waymark.Server.Tests.Infrastructure;
using static Waymark.Server.Tests.Infrastructure.Beacons;

namespace Waymark.Server.Tests.Privacy;

/// <summary>
/// Consent enforced on the server whatever the client sends: at none the visit is counted with no visitor id, user,
/// IP address or city kept; at analytics (the agent's anonymous) no identity; at full everything.
/// </summary>
public sealed class ConsentTests : IAsyncLifetime
{
    // 2.125.160.216 is Boxford, GB, in MaxMind's test database.
    private const string Boxford = "2.125.160.216";
    private WaymarkServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await WaymarkServer.StartAsync(new()
    {
        ["Waymark:Geo:DatabasePath"] = Repo.GeoIpCityTestDb,
        ["Waymark:Apps:1:Consent"] = "analytics",
        ["Waymark:Apps:1:AllowedOrigins:0"] = "https://other.example",
    });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task None_CountsTheVisit_WithNoVisitorUserIpOrCity()
    {
        var now = DateTimeOffset.UtcNow;
        var answer = await SendAsync(Batch("v-secret-none", "s-none", [View("n1", now.AddSeconds(-30), "Dates"), Identify("n2", now.AddSeconds(-20), "nina")], user: "nina"), "none");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Contains("needs full consent", answer.Body, StringComparison.Ordinal);
        // A second batch of the same session stays in the same (anonymous) journey.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Batch("v-secret-none", "s-none", [View("n3", now.AddSeconds(-10), "Pay")]), "none")).Status);

        var session = await EventuallyOneSessionAsync("s-none", 2);
        Assert.StartsWith("anon-", session.GetProperty("visitor").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, session.GetProperty("userTag").ValueKind);
        Assert.Equal("GB", session.GetProperty("location").GetProperty("country").GetString());
        Assert.Equal(JsonValueKind.Null, session.GetProperty("location").GetProperty("city").ValueKind);
        var everything = await AllSessionsTextAsync();
        Assert.DoesNotContain("v-secret-none", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("nina", everything, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Client.GetAsync("/v1/customers?app=shop&user=nina")).StatusCode);
    }

    [Fact]
    public async Task AgentAnonymous_IsAnalytics_KeepsTheVisitor_ButNoIdentity()
    {
        var now = DateTimeOffset.UtcNow;
        var answer = await SendAsync(Batch("v-anon", "s-anon", [View("a1", now.AddSeconds(-30), "Dates"), Identify("a2", now.AddSeconds(-20), "arno")], user: "arno"), "anonymous");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Contains("this batch's consent is analytics", answer.Body, StringComparison.Ordinal);
        var session = await EventuallyOneSessionAsync("s-anon", 1);
        Assert.Equal("v-anon", session.GetProperty("visitor").GetString());
        Assert.Equal(JsonValueKind.Null, session.GetProperty("userTag").ValueKind);
        Assert.Equal("Boxford", session.GetProperty("location").GetProperty("city").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Client.GetAsync("/v1/customers?app=shop&user=arno")).StatusCode);
    }

    [Fact]
    public async Task Full_KeepsTheUserAndTheLink()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Batch("v-full", "s-full", [View("f1", now.AddSeconds(-30)), Identify("f2", now.AddSeconds(-20), "fay")], user: "fay"), "full")).Status);
        var session = await EventuallyOneSessionAsync("s-full", 1);
        Assert.Equal("v-full", session.GetProperty("visitor").GetString());
        Assert.Equal("fay", session.GetProperty("userTag").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.GetAsync("/v1/customers?app=shop&user=fay")).StatusCode);
    }

    [Fact]
    public async Task AnAppsDefault_AppliesWhenTheClientDoesNotSay()
    {
        // App "other" is configured with Consent = analytics.
        var now = DateTimeOffset.UtcNow;
        var batch = Batch("v-other", "s-other", [View("o1", now.AddSeconds(-30)), Identify("o2", now.AddSeconds(-20), "otto")], app: "other", key: "other-key", user: "otto");
        var answer = await SendAsync(batch, null, origin: "https://other.example");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var session = await EventuallyOneSessionAsync("s-other", 1, app: "other");
        Assert.Equal(JsonValueKind.Null, session.GetProperty("userTag").ValueKind);
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("")]
    [InlineData("FULL; DROP TABLE events")]
    public async Task AnUnknownLevel_IsRefused_WithTheLevelsThereAre(string said)
    {
        var answer = await SendAsync(Batch("v-bad", "s-bad", [View("b1", DateTimeOffset.UtcNow.AddSeconds(-5))]), said);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("consent: one of none, analytics", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerEventsNamingACustomer_NeedFullConsent()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events")
        {
            Content = new StringContent(JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["app"] = "shop", ["channel"] = "contact-center", ["consent"] = "analytics",
                ["customer"] = new { idType = "email", value = "carla@example.com" },
                ["events"] = new[] { Custom("c1", DateTimeOffset.UtcNow.AddSeconds(-5), "call") },
            }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Waymark-Key", WaymarkServer.ServerKey);
        using var response = await _server.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("needs full consent", body, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(Dictionary<string, object?> batch, string? consent, string origin = WaymarkServer.Origin)
    {
        if (consent is not null)
        {
            batch["consent"] = consent;
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/beacon") { Content = new StringContent(JsonSerializer.Serialize(batch), Encoding.UTF8, "text/plain") };
        request.Headers.Add("Origin", origin);
        request.Headers.Add("X-Forwarded-For", Boxford);
        using var response = await _server.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> EventuallyOneSessionAsync(string session, int pages, string app = "shop")
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var list = (await _server.GetJsonAsync($"/v1/sessions?app={app}")).GetProperty("sessions").EnumerateArray()
                .Where(s => s.GetProperty("id").GetString()!.StartsWith(session, StringComparison.Ordinal)).ToList();
            if (list.Count == 1 && list[0].GetProperty("pages").GetInt32() == pages)
            {
                return list[0];
            }
            Assert.True(DateTime.UtcNow < deadline, $"session {session}: {list.Count} found, pages {string.Join(",", list.Select(s => s.GetProperty("pages").GetInt32()))}");
            await Task.Delay(100);
        }
    }

    private async Task<string> AllSessionsTextAsync()
    {
        var sb = new StringBuilder();
        foreach (var s in (await _server.GetJsonAsync("/v1/sessions?app=shop")).GetProperty("sessions").EnumerateArray())
        {
            sb.Append(s.GetRawText()).Append((await _server.GetJsonAsync($"/v1/sessions/{Uri.EscapeDataString(s.GetProperty("id").GetString()!)}?app=shop")).GetRawText());
        }
        return sb.ToString();
    }
}
