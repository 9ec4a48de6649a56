using System.Text.Json;
using Waymark.Server.Journeys;

namespace Waymark.Server.Query;

/// <summary>
/// GET /v1/live: the change feed as server-sent events — every session that
/// starts, changes or ends and every signal (a rule fired), of one app or all,
/// on whichever node the request lands, as a contact-centre wallboard or an
/// integration would follow it.
/// </summary>
public static class LiveEndpoints
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapLive(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/live", StreamAsync)
            .WithTags("Query")
            .WithName("LiveChanges")
            .WithSummary("Live changes as server-sent events (event: session.started | session.updated | session.ended | signal; data: JSON), for one app (?app=) or all.");
        return app;
    }

    private static async Task StreamAsync(HttpContext http, IChangeFeed feed, string? app, CancellationToken cancellationToken)
    {
        http.Response.Headers.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        using var subscription = feed.Subscribe(c => app is null || c.App == app);
        // A first comment so the client knows the stream is open (and subscribed).
        await http.Response.WriteAsync(": subscribed\n\n", cancellationToken);
        await http.Response.Body.FlushAsync(cancellationToken);
        try
        {
            await foreach (var change in subscription.Reader.ReadAllAsync(cancellationToken))
            {
                var name = change.Kind switch
                {
                    ChangeKind.SessionStarted => "session.started",
                    ChangeKind.SessionEnded => "session.ended",
                    ChangeKind.Signal => "signal",
                    _ => "session.updated",
                };
                var data = JsonSerializer.Serialize(new
                {
                    app = change.App,
                    visitor = change.Visitor,
                    session = change.Session is { } s ? SessionDto.From(s) : null,
                    signal = change.Signal,
                }, s_json);
                await http.Response.WriteAsync($"event: {name}\ndata: {data}\n\n", cancellationToken);
                await http.Response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
    }
}
