namespace Waymark.Core.Protocol;

/// <summary>Bounds on what one beacon may carry. Every one is an option with this default.</summary>
public sealed class BeaconLimits
{
    /// <summary>Events in one batch.</summary>
    public int MaxEvents { get; set; } = 1000;
    /// <summary>Nesting depth of the JSON body.</summary>
    public int MaxDepth { get; set; } = 16;
    /// <summary>Length of ids: app, visitor, session, event.</summary>
    public int MaxIdLength { get; set; } = 128;
    /// <summary>Length of names, URLs, messages, targets.</summary>
    public int MaxTextLength { get; set; } = 2048;
    /// <summary>Length of an error stack.</summary>
    public int MaxStackLength { get; set; } = 16 * 1024;
    /// <summary>Properties of a custom event or traits of an identify.</summary>
    public int MaxProps { get; set; } = 32;
    /// <summary>How far in the past an event may lie, after clock-skew correction.</summary>
    public TimeSpan MaxEventAge { get; set; } = TimeSpan.FromDays(7);
    /// <summary>How far in the future an event may lie, after clock-skew correction.</summary>
    public TimeSpan MaxEventFuture { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>A clock difference below this is network latency, not skew, and is not corrected.</summary>
    public TimeSpan SkewTolerance { get; set; } = TimeSpan.FromSeconds(2);
}
