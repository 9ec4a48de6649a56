namespace Waymark.Server.Console.Pages;

/// <summary>Reloads a page's data on a timer while it shows live customers, until cancelled.</summary>
internal static class LiveRefresh
{
    public static async Task RunAsync(TimeSpan period, Func<Task> reload, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await reload();
            }
        }
        catch (OperationCanceledException)
        {
            // The page closed or live mode was switched off.
        }
    }
}
