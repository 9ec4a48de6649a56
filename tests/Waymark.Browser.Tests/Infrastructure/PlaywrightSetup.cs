using Microsoft.Playwright;

namespace Waymark.Browser.Tests.Infrastructure;

/// <summary>Playwright for the test sites, with assertion bounds generous enough for two shared cores.</summary>
internal static class PlaywrightSetup
{
    /// <summary>How long an Expect(...) waits for its condition unless it says otherwise, ms.</summary>
    public const float ExpectTimeout = 30_000;

    public static Task<IPlaywright> CreateAsync()
    {
        Assertions.SetDefaultExpectTimeout(ExpectTimeout);
        return Playwright.CreateAsync();
    }
}
