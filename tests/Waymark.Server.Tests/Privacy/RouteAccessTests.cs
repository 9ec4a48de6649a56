using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Waymark.Server.Tests.Infrastructure;
using static Waymark.Server.Tests.Infrastructure.Beacons;

namespace Waymark.Server.Tests.Privacy;

/// <summary>
/// Every route of the running server, without a session and with each role:
/// the table below says who may call what, and every route the server maps
/// must be in it, so a new endpoint cannot slip in unclassified.
/// </summary>
public sealed class RouteAccessTests(RouteAccessTests.Fixture fx) : IClassFixture<RouteAccessTests.Fixture>
{
    private const string Public = "public";
    private static readonly string[] s_ladder = ["operator", "analyst", "developer", "admin"];

    /// <summary>Who may call each route: public, or the least role. Console pages are marked page.</summary>
    private static readonly Dictionary<string, string> s_access = new(StringComparer.Ordinal)
    {
        ["GET /health"] = Public, ["GET /ready"] = Public, ["GET /openapi/{documentName}.json"] = Public,
        ["POST /v1/beacon"] = Public, ["OPTIONS /v1/beacon"] = Public, ["POST /v1/events"] = Public,
        ["POST /v1/logs"] = Public, ["OPTIONS /v1/logs"] = Public, ["POST /v1/traces"] = Public, ["OPTIONS /v1/traces"] = Public,
        ["GET /agent/v1/waymark.js"] = Public, ["GET /agent/v1/offer.js"] = Public, ["GET /agent/v1/snippet"] = Public,
        ["GET /v1/agent/interventions"] = Public, ["POST /v1/agent/interventions/{firing}/{kind}"] = Public,
        ["GET /console/console.css"] = Public, ["GET /console/console.js"] = Public, ["POST /auth/signin"] = Public,
        ["POST /auth/signout"] = "operator", ["POST /auth/totp/begin"] = "operator", ["POST /auth/totp/confirm"] = "operator",
        ["POST /auth/totp/remove"] = "operator", ["DELETE /v1/admin/accounts/{name}/totp"] = "admin", ["GET /v1/me"] = "operator", ["GET /metrics"] = "operator",
        ["GET /v1/sessions"] = "operator", ["GET /v1/sessions/{id}"] = "operator", ["GET /v1/sessions/{id}/export"] = "operator",
        ["GET /v1/users/{tag}/sessions"] = "operator", ["GET /v1/customers"] = "operator", ["POST /v1/links/{id}/undo"] = "operator",
        ["GET /v1/live"] = "operator",
        ["POST /v1/funnels"] = "operator", ["POST /v1/paths"] = "operator", ["GET /v1/attribution"] = "operator",
        ["GET /v1/journey-maps/"] = "operator", ["GET /v1/journey-maps/{id}"] = "operator", ["GET /v1/journey-maps/{id}/versions"] = "operator",
        ["GET /v1/journey-maps/{id}/overlay"] = "operator",
        ["POST /v1/journey-maps/"] = "analyst", ["PUT /v1/journey-maps/{id}"] = "analyst", ["DELETE /v1/journey-maps/{id}"] = "analyst",
        ["GET /v1/mining/discover"] = "operator", ["GET /v1/mining/log.xes"] = "operator", ["GET /v1/mining/logs"] = "operator",
        ["GET /v1/mining/map"] = "operator", ["GET /v1/mining/map.svg"] = "operator", ["GET /v1/mining/model.pnml"] = "operator",
        ["GET /v1/mining/variants"] = "operator", ["GET /v1/mining/conformance"] = "operator", ["POST /v1/mining/conformance"] = "operator",
        ["GET /v1/mining/conformance/over-time"] = "operator", ["POST /v1/mining/conformance/over-time"] = "operator",
        ["POST /v1/mining/logs"] = "analyst",
        ["GET /v1/rules/"] = "operator", ["GET /v1/rules/revisions"] = "operator", ["GET /v1/rules/{id}"] = "operator",
        ["GET /v1/rules/{id}/history"] = "operator", ["GET /v1/rules/{id}/proof"] = "operator", ["POST /v1/rules/check"] = "operator",
        ["PUT /v1/rules/"] = "developer", ["DELETE /v1/rules/"] = "developer",
        ["GET /v1/experience/"] = "operator", ["GET /v1/experience/satisfaction"] = "operator", ["GET /v1/experience/pages"] = "operator",
        ["GET /v1/experience/speed"] = "operator", ["GET /v1/experience/errors"] = "operator", ["GET /v1/experience/errors/{fingerprint}"] = "operator",
        ["GET /v1/experience/third-parties"] = "operator", ["GET /v1/experience/digest"] = "operator", ["GET /v1/segments/"] = "operator",
        ["PUT /v1/experience/errors/{fingerprint}/noise"] = "analyst", ["DELETE /v1/experience/errors/{fingerprint}/noise"] = "analyst",
        ["POST /v1/experience/digest/send"] = "analyst", ["PUT /v1/segments/{name}"] = "analyst", ["DELETE /v1/segments/{name}"] = "analyst",
        ["GET /v1/admin/accounts"] = "admin", ["POST /v1/admin/accounts"] = "admin", ["GET /v1/admin/tokens"] = "admin",
        ["POST /v1/admin/tokens"] = "admin", ["DELETE /v1/admin/tokens/{id}"] = "admin", ["GET /v1/admin/audit"] = "admin",
        ["GET /v1/customers/{id}/export"] = "admin", ["POST /v1/customers/{id}/erase"] = "admin",
        // Console pages (GET): a page sends the signed-out to the sign-in form.
        ["GET /"] = "page:operator", ["GET /overview"] = "page:operator", ["GET /customers"] = "page:operator", ["GET /alerts"] = "page:operator",
        ["GET /sessions/{Id}"] = "page:operator", ["GET /experience"] = "page:operator", ["GET /experience/errors"] = "page:operator",
        ["GET /experience/errors/{Fingerprint}"] = "page:operator", ["GET /experience/pages"] = "page:operator",
        ["GET /experience/third-parties"] = "page:operator", ["GET /mining"] = "page:operator", ["GET /rules"] = "page:operator",
        ["GET /rules/{Id}"] = "page:operator", ["GET /not-found"] = "page:operator", ["GET /admin"] = "page:admin", ["GET /admin/audit"] = "page:admin",
        ["GET /account"] = "page:operator", ["GET /signin"] = "page:public", ["GET /denied"] = "page:public",
    };

