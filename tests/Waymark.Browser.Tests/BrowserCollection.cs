namespace Waymark.Browser.Tests;

/// <summary>
/// The browser test classes run one after another: each has its own server
/// and Chromium, and timing-sensitive checks (rage clicks within 1 s,
/// main-thread cost) should not compete with each other for two cores.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection
{
    public const string Name = "Browser";
}
