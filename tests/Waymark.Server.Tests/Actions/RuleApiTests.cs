using System.Net;
using System.Text;
using System.Text.Json;
using Waymark.Server.Tests.Infrastructure;

namespace Waymark.Server.Tests.Actions;

/// <summary>/v1/rules: an app's rule document saved, read, refused with its place, deleted.</summary>
public sealed class RuleApiTests
{
    public const string CartRule = """
        settings: { holdout: 0, consentDefault: full }
        rules:
          - id: cart-added
            description: a shopper put something in the cart
            pattern:
              kind: sequence
              steps:
                - match: { type: custom, name: add-to-cart }
            actions:
              - type: webhook
                target: crm
        """;

    public static Task<HttpResponseMessage> PutRulesAsync(HttpClient client, string text, string app = WaymarkServer.App) =>
        client.PutAsync("/v1/rules?app=" + app, new StringContent(text, Encoding.UTF8, "application/yaml"));

    public static Dictionary<string, string?> Webhook(Uri url, string secret = "whsec_" + "c2VjcmV0LWtleS1mb3ItdGVzdHM=") => new()
    {
        ["Waymark:Actions:Webhooks:crm:Url"] = url.ToString(),
        ["Waymark:Actions:Webhooks:crm:Secret"] = secret,
    };

    [Fact]
    public async Task PutRules_Valid_SavedAndServed_ThenDeleted()
    {
        await using var server = await WaymarkServer.StartAsync(Webhook(new Uri("http://127.0.0.1:9/hook")));
        using var put = await PutRulesAsync(server.Client, CartRule);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var doc = await server.GetJsonAsync("/v1/rules?app=shop");
        Assert.Equal(1, doc.GetProperty("revision").GetInt64());
        var rule = Assert.Single(doc.GetProperty("rules").EnumerateArray());
        Assert.Equal(("cart-added", "sequence", "webhook"), (rule.GetProperty("id").GetString(), rule.GetProperty("pattern").GetString(),
            rule.GetProperty("actions")[0].GetProperty("type").GetString()));
        Assert.Equal("cart-added", (await server.GetJsonAsync("/v1/rules/cart-added?app=shop")).GetProperty("id").GetString());

        using (var again = await PutRulesAsync(server.Client, CartRule.Replace("a shopper", "someone", StringComparison.Ordinal)))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }
        Assert.Equal(2, (await server.GetJsonAsync("/v1/rules?app=shop")).GetProperty("revision").GetInt64());
        using var delete = await server.Client.DeleteAsync("/v1/rules?app=shop");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using var gone = await server.Client.GetAsync("/v1/rules?app=shop");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(3, (await server.GetJsonAsync("/v1/rules/revisions?app=shop")).GetArrayLength());
    }

    [Fact]
    public async Task PutRules_UnknownTargetAndBadDuration_400WithLineColumnAndReason_NothingSaved()
    {
        await using var server = await WaymarkServer.StartAsync(Webhook(new Uri("http://127.0.0.1:9/hook")));
        var bad = CartRule.Replace("target: crm", "target: nowhere", StringComparison.Ordinal);
        using var put = await PutRulesAsync(server.Client, bad);
        var body = JsonDocument.Parse(await put.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.Equal((11, 17), (error.GetProperty("line").GetInt32(), error.GetProperty("column").GetInt32()));
        Assert.Equal("rules[0].actions[0].target", error.GetProperty("path").GetString());
        Assert.Contains("nowhere", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("11:17", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var none = await server.Client.GetAsync("/v1/rules?app=shop");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    [Fact]
    public async Task PutRules_AsJson_Accepted_OperatorMayNotEdit()
    {
        await using var server = await WaymarkServer.StartAsync(Webhook(new Uri("http://127.0.0.1:9/hook")));
        const string json = """
            {"settings": {"holdout": 0}, "rules": [{"id": "errors-in-booking", "pattern": {"kind": "count", "match": {"type": "error"}, "atLeast": 2, "within": "5m"},
             "actions": [{"type": "alert", "text": "two errors"}]}]}
            """;
        using var put = await server.Client.PutAsync("/v1/rules?app=shop", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());

        using var op = new HttpClient { BaseAddress = server.BaseAddress };
        op.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", WaymarkServer.OperatorToken);
        using var refused = await PutRulesAsync(op, CartRule);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }
}
