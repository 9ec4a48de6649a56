namespace Waymark.Server.Tests.Infrastructure;

/// <summary>Builds beacons of protocol v1 as a client would send them.</summary>
public static class Beacons
{
    public static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    public static Dictionary<string, object?> Batch(string visitor, string? session, IEnumerable<object> events,
        string app = WaymarkServer.App, string key = WaymarkServer.Key, string channel = "web", DateTimeOffset? sentAt = null, string? user = null) => new()
    {
        ["app"] = app,
        ["key"] = key,
        ["channel"] = channel,
        ["visitor"] = visitor,
        ["session"] = session,
        ["user"] = user,
        ["sentAt"] = sentAt is { } s ? Ms(s) : null,
        ["events"] = events.ToArray(),
    };

    public static Dictionary<string, object?> View(string id, DateTimeOffset ts, string name = "Home", double? duration = 800, string? url = null) => new()
    {
        ["id"] = id, ["type"] = "view", ["ts"] = Ms(ts), ["name"] = name, ["duration"] = duration,
        ["url"] = url ?? "https://shop.example/" + name.ToLowerInvariant(),
    };

    public static Dictionary<string, object?> Action(string id, DateTimeOffset ts, string name = "Click", double? duration = 200, string[]? frustration = null) => new()
    {
        ["id"] = id, ["type"] = "action", ["ts"] = Ms(ts), ["name"] = name, ["duration"] = duration, ["frustration"] = frustration,
    };

    public static Dictionary<string, object?> Error(string id, DateTimeOffset ts, string message, string? stack = null, string? action = null) => new()
    {
        ["id"] = id, ["type"] = "error", ["ts"] = Ms(ts), ["message"] = message, ["stack"] = stack, ["action"] = action,
    };

    public static Dictionary<string, object?> Request(string id, DateTimeOffset ts, string url, int status, double duration) => new()
    {
        ["id"] = id, ["type"] = "request", ["ts"] = Ms(ts), ["url"] = url, ["status"] = status, ["duration"] = duration, ["method"] = "GET",
    };

    public static Dictionary<string, object?> Conversion(string id, DateTimeOffset ts, string name = "order", double value = 100) => new()
    {
        ["id"] = id, ["type"] = "conversion", ["ts"] = Ms(ts), ["name"] = name, ["value"] = value,
    };

    public static Dictionary<string, object?> Custom(string id, DateTimeOffset ts, string name = "step") => new()
    {
        ["id"] = id, ["type"] = "custom", ["ts"] = Ms(ts), ["name"] = name,
    };

    public static Dictionary<string, object?> Identify(string id, DateTimeOffset ts, string user) => new()
    {
        ["id"] = id, ["type"] = "identify", ["ts"] = Ms(ts), ["user"] = user,
    };
}
