namespace Waymark.Client;

/// <summary>
/// Times the app's HTTP calls: each becomes a <c>request</c> event with the
/// method, the URL without its query string, the status (0 when the call
/// failed without an answer), the duration until the response headers, whether
/// the host is third-party (not in <see cref="WaymarkClientOptions.FirstPartyHosts"/>),
/// and the current <see cref="ActionScope"/>. The call itself is passed on
/// untouched: its result and its exceptions are the app's, never the SDK's.
/// </summary>
/// <example><code>
/// var http = new HttpClient(new WaymarkHttpHandler(waymark, new HttpClientHandler()));
/// // or: services.AddHttpClient("api").AddHttpMessageHandler(sp => new WaymarkHttpHandler(waymark));
/// </code></example>
public sealed class WaymarkHttpHandler : DelegatingHandler
{
    private readonly WaymarkClient _client;

    /// <summary>A handler whose inner handler is set later (as IHttpClientFactory does).</summary>
    public WaymarkHttpHandler(WaymarkClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
    }

    /// <summary>A handler in front of <paramref name="innerHandler"/>.</summary>
    public WaymarkHttpHandler(WaymarkClient client, HttpMessageHandler innerHandler)
        : base(innerHandler)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var start = _client.Time.GetTimestamp();
        var status = 0;
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            status = (int)response.StatusCode;
            return response;
        }
        finally
        {
            _client.RecordRequest(request, status, _client.Time.GetElapsedTime(start));
        }
    }

    /// <inheritdoc />
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var start = _client.Time.GetTimestamp();
        var status = 0;
        try
        {
            var response = base.Send(request, cancellationToken);
            status = (int)response.StatusCode;
            return response;
        }
        finally
        {
            _client.RecordRequest(request, status, _client.Time.GetElapsedTime(start));
        }
    }
}
