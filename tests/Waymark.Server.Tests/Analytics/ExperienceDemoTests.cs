using System.Text.Json;
using Waymark.Server.Tests.Demo;
using Waymark.Server.Tests.Infrastructure;

namespace Waymark.Server.Tests.Analytics;

/// <summary>The experience analytics on the demo's last 24 hours, through the real server and a real SMTP server.</summary>
[Collection(nameof(DemoDayServer))]
public sealed class ExperienceDemoTests(DemoDayServer demo)
{
    private const string Scope = "app=horizon&from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z";

    [Fact]
    public async Task Errors_TheDatePickerErrorCostsTheMost_TheResizeObserverNoiseBelowIt()
    {
        var errors = (await demo.Server.GetJsonAsync("/v1/experience/errors?" + Scope)).EnumerateArray().ToList();
        await File.WriteAllTextAsync("/tmp/experience-demo-errors.json", JsonSerializer.Serialize(errors));
        var first = errors[0];
        Assert.Contains("firstDayOfWeek", first.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(first.GetProperty("lostConversions").GetDouble() > 0);
        Assert.True(first.GetProperty("conversionWith").GetDouble() < first.GetProperty("expectedConversion").GetDouble());
        var resize = errors.FindIndex(e => e.GetProperty("message").GetString()!.Contains("ResizeObserver", StringComparison.Ordinal));
        Assert.True(resize > 0, "the ResizeObserver message is listed below the date-picker error");
        // The harmless message touched about as many customers, but sessions with it converted as well as comparable ones.
        Assert.True(errors[resize].GetProperty("lostConversions").GetDouble() < first.GetProperty("lostConversions").GetDouble());

        // An example session of the costliest error shows it.
        var session = first.GetProperty("exampleSessions")[0].GetString();
        var timeline = await demo.Server.GetJsonAsync($"/v1/sessions/{session}?app=horizon");
        Assert.Contains(timeline.GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "error"
            && e.GetProperty("message").GetString()!.Contains("firstDayOfWeek", StringComparison.Ordinal));

        // Marked as noise, an error leaves the ranking; unmarked, it is back.
        var print = errors[resize].GetProperty("fingerprint").GetString();
        using (var mark = await demo.Server.Client.PutAsync($"/v1/experience/errors/{print}/noise?app=horizon", null))
        {
            Assert.True(mark.IsSuccessStatusCode);
        }
        var hidden = await demo.Server.GetJsonAsync("/v1/experience/errors?" + Scope);
        Assert.DoesNotContain(hidden.EnumerateArray(), e => e.GetProperty("fingerprint").GetString() == print);
        using (var unmark = await demo.Server.Client.DeleteAsync($"/v1/experience/errors/{print}/noise?app=horizon"))
        {
            Assert.True(unmark.IsSuccessStatusCode);
        }
        Assert.Contains((await demo.Server.GetJsonAsync("/v1/experience/errors?" + Scope)).EnumerateArray(), e => e.GetProperty("fingerprint").GetString() == print);
    }

    [Fact]
    public async Task ThirdParties_TheAvailabilityServiceHurtsBookingMost()
    {
        var hosts = (await demo.Server.GetJsonAsync("/v1/experience/third-parties?" + Scope)).EnumerateArray().ToList();
        await File.WriteAllTextAsync("/tmp/experience-demo-third-parties.json", JsonSerializer.Serialize(hosts));
        var first = hosts[0];
        Assert.Equal("availability.partner-api.example", first.GetProperty("host").GetString());
        Assert.True(first.GetProperty("failed").GetInt64() > 0);
        Assert.True(first.GetProperty("p95").GetDouble() > 4000, "its p95 is past 4 s");
        Assert.True(first.GetProperty("hurtSessions").GetInt32() > 0);
        Assert.True(first.GetProperty("lostConversions").GetDouble() > 0, "the sessions it hurt converted less than the ones it served well");
        Assert.NotEmpty(first.GetProperty("endpoints").EnumerateArray());
    }

    [Fact]
    public async Task Digest_ReceivedBySmtp_NamesTheDatePickerErrorAndTheAvailabilityService()
    {
        using var sent = await demo.Server.Client.PostAsync("/v1/experience/digest/send?app=horizon&to=cx-owner@horizon.example", null);
        var body = await sent.Content.ReadAsStringAsync();
        Assert.True(sent.IsSuccessStatusCode, body);
        await Actions.WebhookTests.WaitAsync(() => demo.Smtp.Messages().Any(m => m.StartsWith("RCPT: cx-owner@horizon.example", StringComparison.Ordinal)), "the digest mail");
        var raw = demo.Smtp.Messages().First(m => m.StartsWith("RCPT: cx-owner@horizon.example", StringComparison.Ordinal));
        await File.WriteAllTextAsync("/tmp/experience-demo-digest.eml", raw);
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(raw[(raw.IndexOf('\n', StringComparison.Ordinal) + 1)..]));
        using var mail = await MimeKit.MimeMessage.LoadAsync(stream);
        Assert.StartsWith("Waymark digest for horizon", mail.Subject, StringComparison.Ordinal);
        foreach (var part in new[] { mail.TextBody, mail.HtmlBody })
        {
            Assert.Contains("firstDayOfWeek", part, StringComparison.Ordinal);
            Assert.Contains("availability.partner-api.example", part, StringComparison.Ordinal);
        }

        var html = await demo.Server.Client.GetStringAsync("/v1/experience/digest?app=horizon&format=html");
        Assert.Contains("id=\"digest-trend\"", html, StringComparison.Ordinal);
        Assert.Contains("firstDayOfWeek", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SavedSegment_NarrowsTheReport_CsvExportsTheTable()
    {
        using (var put = await demo.Server.Client.PutAsync("/v1/segments/safari-web?app=horizon",
            new StringContent("""{"query": "channel=web&browser=Safari"}""", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }
        var all = await demo.Server.GetJsonAsync("/v1/experience/satisfaction?" + Scope);
        var safari = await demo.Server.GetJsonAsync("/v1/experience/satisfaction?segment=safari-web&" + Scope);
        var total = all.GetProperty("all").GetProperty("sessions").GetInt64();
        var narrowed = safari.GetProperty("all").GetProperty("sessions").GetInt64();
        Assert.InRange(narrowed, 1, total - 1);
        Assert.All(safari.GetProperty("groups").EnumerateArray().Where(g => g.GetProperty("group").GetString() == "browser"),
            g => Assert.Equal("Safari", g.GetProperty("key").GetString()));

        var csv = await demo.Server.Client.GetStringAsync("/v1/experience/errors?format=csv&segment=safari-web&" + Scope);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("fingerprint,message,", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("firstDayOfWeek", StringComparison.Ordinal));

        using var bad = await demo.Server.Client.GetAsync("/v1/experience/errors?segment=nothing-saved&" + Scope);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("no saved segment 'nothing-saved'", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
