using Microsoft.Extensions.Options;
using MimeKit;
using Waymark.Server.Actions;
using Waymark.Server.Apps;
using Waymark.Server.Store;

namespace Waymark.Server.Analytics;

/// <summary>Who gets the daily digest and when (section <c>Waymark:Experience:Digest</c>).</summary>
public sealed class DigestOptions
{
    /// <summary>Recipients of the daily mail; none, and no mail is sent on schedule.</summary>
    public List<string> To { get; set; } = [];
    /// <summary>The hour (UTC) after which the day's digest goes out.</summary>
    public int Hour { get; set; } = 7;
    /// <summary>The apps with a digest; empty means every configured app.</summary>
    public List<string> Apps { get; set; } = [];
}

/// <summary>Builds the digest of an app and sends it through the SMTP server of the actions (<c>Waymark:Actions:Smtp</c>).</summary>
public sealed class DigestService(ExperienceService experience, IOptions<ActionOptions> actions, TimeProvider clock)
{
    /// <summary>The digest of the 24 hours that end at <paramref name="end"/> (now when null).</summary>
    public async Task<DigestData> BuildAsync(string app, DateTimeOffset? end, CancellationToken ct)
    {
        var to = end ?? clock.GetUtcNow();
        var day = await experience.ReportAsync(new ExperienceScope(app, to.AddDays(-1), to, Segment.All), ct);
        var baseline = await experience.ReportAsync(new ExperienceScope(app, to.AddDays(-8), to.AddDays(-1), Segment.All), ct);
        var trend = await experience.ReportAsync(new ExperienceScope(app, to.AddDays(-14), to, Segment.All), ct);
        var url = actions.Value.ConsoleUrl;
        return Digest.Build(day, baseline, trend, url);
    }

    /// <summary>Mails the digest (HTML with a text part) to the recipients; returns the server's answer.</summary>
    public async Task<string> SendAsync(DigestData digest, IReadOnlyList<string> recipients, CancellationToken ct)
    {
        var smtp = actions.Value.Smtp;
        if (smtp.Host.Length == 0)
        {
            throw new InvalidOperationException("no SMTP server is configured (Waymark:Actions:Smtp:Host)");
        }
        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.From));
        foreach (var r in recipients)
        {
            message.To.Add(MailboxAddress.Parse(r));
        }
        message.Subject = digest.Title;
        message.Headers.Add("X-Waymark-Digest", digest.App);
        message.Body = new BodyBuilder { HtmlBody = Digest.Html(digest), TextBody = Digest.Text(digest) }.ToMessageBody();
        return await SmtpDelivery.SendAsync(smtp, message, ct);
    }
}

/// <summary>
/// Sends each app's digest once a day after <see cref="DigestOptions.Hour"/>.
/// The day it last went out is a setting in the store, so a restart (or a
/// second node) does not send it again.
/// </summary>
public sealed partial class DigestScheduler(
    DigestService digests, IExperienceSettings settings, AppRegistry apps, IOptions<DigestOptions> options, TimeProvider clock, ILogger<DigestScheduler> log)
    : BackgroundService
{
    private const string SentKind = "digest-sent";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), clock);
        do
        {
            var o = options.Value;
            var now = clock.GetUtcNow();
            if (o.To.Count == 0 || now.Hour < o.Hour)
            {
                continue;
            }
            var today = now.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            foreach (var app in o.Apps.Count > 0 ? o.Apps : apps.All.Select(a => a.Id))
            {
                try
                {
                    var sent = await settings.ListSettingsAsync(app, SentKind, stoppingToken);
                    if (sent.Any(s => s.Key == "day" && s.Value == today))
                    {
                        continue;
                    }
                    var end = new DateTimeOffset(now.UtcDateTime.Date.AddHours(o.Hour), TimeSpan.Zero);
                    var digest = await digests.BuildAsync(app, end, stoppingToken);
                    await digests.SendAsync(digest, o.To, stoppingToken);
                    await settings.SaveSettingAsync(new StoredSetting(app, SentKind, "day", today, "digest", now), stoppingToken);
                    LogSent(log, app);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(log, e, app);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent the digest of {App}")]
    private static partial void LogSent(ILogger logger, string app);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The digest of {App} was not sent; trying again in a minute")]
    private static partial void LogFailed(ILogger logger, Exception e, string app);
}
