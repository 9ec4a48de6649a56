using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Waymark.Server.Store;

namespace Waymark.Server.Actions;

/// <summary>
/// Posts a firing to a webhook target, signed the Standard Webhooks way
/// (definitions.md): headers <c>webhook-id</c> (the outbox item's id, the
/// same on every attempt: the receiver's idempotency key),
/// <c>webhook-timestamp</c> (Unix seconds of this attempt) and
/// <c>webhook-signature</c> = <c>v1,</c> + base64(HMAC-SHA256(key, id.timestamp.body)).
/// The body is the same on every attempt: the journey context as it was at the match.
/// </summary>
public sealed class WebhookSender(HttpClient http, IOptions<ActionOptions> options, TimeProvider clock) : IActionSender
{
    public string Type => "webhook";

    public async Task<string> SendAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        var p = Firings.Actions(Signal(item.Payload)).FirstOrDefault(a => a.Index == item.Action).Params;
        var name = p?.GetValueOrDefault("target") ?? "";
        if (!options.Value.Webhooks.TryGetValue(name, out var target) || target.Url.Length == 0)
        {
            throw new ActionFailedException($"no webhook target '{name}' is configured", permanent: true);
        }
        var body = target.Format == "slack" ? SlackBody(item, options.Value.ConsoleUrl) : StandardBody(item, options.Value.ConsoleUrl);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("webhook-id", item.Id);
        request.Headers.Add("webhook-timestamp", timestamp);
        request.Headers.Add("webhook-signature", Sign(target.Secret, item.Id, timestamp, body));
        using var response = await http.SendAsync(request, cancellationToken);
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            return $"{name} HTTP {status}";
        }
        // 4xx other than 408/429: the receiver refuses this message; trying again cannot help.
        throw new ActionFailedException($"{name} HTTP {status}", permanent: status is >= 400 and < 500 and not 408 and not 429);
    }

    /// <summary>v1,base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)); a whsec_ secret is the base64 of the key.</summary>
    public static string Sign(string secret, string id, string timestamp, byte[] body)
    {
        var key = secret.StartsWith("whsec_", StringComparison.Ordinal) ? Convert.FromBase64String(secret[6..]) : Encoding.UTF8.GetBytes(secret);
        var prefix = Encoding.UTF8.GetBytes(id + "." + timestamp + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed, prefix.Length);
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }

    /// <summary>
    /// {"type": "rule.fired", "id", "firing", "timestamp" (the match), "data": {app, rule, version,
    /// customer {id, identified, visitor, consent}, journey {session, channel, stage, events, summary}, link}}.
    /// </summary>
    public static byte[] StandardBody(OutboxItem item, string consoleUrl)
    {
        using var doc = JsonDocument.Parse(item.Payload);
        var signal = doc.RootElement.GetProperty("signal");
        var session = doc.RootElement.GetProperty("session");
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", "rule.fired");
            w.WriteString("id", item.Id);
            w.WriteString("firing", item.FiringId);
            w.WriteString("timestamp", Str(signal, "at"));
            w.WriteStartObject("data");
            w.WriteString("app", item.App);
            w.WriteString("rule", item.Rule);
            w.WriteNumber("ruleVersion", signal.TryGetProperty("version", out var v) ? v.GetInt32() : 1);
            w.WriteString("reason", Str(signal, "reason"));
            w.WriteStartObject("customer");
            w.WriteString("id", Str(signal, "customer"));
            w.WriteBoolean("identified", signal.TryGetProperty("identified", out var idf) && idf.ValueKind == JsonValueKind.True);
            w.WriteString("visitor", Str(signal, "visitor"));
            w.WriteString("consent", Str(signal, "consent"));
            w.WriteEndObject();
            w.WriteStartObject("journey");
            w.WriteString("session", Str(signal, "session"));
            w.WriteString("channel", Str(signal, "channel"));
            if (signal.TryGetProperty("stage", out var stage))
            {
                w.WritePropertyName("stage");
                stage.WriteTo(w);
            }
            w.WriteString("matchedFrom", Str(signal, "firstAt"));
            w.WriteString("matchedTo", Str(signal, "lastAt"));
            if (signal.TryGetProperty("events", out var events))
            {
                w.WritePropertyName("events");
                events.WriteTo(w);
            }
            w.WritePropertyName("summary");
            session.WriteTo(w);
            w.WriteEndObject();
            if (consoleUrl.Length > 0)
            {
                w.WriteString("link", Link(consoleUrl, item.App, Str(signal, "session")));
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A Slack-compatible message (incoming webhooks): "text" plus one mrkdwn section.</summary>
    public static byte[] SlackBody(OutboxItem item, string consoleUrl)
    {
        using var doc = JsonDocument.Parse(item.Payload);
        var signal = doc.RootElement.GetProperty("signal");
        var session = doc.RootElement.GetProperty("session");
        var page = session.ValueKind == JsonValueKind.Object ? Str(session, "currentPage") : null;
        var text = $"Rule {item.Rule} fired for customer {Str(signal, "customer")} ({Str(signal, "channel")}" + (page is null ? ")" : $", on {page})");
        var detail = $"*{Escape(item.Rule)}* fired for *{Escape(Str(signal, "customer"))}* on {Escape(Str(signal, "channel"))}"
            + (page is null ? "" : $", page `{Escape(page)}`")
            + (session.ValueKind == JsonValueKind.Object ? $"\n{session.GetProperty("pages").GetInt32()} pages, {session.GetProperty("errors").GetInt32()} errors, experience {Str(session, "experience")}" : "")
            + (consoleUrl.Length > 0 ? $"\n<{Link(consoleUrl, item.App, Str(signal, "session"))}|Open the journey>" : "");
        return JsonSerializer.SerializeToUtf8Bytes(new
        {
            text,
            blocks = new object[] { new { type = "section", text = new { type = "mrkdwn", text = detail } } },
        });
    }

    private static string Link(string consoleUrl, string app, string? session) =>
        consoleUrl.TrimEnd('/') + "/sessions/" + Uri.EscapeDataString(session ?? "") + "?app=" + Uri.EscapeDataString(app);

    /// <summary>Slack's three escapes.</summary>
    private static string Escape(string? s) => (s ?? "").Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>The signal's props inside a payload.</summary>
    internal static string Signal(string payload)
    {
        using var doc = JsonDocument.Parse(payload);
        return doc.RootElement.GetProperty("signal").GetRawText();
    }
}
