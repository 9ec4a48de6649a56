using Waymark.Server.Tests.Infrastructure;
using static Waymark.Server.Tests.Infrastructure.Beacons;

namespace Waymark.Server.Tests.Actions;

/// <summary>E-mail actions through a real SMTP server process.</summary>
public sealed class MailTests
{
    private const string MailRule = """
        settings: { holdout: 0, consentDefault: full }
        rules:
          - id: booking-failed
            pattern:
              kind: count
              match: { type: error }
              atLeast: 2
              within: 5m
            actions:
              - type: email
                template: default
                to: customer
              - type: email
                template: default
                to: team
        """;

    [Fact]
    public async Task Email_TwoErrors_MailToTheCustomerAndTheTeam_ReceivedBySmtpServer()
    {
        using var smtp = await SmtpServer.StartAsync();
        await using var server = await WaymarkServer.StartAsync(new()
        {
            ["Waymark:Actions:Smtp:Host"] = "127.0.0.1",
            ["Waymark:Actions:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Waymark:Actions:Smtp:Security"] = "none",
            ["Waymark:Actions:Smtp:From"] = "waymark@shop.example",
            ["Waymark:Actions:Smtp:Team"] = "care@shop.example",
            ["Waymark:Actions:PollInterval"] = "00:00:00.100",
        });
        using (var put = await RuleApiTests.PutRulesAsync(server.Client, MailRule))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }
        var t0 = DateTimeOffset.UtcNow;
        using (var beacon = await server.PostAsync(Batch("v-mail", "s-mail",
            [View("e1", t0, "Booking"), Error("e2", t0.AddSeconds(2), "TypeError: price"), Error("e3", t0.AddSeconds(4), "TypeError: seat")], user: "ann@example.com")))
        {
            Assert.True(beacon.IsSuccessStatusCode);
        }

        await WebhookTests.WaitAsync(() => smtp.Messages().Count >= 2, "two mails");
        var mails = smtp.Messages();
        var customer = Assert.Single(mails, m => m.StartsWith("RCPT: ann@example.com", StringComparison.Ordinal));
        Assert.Single(mails, m => m.StartsWith("RCPT: care@shop.example", StringComparison.Ordinal));
        Assert.Contains("Subject: Waymark: rule booking-failed fired for ann@example.com", customer, StringComparison.Ordinal);
        Assert.Contains("Message-Id: <msg_", customer, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("From: waymark@shop.example", customer, StringComparison.Ordinal);
    }
}