    [Fact]
    public void EveryMappedRoute_IsInTheTable()
    {
        var mapped = fx.Routes().ToHashSet(StringComparer.Ordinal);
        Assert.Empty(mapped.Except(s_access.Keys).Order());
        Assert.Empty(s_access.Keys.Except(mapped).Order());
    }

    [Fact]
    public async Task EveryRoute_WithoutASession_IsRefused_UnlessPublic()
    {
        var wrong = new List<string>();
        foreach (var (route, who) in s_access)
        {
            var status = await fx.SendAsync(route, null);
            var page = who.StartsWith("page:", StringComparison.Ordinal);
            var open = who is Public or "page:public";
            var ok = open ? status is not (401 or 403) : page ? status == 302 : status == 401;
            if (!ok || status >= 500)
            {
                wrong.Add($"{route} ({who}) answered {status} without a session");
            }
        }
        Assert.Empty(wrong);
    }

    [Fact]
    public async Task EveryRoute_WithEachRole_AllowsExactlyFromItsLeastRoleUp()
    {
        var wrong = new List<string>();
        foreach (var (route, who) in s_access)
        {
            var least = who.Replace("page:", "", StringComparison.Ordinal);
            if (least == Public)
            {
                continue;
            }
            foreach (var role in s_ladder)
            {
                var allowed = Array.IndexOf(s_ladder, role) >= Array.IndexOf(s_ladder, least);
                var status = await fx.SendAsync(route, role);
                if (allowed == status is 401 or 403 || status >= 500)
                {
                    wrong.Add($"{route} (from {least}) answered {status} to {role}");
                }
            }
        }
        Assert.Empty(wrong);
    }

    public sealed class Fixture : IAsyncLifetime
    {
        private readonly Dictionary<string, string> _tokens = [];
        public WaymarkServer Server { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            Server = await WaymarkServer.StartAsync();
            foreach (var role in s_ladder)
            {
                using var made = await Server.Client.PostAsJsonAsync("/v1/admin/tokens", new { name = role, role, scope = "admin" });
                _tokens[role] = JsonDocument.Parse(await made.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
            }
            var now = DateTimeOffset.UtcNow;
            Assert.Equal(HttpStatusCode.OK, (await Server.PostAsync(Batch("v-1", "s-1", [View("e1", now.AddMinutes(-2)), Identify("e2", now.AddMinutes(-1), "anna")]))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Server.PostAsync(Batch("v-2", "s-2", [View("e3", now.AddMinutes(-2), "SecretOtherPage")], app: "other", key: "other-key"))).StatusCode);
        }

        public async ValueTask DisposeAsync() => await Server.DisposeAsync();

        /// <summary>"METHOD pattern" of every route the server maps, without the static files and the console's hub.</summary>
        public IEnumerable<string> Routes() =>
            ((IEndpointRouteBuilder)Server.Application).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
                .Where(e => e.RoutePattern.RawText is { } p && !p.StartsWith('_') && !p.StartsWith("/_", StringComparison.Ordinal) && !p.StartsWith("{**", StringComparison.Ordinal))
                .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                    .Where(m => m != "POST" || e.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is null)
                    .Select(m => $"{m} {e.RoutePattern.RawText}"))
                .Distinct();

        /// <summary>Sends the route with placeholders filled (and ?app=shop), as the role (null: no credentials); the status.</summary>
        public async Task<int> SendAsync(string route, string? role, string fill = "x", string app = "shop")
        {
            var space = route.IndexOf(' ', StringComparison.Ordinal);
            var path = System.Text.RegularExpressions.Regex.Replace(route[(space + 1)..], @"\{[^}]+\}", _ => Uri.EscapeDataString(fill));
            using var request = new HttpRequestMessage(new HttpMethod(route[..space]), path + "?app=" + Uri.EscapeDataString(app));
            if (request.Method == HttpMethod.Options)
            {
                // A preflight, as a browser on the app's site sends it.
                request.Headers.Add("Origin", WaymarkServer.Origin);
                request.Headers.Add("Access-Control-Request-Method", "POST");
            }
            else if (request.Method != HttpMethod.Get)
            {
                request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            }
            if (role is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens[role]);
            }
            using var handler = new HttpClientHandler { AllowAutoRedirect = false };
            using var client = new HttpClient(handler) { BaseAddress = Server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            // Headers only: the live feed streams.
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            return (int)response.StatusCode;
        }
    }
}
