using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Waymark.Server.Tests.Infrastructure;

/// <summary>A real HTTP server on 127.0.0.1 that receives webhooks: it answers 500 to the first <c>failFirst</c> requests, then 204.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _count;

    public sealed record Received(int Status, string Id, string Timestamp, string Signature, string Body);

    public ConcurrentQueue<Received> Requests { get; } = new();

    public Uri Url { get; }

    /// <summary>While true, a request is recorded and then never answered (a delivery in flight).</summary>
    public bool Hang { get; set; }

    /// <summary>While true, every request is recorded and answered 500 (the receiver is down).</summary>
    public bool Fail { get; set; }

    private WebhookReceiver(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public static async Task<WebhookReceiver> StartAsync(int failFirst, bool hang = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        WebhookReceiver? self = null;
        app.MapPost("/hook", async (HttpContext http) =>
        {
            var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
            if (self!.Hang)
            {
                self.Requests.Enqueue(new Received(0, http.Request.Headers["webhook-id"].ToString(), http.Request.Headers["webhook-timestamp"].ToString(),
                    http.Request.Headers["webhook-signature"].ToString(), body));
                await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return Results.StatusCode(503);
            }
            var n = Interlocked.Increment(ref self._count);
            var status = n <= failFirst || self.Fail ? 500 : 204;
            self.Requests.Enqueue(new Received(status, http.Request.Headers["webhook-id"].ToString(), http.Request.Headers["webhook-timestamp"].ToString(),
                http.Request.Headers["webhook-signature"].ToString(), body));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        var address = app.Urls.First();
        self = new WebhookReceiver(app, new Uri(address.TrimEnd('/') + "/hook")) { Hang = hang };
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
