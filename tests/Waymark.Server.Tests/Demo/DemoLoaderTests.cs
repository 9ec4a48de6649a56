using Waymark.Core.Sessions;
using Waymark.Demo;
using Waymark.Server.Store;
using Waymark.Server.Tests.Infrastructure;

namespace Waymark.Server.Tests.Demo;

/// <summary>The demo day through the real pipeline, as the run command loads it.</summary>
public sealed class DemoLoaderTests
{
    [Fact]
    public async Task FirstStart_LoadsTheDemoDay_WithDatePickerErrorsAndCustomersAcrossChannels()
    {
        await using var server = await WaymarkServer.StartAsync(new()
        {
            ["Waymark:Demo:Enabled"] = "true",
            ["Waymark:Demo:Days"] = "1",
            ["Waymark:Demo:Scale"] = "0.4",
            ["Waymark:Apps:2:Id"] = "horizon",
            ["Waymark:Apps:2:IngestKey"] = "horizon-key",
        });
        var loader = (DemoLoader)server.Application.Services.GetService(typeof(DemoLoader))!;
        await loader.Loaded.WaitAsync(TimeSpan.FromMinutes(10));

        var frustrated = await server.SessionsAsync("app=horizon&hasErrors=true&experience=frustrated&channel=web&limit=1000");
        var datePicker = 0;
        foreach (var s in frustrated.GetProperty("sessions").EnumerateArray().Where(s => s.GetProperty("exitPage").GetString() == "Date selection").Take(5))
        {
            var timeline = await server.GetJsonAsync($"/v1/sessions/{s.GetProperty("id").GetString()}?app=horizon");
            datePicker += timeline.GetProperty("events").EnumerateArray().Count(e =>
                e.GetProperty("type").GetString() == "error" &&
                e.GetProperty("message").GetString()!.Contains("firstDayOfWeek", StringComparison.Ordinal) &&
                e.GetProperty("stack").GetString()!.Contains("datepicker", StringComparison.Ordinal));
        }
        Assert.True(datePicker > 0, "the demo's date-picker error is found through the query API");

        // Every identified web customer, until one spans three channels (the first few need not).
        var web = await server.SessionsAsync("app=horizon&channel=web&limit=1000");
        var tags = web.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("userTag").GetString()).OfType<string>().Distinct();
        var widest = 0;
        foreach (var tag in tags.TakeWhile(_ => widest < 3))
        {
            var customer = await server.GetJsonAsync($"/v1/customers?app=horizon&user={tag}");
            widest = Math.Max(widest, customer.GetProperty("channels").GetArrayLength());
        }
        Assert.True(widest >= 3, $"some demo customer spans three channels or more (widest: {widest})");
    }

    [Fact]
    public async Task FirstStart_FourteenDays_WebReleaseOnTheReleaseDayAndDatePickerErrorsOnlySince()
    {
        await using var server = await WaymarkServer.StartAsync(new()
        {
            ["Waymark:Demo:Enabled"] = "true",
            ["Waymark:Demo:Days"] = "14",
            ["Waymark:Demo:Scale"] = "0.03",
            ["Waymark:Apps:2:Id"] = "horizon",
            ["Waymark:Apps:2:IngestKey"] = "horizon-key",
        });
        var loader = (DemoLoader)server.Application.Services.GetService(typeof(DemoLoader))!;
        await loader.Loaded.WaitAsync(TimeSpan.FromMinutes(10));
        var store = (ISessionReadModel)server.Application.Services.GetService(typeof(ISessionReadModel))!;
        var now = DateTimeOffset.UtcNow;
        var release = new DateTimeOffset(DateOnly.FromDateTime(now.UtcDateTime).AddDays(-4), TimeOnly.MinValue, TimeSpan.Zero);

        async Task<IReadOnlyList<SessionSummary>> Web(string version) =>
            (await store.QueryAsync(new SessionQuery { App = "horizon", Channel = "web", AppVersion = version, Limit = 100_000 }, CancellationToken.None)).Sessions;
        var before = await Web(DemoRelease.PreviousWebVersion);
        var after = await Web(DemoRelease.BuggyWebVersion);

        Assert.NotEmpty(before);
        Assert.NotEmpty(after);
        Assert.All(before, s => Assert.True(s.Start < release, $"{s.SessionId} of {s.Start:u} runs {s.AppVersion}"));
        Assert.All(after, s => Assert.True(s.Start >= release, $"{s.SessionId} of {s.Start:u} runs {s.AppVersion}"));
        Assert.InRange(before.Min(s => s.Start), now.AddDays(-14).AddMinutes(-2), now.AddDays(-13));
        Assert.InRange(after.Max(s => s.Start), now.AddHours(-6), now);
        // The date-picker error is in sessions of the new release only.
        var frustrated = (await store.QueryAsync(new SessionQuery { App = "horizon", Channel = "web", Browser = "Safari", Experience = Experience.Frustrated, Limit = 100_000 }, CancellationToken.None))
            .Sessions.Where(s => s.ExitPage == "Date selection").ToList();
        var hit = new List<SessionSummary>();
        foreach (var s in frustrated)
        {
            var timeline = await store.GetTimelineAsync(s, CancellationToken.None);
            if (timeline.Any(e => e.Event.Message?.Contains("firstDayOfWeek", StringComparison.Ordinal) == true))
            {
                hit.Add(s);
            }
        }
        Assert.NotEmpty(hit);
        Assert.All(hit, s => Assert.True(s.Start >= release && s.AppVersion == DemoRelease.BuggyWebVersion, $"{s.SessionId} of {s.Start:u}"));
    }
}
