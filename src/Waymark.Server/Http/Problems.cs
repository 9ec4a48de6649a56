namespace Waymark.Server.Http;

/// <summary>RFC 9457 problem details that say what was wrong and how to fix it.</summary>
public static class Problems
{
    public static IResult Create(int status, string title, string detail, params (string Name, object? Value)[] extensions) =>
        Results.Json(Body(status, title, detail, extensions), statusCode: status, contentType: "application/problem+json");

    public static Dictionary<string, object?> Body(int status, string title, string detail, params (string Name, object? Value)[] extensions)
    {
        var body = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["type"] = "about:blank",
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
        };
        foreach (var (name, value) in extensions)
        {
            body[name] = value;
        }
        return body;
    }
}
