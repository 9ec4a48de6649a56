using Microsoft.OpenApi;

namespace Waymark.Server.Http;

/// <summary>
/// Documents in the OpenAPI document the query parameters an endpoint reads from the request itself (its filters are
/// many and optional, so they are read by name rather than bound one by one).
/// </summary>
public static class QueryDocs
{
    public static readonly string[] SessionFilters =
        ["app", "from", "to", "channel", "user", "visitor", "country", "device", "hasErrors", "converted", "experience", "active", "limit", "offset"];

    public static readonly string[] MiningFilters =
        ["app", "log", "from", "to", "case", "activity", "channel", "device", "country", "version", "browser", "os", "locale", "converted"];

    /// <summary>Adds the named query parameters (strings, optional) to the endpoint's OpenAPI operation.</summary>
    public static TBuilder WithQuery<TBuilder>(this TBuilder builder, params string[] names)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var name in names)
            {
                if (!operation.Parameters.Any(p => p.Name == name))
                {
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = name,
                        In = ParameterLocation.Query,
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    });
                }
            }
            return Task.CompletedTask;
        });
}
