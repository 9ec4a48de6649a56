using Waymark.Server.Journeys;

namespace Waymark.Server.Console.Pages;

/// <summary>
/// Reloads a page's data when the journeys it shows change, until
/// cancelled: it subscribes to the change feed, and a burst of changes (a
/// busy minute brings many) is gathered for a moment and reloads once.
/// </summary>
internal static class LiveRefresh
{
    public static async Task RunAsync(IChangeFeed feed, Func<JourneyChange, bool> filter, TimeSpan coalesce, Func<Task> reload, CancellationToken cancellationToken)
    {
        using var subscription = feed.Subscribe(filter);
        var reader = subscription.Reader;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                await Task.Delay(coalesce, cancellationToken);
                while (reader.TryRead(out _))
                {
                }
                await reload();
            }
        }
        catch (OperationCanceledException)
        {
            // The page closed or live mode was switched off.
        }
    }
}
