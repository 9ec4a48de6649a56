using System.Net;
using System.Text;
using Waymark.Server.Tests.Infrastructure;
using static Waymark.Server.Tests.Infrastructure.Beacons;

namespace Waymark.Server.Tests.Privacy;

/// <summary>
/// With Waymark:Identity:HashUserTags, no login reaches the store in clear:
/// the batch's user, an identify event and a server-side customer are all
/// stored as HMAC under the installation's secret, and the API and the
/// console still find the customer by the login typed in full.
/// </summary>
public sealed class UserTagHashingTests
{
    private const string Secret = "installation-secret-0123456789";
    private readonly DateTimeOffset _t0 = DateTimeOffset.UtcNow.AddHours(-2);

    private static Dictionary<string, string?> Hashing => new()
    {
        ["Waymark:Identity:HashSecret"] = Secret,
        ["Waymark:Identity:HashUserTags"] = "true",
    };

    [Fact]
    public async Task Logins_AreStoredHashed_YetFoundByTheLoginTypedInFull()
    {
        var folder = Directory.CreateTempSubdirectory("waymark-usertags-").FullName;
        try
        {
            await using (var server = await WaymarkServer.StartAsync(Hashing, folder))
            {
                // A login on the web (identify event), a batch that names its user, and a call.
                await OkAsync(server, Batch("v-web", "s-web", [View("w1", _t0, "Home"), Identify("w2", _t0.AddMinutes(1), "anna.kowalska.77")]));
                await OkAsync(server, Batch("v-app", "s-app", [View("m1", _t0.AddMinutes(20), "Trips")], channel: "mobile", user: "anna.kowalska.77"));
                await OkAsync(server, Batch("v-other", "s-other", [View("o1", _t0.AddMinutes(5), "Home"), Identify("o2", _t0.AddMinutes(6), "bob.brown.12")]));

                // The API finds her by the login, both sessions, and shows only the hash.
                var customer = await Eventually.ValueAsync(async () =>
                {
                    using var r = await server.Client.GetAsync("/v1/customers?app=shop&user=anna.kowalska.77");
                    return r.IsSuccessStatusCode && await r.Content.ReadAsStringAsync() is { } body && body.Contains("s-app", StringComparison.Ordinal) ? body : null;
                });
                Assert.Contains("s-web", customer, StringComparison.Ordinal);
                Assert.DoesNotContain("anna", customer, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("s-other", customer, StringComparison.Ordinal);

                var sessions = (await server.SessionsAsync("app=shop&user=anna.kowalska.77")).GetProperty("sessions");
                Assert.Equal(["s-app", "s-web"], sessions.EnumerateArray().Select(s => s.GetProperty("id").GetString()).Order(StringComparer.Ordinal));
                var stored = sessions[0].GetProperty("userTag").GetString()!;
                Assert.Matches("^[0-9a-f]{64}$", stored);
                Assert.Equal(stored, sessions[1].GetProperty("userTag").GetString());

                // The console's search box: the login typed in full, and the stored hash pasted back.
                using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true }) { BaseAddress = server.BaseAddress };
                using (await SignInForm.PostAsync(browser, "admin", WaymarkServer.AdminPassword))
                {
                }
                foreach (var typed in (string[])["anna.kowalska.77", "user:" + stored])
                {
                    var page = await browser.GetStringAsync("/?q=" + Uri.EscapeDataString(typed));
                    Assert.Contains("s-web", page, StringComparison.Ordinal);
                    Assert.Contains("s-app", page, StringComparison.Ordinal);
                    Assert.DoesNotContain("s-other", page, StringComparison.Ordinal);
                }
            }

            // Nothing the store wrote holds the logins in clear.
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                var text = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file));
                Assert.DoesNotContain("anna.kowalska", text, StringComparison.Ordinal);
                Assert.DoesNotContain("bob.brown", text, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task HashUserTags_WithoutASecret_StopsTheStartWithTheReason()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var server = await WaymarkServer.StartAsync(new() { ["Waymark:Identity:HashUserTags"] = "true" });
        });
        Assert.Contains("HashUserTags needs Waymark:Identity:HashSecret", ex.ToString(), StringComparison.Ordinal);
    }

    private static async Task OkAsync(WaymarkServer server, object beacon)
    {
        using var response = await server.PostAsync(beacon);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
