using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Waymark.Browser.Tests.Infrastructure;

/// <summary>One POST /v1/beacon as the server saw it.</summary>
/// <param name="Seq">Order of arrival.</param>
/// <param name="Status">The server's answer.</param>
/// <param name="FetchMode">Sec-Fetch-Mode: "cors" for the agent's fetch, "no-cors" for navigator.sendBeacon with a text/plain body.</param>
public sealed record BeaconRecord(long Seq, int Status, string? FetchMode, string? Visitor, string? Session, IReadOnlyList<string> EventIds)
{
    public bool ViaSendBeacon => FetchMode == "no-cors";
}

/// <summary>
/// Middleware in front of the collector (registered through WaymarkServer's
/// map hook, so it runs before the endpoint) that notes every beacon: who
/// sent which event ids, how, and what the server answered.
/// </summary>
public sealed class BeaconLog
{
    private readonly Lock _lock = new();
    private readonly List<BeaconRecord> _records = [];
    private long _seq;

    public IReadOnlyList<BeaconRecord> For(string visitor)
    {
        lock (_lock)
        {
            return _records.Where(r => r.Visitor == visitor).ToList();
        }
    }

    public async Task RecordAsync(HttpContext http, RequestDelegate next)
    {
        if (!HttpMethods.IsPost(http.Request.Method) || http.Request.Path != "/v1/beacon")
        {
            await next(http);
            return;
        }
        http.Request.EnableBuffering();
        string body;
        try
        {
            using var reader = new StreamReader(http.Request.Body, leaveOpen: true);
            body = await reader.ReadToEndAsync(http.RequestAborted);
        }
        catch (Exception ex) when (ex is BadHttpRequestException or OperationCanceledException or IOException)
        {
            // The browser went away mid-request (a context closed at the end of a test).
            return;
        }
        http.Request.Body.Position = 0;
        var seq = Interlocked.Increment(ref _seq);
        await next(http);
        var (visitor, session, ids) = Read(body);
        lock (_lock)
        {
            _records.Add(new BeaconRecord(seq, http.Response.StatusCode, http.Request.Headers["Sec-Fetch-Mode"].ToString(), visitor, session, ids));
        }
    }

    private static (string? Visitor, string? Session, List<string> Ids) Read(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            var ids = root.TryGetProperty("events", out var events) && events.ValueKind == JsonValueKind.Array
                ? events.EnumerateArray().Select(e => e.TryGetProperty("id", out var id) ? id.GetString() ?? "" : "").ToList()
                : [];
            return (Text(root, "visitor"), Text(root, "session"), ids);
        }
        catch (JsonException)
        {
            return (null, null, []);
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
