using System.ComponentModel.DataAnnotations;

namespace Waymark.Server.Actions;

/// <summary>What rule actions reach and how hard they try (section Waymark:Actions).</summary>
public sealed class ActionOptions
{
    /// <summary>Webhook targets by name (what a rule's <c>target</c> names).</summary>
    public Dictionary<string, WebhookTarget> Webhooks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The SMTP server e-mail actions go through.</summary>
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>E-mail templates by name; "default" is built in.</summary>
    public Dictionary<string, MailTemplate> Templates { get; set; } = new(StringComparer.Ordinal);

    /// <summary>In-page widget ids a rule may name; the agent ships "chat-offer", a page's handler may take others.</summary>
    public List<string> Widgets { get; set; } = ["chat-offer"];

    /// <summary>Where the console is, for links in messages (e.g. https://waymark.example.com); empty for none.</summary>
    public string ConsoleUrl { get; set; } = "";

    /// <summary>The first retry waits this long, each later one twice as long as the one before (with ±20 % jitter). Default 5 s.</summary>
    public TimeSpan RetryBase { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>No retry waits longer than this. Default 1 h.</summary>
    public TimeSpan RetryMax { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Attempts before an action is abandoned. Default 12 (about 4 h with the defaults).</summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 12;

    /// <summary>How often a dispatcher looks for due actions when nothing woke it. Default 1 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a claimed action is the claimer's: when it is not done by then (the node died), another takes it. Default 60 s.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one delivery attempt may take. Default 10 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>A webhook target.</summary>
public sealed class WebhookTarget
{
    /// <summary>Where to POST.</summary>
    public string Url { get; set; } = "";

    /// <summary>The signing secret: <c>whsec_</c> + base64 of the key (Standard Webhooks), or any other text used as the key's UTF-8 bytes.</summary>
    public string Secret { get; set; } = "";

    /// <summary>standard (the journey context as JSON) or slack (a Slack-compatible message).</summary>
    public string Format { get; set; } = "standard";
}

/// <summary>The SMTP server.</summary>
public sealed class SmtpOptions
{
    public string Host { get; set; } = "";
    public int Port { get; set; } = 25;
    /// <summary>none, starttls (when offered) or tls (implicit, port 465).</summary>
    public string Security { get; set; } = "starttls";
    public string? Username { get; set; }
    public string? Password { get; set; }
    /// <summary>The sender address.</summary>
    public string From { get; set; } = "waymark@localhost";
    /// <summary>Where mail "to: team" goes.</summary>
    public string? Team { get; set; }
}

/// <summary>An e-mail template: {{rule}}, {{app}}, {{customer}}, {{session}}, {{channel}}, {{page}}, {{stage}}, {{reason}}, {{at}}, {{link}} are filled in.</summary>
public sealed class MailTemplate
{
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";
}
