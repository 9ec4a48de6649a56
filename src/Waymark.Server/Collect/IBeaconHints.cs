using Waymark.Core.Protocol;

namespace Waymark.Server.Collect;

/// <summary>
/// What a beacon's answer tells the agent beyond what was taken: the URL of
/// a script to load (the in-page interventions, only for an app whose rules
/// act in the page). Registered by the area that knows; none by default.
/// </summary>
public interface IBeaconHints
{
    /// <summary>A script URL for the agent to load once, or null.</summary>
    string? ScriptFor(HttpContext http, BeaconHeader header);
}
