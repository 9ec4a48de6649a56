using System.Text.Json;
using Microsoft.Extensions.Options;
using Waymark.Core.Sessions;
using Waymark.Server.Console.Data;
using Waymark.Server.Query;
using Waymark.Server.Store;
using Waymark.Server.Http;

namespace Waymark.Server.Console;

/// <summary>The whole session for IT: summary, every event in order, the operators' notes.</summary>
public sealed record SessionExportDto(
    string Format, DateTimeOffset ExportedAt, string? ExportedBy, string Link, SessionDto Session, IReadOnlyList<EventDto> Events, IReadOnlyList<SessionNote> Notes);

/// <summary>GET /v1/sessions/{id}/export: a session as a JSON file to hand to developers.</summary>
public static class ExportEndpoints
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string Href(string app, string sessionId) =>
        $"/v1/sessions/{Uri.EscapeDataString(sessionId)}/export?app={Uri.EscapeDataString(app)}";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/sessions/{id}/export", ExportAsync)
            .WithTags("Query")
            .WithName("ExportSession")
            .WithSummary("One session as a JSON file for developers: its summary, every event in time order and the notes attached to it.");
    }

    private static async Task<IResult> ExportAsync(
        string id, string? app, HttpContext http, ISessionReadModel queries, ISessionNotes notes, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var session = await queries.GetAsync(app, id, cancellationToken);
        if (session is null)
        {
            return Problems.Create(StatusCodes.Status404NotFound, "No such session", $"No session '{id}'" + (app is null ? "." : $" in app '{app}'."));
        }
        var events = await queries.GetTimelineAsync(session, cancellationToken);
        var now = clock.GetUtcNow();
        var link = $"{http.Request.Scheme}://{http.Request.Host}/sessions/{Uri.EscapeDataString(session.SessionId)}?app={Uri.EscapeDataString(session.App)}";
        var export = new SessionExportDto(
            "waymark-session/1", now, http.User.Identity?.Name, link,
            SessionDto.From(session),
            [.. events.Select(EventDto.From)],
            await notes.ListNotesAsync(session.App, session.SessionId, cancellationToken));
        var file = "waymark-session-" + string.Concat(session.SessionId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')) + ".json";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{file}\"";
        return Results.Text(JsonSerializer.Serialize(export, s_json), "application/json; charset=utf-8");
    }
}
