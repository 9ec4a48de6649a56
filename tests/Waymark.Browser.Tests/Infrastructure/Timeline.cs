using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Waymark.Server.Tests.Infrastructure;

namespace Waymark.Browser.Tests.Infrastructure;

/// <summary>A session and its events as GET /v1/sessions/{id}?app= answers them.</summary>
public sealed class Timeline(JsonElement root)
{
    public JsonElement Session { get; } = root.GetProperty("session");
    public IReadOnlyList<JsonElement> Events { get; } = root.GetProperty("events").EnumerateArray().ToList();

    public IReadOnlyList<JsonElement> OfType(string type) => Events.Where(e => Text(e, "type") == type).ToList();

    public JsonElement? Find(string type, Func<JsonElement, bool> match) =>
        Events.Where(e => Text(e, "type") == type).Cast<JsonElement?>().FirstOrDefault(e => match(e!.Value));

    public override string ToString() =>
        $"{Events.Count} events: " + string.Join(", ", Events.Select(e => Text(e, "type") + (Text(e, "name") is { } n ? "(" + n + ")" : "")));

    public static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static double? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    public static bool Flag(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    public static IReadOnlyList<string> List(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().Select(x => x.GetString() ?? "").ToList() : [];

    /// <summary>One of the event's props (stored as a JSON object text).</summary>
    public static JsonElement? Prop(JsonElement e, string name)
    {
        if (Text(e, "props") is not { } props)
        {
            return null;
        }
        using var doc = JsonDocument.Parse(props);
        return doc.RootElement.TryGetProperty(name, out var v) ? v.Clone() : null;
    }
}

/// <summary>Reads what the server stored, polling (bounded) until the expected events are there.</summary>
public static class Stored
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    public static async Task<Timeline?> TryTimelineAsync(WaymarkServer server, string sessionId)
    {
        using var response = await server.Client.GetAsync($"/v1/sessions/{Uri.EscapeDataString(sessionId)}?app={WaymarkServer.App}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET session answered {(int)response.StatusCode}: {body}");
        return new Timeline(JsonDocument.Parse(body).RootElement.Clone());
    }

    /// <summary>The session's timeline once <paramref name="done"/> holds; fails with what was there after the timeout.</summary>
    public static async Task<Timeline> TimelineAsync(WaymarkServer server, string sessionId, Func<Timeline, bool> done, string what, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        Timeline? last = null;
        while (clock.Elapsed < (timeout ?? DefaultTimeout))
        {
            last = await TryTimelineAsync(server, sessionId);
            if (last is not null && done(last))
            {
                return last;
            }
            await Task.Delay(150);
        }
        Assert.Fail($"Waited {(timeout ?? DefaultTimeout).TotalSeconds:0} s for {what} in session {sessionId}; stored: {last?.ToString() ?? "no session"}");
        throw new UnreachableException();
    }

    /// <summary>Polls a condition, bounded in time.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < (timeout ?? DefaultTimeout))
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"Waited {(timeout ?? DefaultTimeout).TotalSeconds:0} s for {what}.");
    }
}
