using Microsoft.Playwright;

namespace Waymark.Browser.Tests.Infrastructure;

/// <summary>A visitor of the shop: a fresh browser context (no storage, a new visitor) and one tab.</summary>
public sealed class ShopPage : IAsyncDisposable
{
    private ShopPage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
    }

    public IBrowserContext Context { get; }
    public IPage Page { get; }

    public static async Task<ShopPage> OpenAsync(ShopSite site)
    {
        var context = await site.Browser.NewContextAsync(new() { BaseURL = site.Origin, ViewportSize = new() { Width = 1280, Height = 800 } });
        // Generous: CI shares two cores between the server, the browser and the tests.
        context.SetDefaultTimeout(30_000);
        return new ShopPage(context, await context.NewPageAsync());
    }

    /// <summary>Opens a page of the shop and waits until the agent runs on it.</summary>
    public async Task GotoAsync(string path)
    {
        await Page.GotoAsync(path);
        await WaitForAgentAsync();
    }

    /// <summary>Clicks a link and waits for the next page and its agent.</summary>
    public async Task FollowAsync(string selector, string path)
    {
        await Page.ClickAsync(selector);
        // The agent's own readiness is what the tests need; the load event may
        // wait on slow resources the test does not care about.
        await Page.WaitForURLAsync("**" + path, new() { WaitUntil = WaitUntilState.Commit });
        await WaitForAgentAsync();
    }

    public Task WaitForAgentAsync() =>
        Page.WaitForFunctionAsync("() => !!(window.waymark && window.waymark._debug && window.waymark._debug().session)");

    public Task<string> SessionAsync() => Page.EvaluateAsync<string>("() => waymark._debug().session");

    public Task<string> VisitorAsync() => Page.EvaluateAsync<string>("() => waymark._debug().visitor");

    /// <summary>Sends what the agent has queued now (waymark.flush()).</summary>
    public Task FlushAsync() => Page.EvaluateAsync("() => waymark.flush()");

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
