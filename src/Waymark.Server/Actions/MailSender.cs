using System.Text.Json;
using Microsoft.Extensions.Options;
using MimeKit;
using Waymark.Server.Store;

namespace Waymark.Server.Actions;

/// <summary>
/// Sends a firing's mail through the configured SMTP server (MailKit): to the
/// customer (whose user tag must be an e-mail address) or to the app's team.
/// The Message-Id is the outbox item's id, so a mail sent twice is recognisable.
/// </summary>
public sealed class MailSender(IOptions<ActionOptions> options) : IActionSender
{
    /// <summary>The built-in template.</summary>
    public const string DefaultTemplate = "default";

    private static readonly MailTemplate s_default = new()
    {
        Subject = "Waymark: rule {{rule}} fired for {{customer}}",
        Body = "Rule {{rule}} of {{app}} fired for customer {{customer}} at {{at}}.\n\nChannel: {{channel}}\nPage: {{page}}\nStage: {{stage}}\nWhy: {{reason}}\n\n{{link}}\n",
    };

    public string Type => "email";

    public async Task<string> SendAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o.Smtp.Host.Length == 0)
        {
            throw new ActionFailedException("no SMTP server is configured (Waymark:Actions:Smtp:Host)");
        }
        var action = Firings.Actions(WebhookSender.Signal(item.Payload)).FirstOrDefault(a => a.Index == item.Action).Params ?? [];
        var name = action.GetValueOrDefault("template") ?? DefaultTemplate;
        var template = o.Templates.GetValueOrDefault(name) ?? (name == DefaultTemplate ? s_default : throw new ActionFailedException($"no e-mail template '{name}'", permanent: true));
        var fields = Fields(item, o.ConsoleUrl);
        var to = action.GetValueOrDefault("to") == "team"
            ? o.Smtp.Team ?? throw new ActionFailedException("no team address is configured (Waymark:Actions:Smtp:Team)", permanent: true)
            : fields["customer"] is { } c && MailboxAddress.TryParse(c, out _) && c.Contains('@', StringComparison.Ordinal)
                ? c
                : throw new ActionFailedException("the customer's user tag is not an e-mail address", permanent: true);
        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(o.Smtp.From));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = Fill(template.Subject, fields);
        message.MessageId = item.Id + "@waymark";
        message.Headers.Add("X-Waymark-Firing", item.FiringId);
        message.Body = new TextPart("plain") { Text = Fill(template.Body, fields) };
        var answer = await SmtpDelivery.SendAsync(o.Smtp, message, cancellationToken);
        return "to " + to + ": " + answer;
    }

    private static Dictionary<string, string?> Fields(OutboxItem item, string consoleUrl)
    {
        using var doc = JsonDocument.Parse(item.Payload);
        var signal = doc.RootElement.GetProperty("signal");
        var session = doc.RootElement.GetProperty("session");
        string? S(JsonElement e, string n) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["rule"] = item.Rule, ["app"] = item.App, ["customer"] = S(signal, "customer"), ["session"] = S(signal, "session"),
            ["channel"] = S(signal, "channel"), ["page"] = S(session, "currentPage"), ["stage"] = S(signal, "stage"), ["reason"] = S(signal, "reason"),
            ["at"] = S(signal, "at"),
            ["link"] = consoleUrl.Length == 0 ? "" : consoleUrl.TrimEnd('/') + "/sessions/" + Uri.EscapeDataString(S(signal, "session") ?? "") + "?app=" + Uri.EscapeDataString(item.App),
        };
    }

    private static string Fill(string template, Dictionary<string, string?> fields)
    {
        foreach (var (k, v) in fields)
        {
            template = template.Replace("{{" + k + "}}", v ?? "-", StringComparison.Ordinal);
        }
        return template;
    }
}
