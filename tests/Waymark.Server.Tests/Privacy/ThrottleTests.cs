using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Waymark.Server.Tests.Infrastructure;

namespace Waymark.Server.Tests.Privacy;

/// <summary>Wrong passwords and tokens are counted per account and per address; after too many, 429 until the lock ends.</summary>
public sealed class ThrottleTests : IAsyncLifetime
{
    private WaymarkServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await WaymarkServer.StartAsync(new()
    {
        ["Waymark:Auth:Throttle:MaxFailuresPerAccount"] = "5",
        ["Waymark:Auth:Throttle:MaxFailuresPerAddress"] = "1000",
        ["Waymark:Auth:Throttle:Lockout"] = "00:00:03",
    });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Basic_TwentyWrongPasswords_AreThrottled_AndTheRightOneWorksAfterTheLockout()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var wrong = Basic("admin", "wrong-" + i);
            using var response = await wrong.GetAsync("/v1/me");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
                Assert.Contains("Too many", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }
        Assert.All(statuses.Take(4), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.All(statuses.Skip(4), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));

        // Locked: the right password is refused too, so a guesser cannot tell.
        using var right = Basic("admin", WaymarkServer.AdminPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await right.GetAsync("/v1/me")).StatusCode);
        // Another account is not locked by admin's failures.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Basic("nobody", "x").GetAsync("/v1/me")).StatusCode);

        Assert.True(await Until(async () => (await right.GetAsync("/v1/me")).StatusCode == HttpStatusCode.OK), "the right password works once the lock ends");
    }

    [Fact]
    public async Task SignInForm_WrongPasswords_AreThrottled_ThenTheRightOneSignsIn()
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.BaseAddress };
        HttpStatusCode last = default;
        for (var i = 0; i < 20; i++)
        {
            using var r = await SignInForm.PostAsync(browser, "admin", "guess-" + i);
            last = r.StatusCode;
            Assert.True(r.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.TooManyRequests, r.StatusCode.ToString());
            Assert.True(i < 4 ? r.StatusCode == HttpStatusCode.Redirect : r.StatusCode == HttpStatusCode.TooManyRequests, $"attempt {i + 1}: {r.StatusCode}");
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, last);
        Assert.True(await Until(async () =>
        {
            using var r = await SignInForm.PostAsync(browser, "admin", WaymarkServer.AdminPassword);
            return r.StatusCode == HttpStatusCode.Redirect && r.Headers.Location?.ToString() == "/";
        }));
    }

    [Fact]
    public async Task Tokens_WrongOnesFromOneAddress_AreThrottled()
    {
        await using var server = await WaymarkServer.StartAsync(new()
        {
            ["Waymark:Auth:Throttle:MaxFailuresPerAddress"] = "10",
            ["Waymark:Auth:Throttle:Lockout"] = "00:00:03",
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/me");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "guessed-token-" + i);
            statuses.Add((await client.SendAsync(request)).StatusCode);
        }
        Assert.All(statuses.Take(9), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.All(statuses.Skip(9), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        Assert.True(await Until(async () => (await server.Client.GetAsync("/v1/me")).StatusCode == HttpStatusCode.OK));
    }

    private HttpClient Basic(string user, string password)
    {
        var client = new HttpClient { BaseAddress = _server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
        return client;
    }

    /// <summary>Polls a condition for up to a minute.</summary>
    internal static async Task<bool> Until(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
        return false;
    }
}
