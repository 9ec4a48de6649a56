using System.Net.Http.Json;
using System.Text.Json;
using Waymark.Server.Tests.Demo;
using Waymark.Server.Tests.Infrastructure;

namespace Waymark.Server.Tests.Funnels;

/// <summary>Funnels, the overlay and attribution on the demo day, through the real server.</summary>
[Collection(nameof(DemoDayServer))]
public sealed class FunnelDemoTests(DemoDayServer demo)
{
    private const string Range = "\"from\": \"2000-01-01T00:00:00Z\", \"to\": \"2100-01-01T00:00:00Z\"";

    private static readonly string BookingFunnel = """
        { "app": "horizon", RANGE, "over": "sessions", "breakdown": "browser", "reasonsStep": 1,
          "steps": [
            { "label": "Offer", "anyOf": [ { "page": "Offer detail", "channel": "web" } ] },
            { "label": "Dates", "anyOf": [ { "page": "Date selection", "channel": "web" } ] },
            { "label": "Cart", "anyOf": [ { "page": "Cart", "channel": "web" } ] },
            { "label": "Confirmation", "anyOf": [ { "page": "Confirmation", "channel": "web" } ] } ] }
        """.Replace("RANGE", Range, StringComparison.Ordinal);

    [Fact]
    public async Task DemoDay_FunnelOverlayAndAttribution_FindTheDatePickerBug()
    {
        var server = demo.Server;

        // The booking funnel: why they dropped at the date step, the date-picker error first among the causes.
        var funnel = await PostAsync(server, "/v1/funnels", BookingFunnel);
        await File.WriteAllTextAsync("/tmp/funnels-demo-funnel.json", funnel.ToString());
        var steps = funnel.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(["Offer", "Dates", "Cart", "Confirmation"], steps.Select(s => s.GetProperty("label").GetString()));
        Assert.True(steps[1].GetProperty("dropped").GetInt32() > 0);
        var reasons = funnel.GetProperty("reasons");
        Assert.Equal(1, reasons.GetProperty("step").GetInt32());
        var first = reasons.GetProperty("features")[0];
        Assert.Contains("firstDayOfWeek", first.GetProperty("feature").GetString(), StringComparison.Ordinal);
        Assert.True(first.GetProperty("droppedWith").GetInt32() > 0);
        Assert.Equal(0, first.GetProperty("wentOnWith").GetInt32());
        var session = first.GetProperty("sessions")[0].GetString();
        var timeline = await server.GetJsonAsync($"/v1/sessions/{session}?app=horizon");
        Assert.Contains(timeline.GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "error"
            && e.GetProperty("message").GetString()!.Contains("firstDayOfWeek", StringComparison.Ordinal));
        Assert.NotEmpty(funnel.GetProperty("bySegment").EnumerateObject());

        // A customer funnel from the app through the website to the check-in desk.
        var customers = await PostAsync(server, "/v1/funnels", """
            { "app": "horizon", RANGE, "over": "customers", "order": "any", "reasons": false,
              "steps": [
                { "label": "App", "anyOf": [ { "channel": "mobile", "type": "view" } ] },
                { "label": "Web", "anyOf": [ { "channel": "web", "type": "view" } ] },
                { "label": "Desk, kiosk or call", "anyOf": [ { "channel": "checkin" }, { "channel": "kiosk" }, { "channel": "contact-center" } ] } ] }
            """.Replace("RANGE", Range, StringComparison.Ordinal));
        await File.WriteAllTextAsync("/tmp/funnels-demo-customers.json", customers.ToString());
        Assert.True(customers.GetProperty("steps")[2].GetProperty("converted").GetInt32() > 0, "some customers used the app, the website and a desk, kiosk or call");

        // The overlay of the demo map marks the date step as stuck.
        var overlay = await server.GetJsonAsync("/v1/journey-maps/book-a-holiday/overlay?app=horizon&from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z");
        await File.WriteAllTextAsync("/tmp/funnels-demo-overlay.json", overlay.ToString());
        var dates = overlay.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "Dates");
        Assert.True(dates.GetProperty("stuck").GetBoolean());
        var webDates = dates.GetProperty("touchpoints").EnumerateArray().Single(t => t.GetProperty("id").GetString() == "web-dates");
        Assert.True(webDates.GetProperty("stuck").GetBoolean());
        Assert.False(overlay.GetProperty("stages")[0].GetProperty("touchpoints")[0].GetProperty("stuck").GetBoolean());

        // Attribution: every model side by side, by channel and by department.
        var byChannel = await server.GetJsonAsync("/v1/attribution?app=horizon&by=channel&from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z");
        var byDepartment = await server.GetJsonAsync("/v1/attribution?app=horizon&by=department&from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z");
        await File.WriteAllTextAsync("/tmp/funnels-demo-attribution.json", byChannel.ToString() + "\n" + byDepartment.ToString());
        var conversions = byChannel.GetProperty("conversions").GetInt32();
        Assert.True(conversions > 0);
        foreach (var model in new[] { "first", "last", "linear", "position", "decay", "markov" })
        {
            var sum = byChannel.GetProperty("rows").EnumerateArray().Sum(r => r.GetProperty("conversions").GetProperty(model).GetDouble());
            Assert.True(Math.Abs(sum - conversions) < 1e-6 * conversions + 1e-6 || model == "markov" || sum <= conversions, $"{model}: {sum} of {conversions}");
        }
        Assert.Contains(byDepartment.GetProperty("rows").EnumerateArray(), r => r.GetProperty("label").GetString() == "contact centre");

        // Paths after the date step.
        var paths = await PostAsync(server, "/v1/paths", """{ "app": "horizon", RANGE, "anchor": { "page": "Date selection" }, "before": 2, "after": 4 }""".Replace("RANGE", Range, StringComparison.Ordinal));
        Assert.Contains(paths.GetProperty("nodes").EnumerateArray(), n => n.GetProperty("level").GetInt32() == 4);
    }

    private static async Task<JsonElement> PostAsync(WaymarkServer server, string path, string json)
    {
        using var response = await server.Client.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
