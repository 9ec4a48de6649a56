using System.ComponentModel.DataAnnotations;

namespace Waymark.Server.Journeys;

/// <summary>Options of the live journeys (section Waymark:Journeys).</summary>
public sealed class JourneyOptions
{
    /// <summary>How often the store's due deadlines are swept (visitors whose grain is not active), seconds.</summary>
    [Range(1, 3600)]
    public int SweepSeconds { get; set; } = 15;

    /// <summary>Visitors woken per sweep round at the most; the next round takes the rest.</summary>
    [Range(1, 100_000)]
    public int SweepBatch { get; set; } = 2000;

    /// <summary>How often the node's journey timers are checked, milliseconds: a deadline fires at most this late.</summary>
    [Range(10, 10_000)]
    public int TimerTickMs { get; set; } = 250;

    /// <summary>Visitors woken at once by the sweep.</summary>
    [Range(1, 1024)]
    public int SweepParallelism { get; set; } = 16;

    /// <summary>
    /// An idle journey (no call for this long) is deactivated; its deadlines
    /// stay in the store and the sweep wakes it. Minutes.
    /// </summary>
    [Range(1, 1440)]
    public int IdleMinutes { get; set; } = 10;

    /// <summary>
    /// Under memory pressure (this share of the memory available to the
    /// process in use) journeys are shed, the least recently used first, until
    /// use is back under <see cref="ShedTargetPercent"/>; a shed visitor is
    /// replayed from the store when it returns.
    /// </summary>
    [Range(10, 99)]
    public int ShedAtPercent { get; set; } = 80;

    [Range(5, 95)]
    public int ShedTargetPercent { get; set; } = 70;
}
