using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Waymark.Server.Tests.Infrastructure;

namespace Waymark.Server.Tests.Privacy;

/// <summary>
/// SQL in every filter: each query parameter and path value of every GET
/// endpoint in the OpenAPI document gets hostile SQL. None may fail the
/// server, show another app's data, or change what is stored.
/// </summary>
public sealed class InjectionTests(RouteAccessTests.Fixture fx) : IClassFixture<RouteAccessTests.Fixture>
{
    private static readonly string[] s_hostile =
    [
        "shop' OR '1'='1",
        "x'); DROP TABLE events; --",
        "\" OR 1=1 UNION SELECT * FROM sessions --",
    ];

    // Streams and long-polls hold the request open by design; their parameters are checked by their own tests.
    private static readonly HashSet<string> s_longPolls = ["/v1/live", "/v1/agent/interventions"];

    [Fact]
    public async Task SqlInEveryFilterOfEveryGetEndpoint_IsHarmless()
    {
        using var anonymous = new HttpClient { BaseAddress = fx.Server.BaseAddress };
        var openapi = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json")).RootElement;
        var wrong = new List<string>();
        var tried = 0;
        foreach (var path in openapi.GetProperty("paths").EnumerateObject())
        {
            if (!path.Value.TryGetProperty("get", out var get) || s_longPolls.Contains(path.Name))
            {
                continue;
            }
            var names = get.TryGetProperty("parameters", out var ps)
                ? ps.EnumerateArray().Select(p => (Name: p.GetProperty("name").GetString()!, In: p.GetProperty("in").GetString()!)).ToList()
                : [];
            if (!names.Exists(n => n.Name == "app"))
            {
                names.Add(("app", "query"));
            }
            foreach (var target in names)
            {
                foreach (var value in s_hostile)
                {
                    var url = Url(path.Name, names, target.Name, value);
                    var (status, body) = await GetAsync(url);
                    tried++;
                    if (status >= 500)
                    {
                        wrong.Add($"{url} answered {status}: {Cut(body)}");
                    }
                    if (body.Contains("SecretOtherPage", StringComparison.Ordinal) || body.Contains("v-2", StringComparison.Ordinal))
                    {
                        wrong.Add($"{url} showed the other app's data: {Cut(body)}");
                    }
                }
            }
        }
        Assert.Empty(wrong);
        Assert.True(tried > 300, $"only {tried} requests: the OpenAPI document lost its parameters?");

        // What is stored is untouched.
        var shop = await fx.Server.GetJsonAsync("/v1/sessions?app=shop");
        Assert.Contains("s-1", shop.GetRawText(), StringComparison.Ordinal);
        var other = await fx.Server.GetJsonAsync("/v1/sessions?app=other");
        Assert.Contains("SecretOtherPage", other.GetRawText(), StringComparison.Ordinal);
    }

    private static string Url(string template, List<(string Name, string In)> names, string target, string hostile)
    {
        var path = template;
        var query = new List<string>();
        foreach (var (name, where) in names)
        {
            var value = name == target ? hostile : name == "app" ? "shop" : "x";
            if (where == "path")
            {
                path = path.Replace("{" + name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
            }
            else if (where == "query" && (name == target || name == "app"))
            {
                query.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }
        return path + "?" + string.Join("&", query);
    }

    private async Task<(int Status, string Body)> GetAsync(string url)
    {
        using var client = new HttpClient { BaseAddress = fx.Server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WaymarkServer.AdminToken);
        try
        {
            using var response = await client.GetAsync(url);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (TaskCanceledException)
        {
            return (599, "no answer within 60 s");
        }
    }

    private static string Cut(string s) => s.Length > 300 ? s[..300] : s;
}
