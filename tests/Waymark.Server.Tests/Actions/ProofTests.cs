using Microsoft.Extensions.DependencyInjection;
using Waymark.Server.Store;
using Waymark.Server.Tests.Infrastructure;
using static Waymark.Server.Tests.Infrastructure.Beacons;

namespace Waymark.Server.Tests.Actions;

/// <summary>The per-rule proof: acted-on against held-out conversion within the attribution window, the uplift and its 95 % interval.</summary>
public sealed class ProofTests
{
    private const string Rule = """
        settings: { holdout: 0.2 }
        rules:
          - id: cart-help
            attributionWindow: 24h
            pattern:
              kind: sequence
              steps:
                - match: { type: custom, name: add-to-cart }
            actions:
              - type: alert
                text: a cart
        """;

    [Fact]
    public async Task Proof_PlantedUplift_RecoveredWithinItsInterval_LateConversionsNotCounted()
    {
        await using var server = await WaymarkServer.StartAsync();
        using (var put = await RuleApiTests.PutRulesAsync(server.Client, Rule))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }
        var matched = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-30).ToUnixTimeSeconds());
        var random = new Random(1234);
        // Planted: 35 % of acted-on customers convert, 20 % of held-out ones (uplift 0.15).
        const int n = 800;
        var firings = new List<RuleFiring>();
        var converting = new List<(string Customer, DateTimeOffset At)>();
        for (var i = 0; i < n; i++)
        {
            var customer = "cust-" + i;
            var held = i % 5 == 0;
            firings.Add(new RuleFiring("f" + i, "shop", "cart-help", 1, "v-" + i, customer, "s-" + i, "web", held ? "held-out" : "fired", "planted", matched, "{}"));
            if (random.NextDouble() < (held ? 0.20 : 0.35))
            {
                converting.Add((customer, matched.AddHours(2)));
            }
            else if (i % 7 == 0)
            {
                // Converted, but after the 24-hour attribution window: not credited.
                converting.Add((customer, matched.AddHours(26)));
            }
        }
        await server.Application.Services.GetRequiredService<IOutbox>().EnqueueAsync(firings, [], CancellationToken.None);
        foreach (var (customer, at) in converting)
        {
            using var r = await server.PostAsync(Batch("v-" + customer, "s-" + customer, [View("e1-" + customer, at, "Cart"), Conversion("e2-" + customer, at.AddSeconds(5))], user: customer));
            Assert.True(r.IsSuccessStatusCode);
        }
        var credited = converting.Where(c => c.At < matched.AddHours(24)).Select(c => c.Customer).ToHashSet();
        var actedConv = firings.Count(f => f.Outcome == "fired" && credited.Contains(f.Customer));
        var heldConv = firings.Count(f => f.Outcome == "held-out" && credited.Contains(f.Customer));

        var proof = await server.GetJsonAsync("/v1/rules/cart-help/proof?app=shop");

        Assert.Equal((n, 640, 160), (proof.GetProperty("customers").GetInt32(), proof.GetProperty("actedOn").GetInt32(), proof.GetProperty("heldOut").GetInt32()));
        Assert.Equal((actedConv, heldConv), (proof.GetProperty("actedConverted").GetInt32(), proof.GetProperty("heldConverted").GetInt32()));
        var d = proof.GetProperty("uplift").GetProperty("difference");
        var (estimate, lower, upper) = (d.GetProperty("estimate").GetDouble(), d.GetProperty("lower").GetDouble(), d.GetProperty("upper").GetDouble());
        Assert.Equal((double)actedConv / 640 - (double)heldConv / 160, estimate, 9);
        Assert.InRange(0.15, lower, upper);
        Assert.True(lower > 0, $"the planted effect is significant: [{lower}, {upper}]");
    }
}
