using Microsoft.Extensions.Options;
using Waymark.Server.Apps;
using Waymark.Server.Store;

namespace Waymark.Server.Privacy;

/// <summary>
/// Applies each app's retention (Waymark:Apps:N:RetentionDays) once a day,
/// and at start: sessions that ended before the cut go, with their events and
/// notes; what each table lost is logged.
/// </summary>
internal sealed partial class RetentionService(
    ICustomerData data, IOptions<List<AppOptions>> apps, TimeProvider clock, ILogger<RetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromDays(1), clock);
        do
        {
            await RunOnceAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        foreach (var app in apps.Value.Where(a => a.RetentionDays > 0))
        {
            var before = clock.GetUtcNow().AddDays(-app.RetentionDays);
            try
            {
                var removed = await data.ApplyRetentionAsync(app.Id, before, cancellationToken);
                var summary = string.Join(", ", removed.Select(kv => $"{kv.Key} {kv.Value}"));
                LogRetention(logger, app.Id, app.RetentionDays, before, summary);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRetentionFailed(logger, app.Id, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention of app {App} ({Days} days, before {Before:O}) removed: {Removed}")]
    private static partial void LogRetention(ILogger logger, string app, int days, DateTimeOffset before, string removed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention of app {App} failed")]
    private static partial void LogRetentionFailed(ILogger logger, string app, Exception ex);
}
