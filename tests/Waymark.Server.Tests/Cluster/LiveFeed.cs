using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using Waymark.Server.Tests.Infrastructure;

namespace Waymark.Server.Tests.Cluster;

/// <summary>A follower of GET /v1/live on one node: every change it was sent, in order.</summary>
public sealed class LiveFeed(Uri node) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = node, Timeout = Timeout.InfiniteTimeSpan };
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _visitors = new();
    private Task? _reading;

    public int Count => _visitors.Count;

    /// <summary>Distinct visitors whose changes arrived after the first <paramref name="skip"/> changes.</summary>
    public int VisitorsAfter(int skip) => _visitors.Skip(skip).Distinct().Count();

    public async Task StartAsync()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/live?app=shop");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WaymarkServer.AdminToken);
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
        response.EnsureSuccessStatusCode();
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
        // The stream says it is subscribed before any change.
        var first = await reader.ReadLineAsync(_stop.Token);
        if (first != ": subscribed")
        {
            throw new InvalidOperationException("unexpected first line of /v1/live: " + first);
        }
        _reading = Task.Run(async () =>
        {
            try
            {
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    if (line.StartsWith("data: ", StringComparison.Ordinal))
                    {
                        using var doc = JsonDocument.Parse(line["data: ".Length..]);
                        _visitors.Enqueue(doc.RootElement.GetProperty("visitor").GetString() ?? "");
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                reader.Dispose();
                response.Dispose();
            }
        });
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _reading?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
        _http.Dispose();
        _stop.Dispose();
    }
}
