using System.Globalization;
using Microsoft.Extensions.Options;
using Waymark.Core.Events;
using Waymark.Core.Sessions;
using Waymark.Server.Store;
using Waymark.Server.Http;

namespace Waymark.Server.Query;

/// <summary>Query API v1: sessions with filters, one session's timeline, one user's sessions.</summary>
public static class QueryEndpoints
{
    public static IEndpointRouteBuilder MapQuery(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").WithTags("Query");
        v1.MapGet("/sessions", ListSessionsAsync).WithQuery(QueryDocs.SessionFilters)
            .WithName("ListSessions")
            .WithSummary("Sessions, newest first, filtered by app, time range, channel, user tag, country, device, errors, conversion, experience, activity.");
        v1.MapGet("/sessions/{id}", GetSessionAsync)
            .WithName("GetSession")
            .WithSummary("One session with its events in time order.");
        v1.MapGet("/users/{tag}/sessions", ListUserSessionsAsync)
            .WithName("ListUserSessions")
            .WithSummary("The sessions of one user tag, newest first.");
        return app;
    }

    private static async Task<IResult> ListSessionsAsync(
        HttpContext http, ISessionReadModel queries, Ingest.Enricher enricher, CancellationToken cancellationToken)
    {
        var q = http.Request.Query;
        var errors = new List<string>();

        var filter = new SessionQuery
        {
            App = Text(q, "app"),
            From = Time(q, "from", errors),
            To = Time(q, "to", errors),
            Channel = Channel(q, errors),
            // As stored: hashed the same way when the installation hashes user tags.
            UserTag = Text(q, "user") is { } user ? enricher.UserKey(user) : null,
            Visitor = Text(q, "visitor"),
            Country = Text(q, "country"),
            DeviceClass = Text(q, "device"),
            HasErrors = Bool(q, "hasErrors", errors),
            Converted = Bool(q, "converted", errors),
            Experience = ExperienceOf(q, errors),
            Active = Bool(q, "active", errors),
            Limit = Int(q, "limit", 100, 1, 1000, errors),
            Offset = Int(q, "offset", 0, 0, 1_000_000, errors),
        };
        if (errors.Count > 0)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid query", string.Join("; ", errors));
        }
        var (sessions, total) = await queries.QueryAsync(filter, cancellationToken);
        return TypedResults.Ok(new SessionListDto(total, filter.Offset, filter.Limit, sessions.Select(s => SessionDto.From(s)).ToList()));
    }

    private static async Task<IResult> GetSessionAsync(
        string id, string? app, ISessionReadModel queries, CancellationToken cancellationToken)
    {
        var session = await queries.GetAsync(app, id, cancellationToken);
        if (session is null)
        {
            return Problems.Create(StatusCodes.Status404NotFound, "No such session", $"No session '{id}'" + (app is null ? "." : $" in app '{app}'."));
        }
        var events = await queries.GetTimelineAsync(session, cancellationToken);
        return TypedResults.Ok(new TimelineDto(SessionDto.From(session), events.Select(EventDto.From).ToList()));
    }

    private static async Task<IResult> ListUserSessionsAsync(
        string tag, string? app, ISessionReadModel queries, Ingest.Enricher enricher, CancellationToken cancellationToken)
    {
        var (sessions, total) = await queries.QueryAsync(new SessionQuery { App = app, UserTag = enricher.UserKey(tag), Limit = 1000 }, cancellationToken);
        return TypedResults.Ok(new SessionListDto(total, 0, 1000, sessions.Select(s => SessionDto.From(s)).ToList()));
    }

    private static string? Text(IQueryCollection q, string name) =>
        q.TryGetValue(name, out var v) && v.ToString() is { Length: > 0 } s ? s : null;

    private static DateTimeOffset? Time(IQueryCollection q, string name, List<string> errors)
    {
        if (Text(q, name) is not { } s)
        {
            return null;
        }
        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
        {
            return t;
        }
        errors.Add($"{name}: '{s}' is not an ISO 8601 time such as 2026-11-24T09:00:00Z");
        return null;
    }

    private static bool? Bool(IQueryCollection q, string name, List<string> errors)
    {
        switch (Text(q, name)?.ToLowerInvariant())
        {
            case null: return null;
            case "true" or "1" or "yes": return true;
            case "false" or "0" or "no": return false;
            default:
                errors.Add($"{name}: use true or false");
                return null;
        }
    }

    private static int Int(IQueryCollection q, string name, int fallback, int min, int max, List<string> errors)
    {
        if (Text(q, name) is not { } s)
        {
            return fallback;
        }
        if (int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
        {
            return n;
        }
        errors.Add($"{name}: a whole number from {min} to {max}");
        return fallback;
    }

    private static string? Channel(IQueryCollection q, List<string> errors)
    {
        if (Text(q, "channel") is not { } s)
        {
            return null;
        }
        var c = Channels.Normalize(s);
        if (c is null)
        {
            errors.Add("channel: one of " + string.Join(", ", Channels.All));
        }
        return c;
    }

    private static Experience? ExperienceOf(IQueryCollection q, List<string> errors)
    {
        if (Text(q, "experience") is not { } s)
        {
            return null;
        }
        if (ExperienceScore.TryParse(s, out var e))
        {
            return e;
        }
        errors.Add("experience: satisfied, tolerating or frustrated");
        return null;
    }
}
