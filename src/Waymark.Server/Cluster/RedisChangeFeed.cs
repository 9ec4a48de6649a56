using System.Text.Json;
using System.Threading.Channels;
using StackExchange.Redis;
using Waymark.Core.Journeys;
using Waymark.Server.Journeys;

namespace Waymark.Server.Cluster;

/// <summary>
/// The change feed of a cluster: each node delivers its journeys' changes to
/// its own subscribers and publishes them, in small batches, on a Redis
/// channel that the nodes with subscribers (an open console page) listen to.
/// A node whose publications nobody else hears stops publishing for a second
/// at a time, so a cluster without open consoles pays nothing for it.
/// </summary>
public sealed partial class RedisChangeFeed : IChangeFeed, IHostedService, IDisposable
{
    private const string ChannelName = "waymark:changes";
    private static readonly TimeSpan s_batch = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_quiet = TimeSpan.FromSeconds(1);
    private static readonly JsonSerializerOptions s_json = new() { IncludeFields = false };

    private readonly LocalChangeFeed _local = new();
    private readonly string _redis;
    private readonly ILogger<RedisChangeFeed> _logger;
    private readonly string _node = Guid.NewGuid().ToString("N");
    private readonly Channel<JourneyChange> _outgoing = Channel.CreateBounded<JourneyChange>(new BoundedChannelOptions(16_384) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private ConnectionMultiplexer? _connection;
    private Task? _sender;
    private long _quietUntil;
    private bool _listening;

    public RedisChangeFeed(string redis, ILogger<RedisChangeFeed> logger)
    {
        _redis = redis;
        _logger = logger;
    }

    public void Publish(JourneyWrite write)
    {
        var changes = LocalChangeFeed.Changes(write).ToList();
        _local.Deliver(changes);
        if (Environment.TickCount64 < Volatile.Read(ref _quietUntil))
        {
            return;
        }
        foreach (var c in changes)
        {
            _outgoing.Writer.TryWrite(c);
        }
    }

    public ChangeSubscription Subscribe(Func<JourneyChange, bool>? filter = null)
    {
        var subscription = _local.Subscribe(filter);
        Listen();
        return subscription;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis);
        _sender = Task.Run(SendLoopAsync, CancellationToken.None);
    }

    /// <summary>Listens to the other nodes' changes once this node has a subscriber.</summary>
    private void Listen()
    {
        lock (_lock)
        {
            if (_listening || _connection is null)
            {
                return;
            }
            _listening = true;
        }
        _connection.GetSubscriber().Subscribe(RedisChannel.Literal(ChannelName), (_, message) =>
        {
            try
            {
                var batch = JsonSerializer.Deserialize<Batch>((byte[])message!, s_json);
                if (batch is not null && batch.Node != _node)
                {
                    _local.Deliver(batch.Changes);
                }
            }
            catch (JsonException ex)
            {
                LogBadMessage(_logger, ex.Message);
            }
        });
    }

    private async Task SendLoopAsync()
    {
        var reader = _outgoing.Reader;
        var batch = new List<JourneyChange>();
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await reader.WaitToReadAsync(_stop.Token);
                await Task.Delay(s_batch, _stop.Token);
                while (batch.Count < 1000 && reader.TryRead(out var c))
                {
                    batch.Add(c);
                }
                var receivers = await _connection!.GetSubscriber().PublishAsync(RedisChannel.Literal(ChannelName),
                    JsonSerializer.SerializeToUtf8Bytes(new Batch(_node, batch), s_json));
                // This node hears itself when it listens: no one else did.
                if (receivers <= (_listening ? 1 : 0))
                {
                    Volatile.Write(ref _quietUntil, Environment.TickCount64 + (long)s_quiet.TotalMilliseconds);
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (RedisException ex)
            {
                LogPublishFailed(_logger, ex.Message);
            }
            finally
            {
                batch.Clear();
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        if (_sender is not null)
        {
            await _sender;
        }
    }

    public void Dispose()
    {
        _stop.Dispose();
        _connection?.Dispose();
    }

    /// <summary>Changes of one node, as published.</summary>
    private sealed record Batch(string Node, List<JourneyChange> Changes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A change-feed message from another node could not be read: {Reason}")]
    private static partial void LogBadMessage(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing changes to the other nodes failed: {Reason}")]
    private static partial void LogPublishFailed(ILogger logger, string reason);
}

/// <summary>Registration of the cluster's change feed.</summary>
public static class RedisChangeFeedSetup
{
    public static IServiceCollection AddRedisChangeFeed(this IServiceCollection services, string redis)
    {
        services.AddSingleton(sp => new RedisChangeFeed(redis, sp.GetRequiredService<ILogger<RedisChangeFeed>>()));
        services.AddSingleton<IChangeFeed>(sp => sp.GetRequiredService<RedisChangeFeed>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisChangeFeed>());
        return services;
    }
}
