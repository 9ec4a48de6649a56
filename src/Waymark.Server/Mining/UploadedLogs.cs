using Waymark.Core.Mining;

namespace Waymark.Server.Mining;

/// <summary>An uploaded event log, analysed like a journey log.</summary>
public sealed record UploadedLog(string Id, string Name, DateTimeOffset Uploaded, EventLog Log);

/// <summary>
/// Uploaded XES logs, kept in memory (a restart forgets them) up to
/// <see cref="MiningOptions.MaxUploadedLogs"/>, the oldest leaving first.
/// </summary>
public sealed class UploadedLogs(Microsoft.Extensions.Options.IOptions<MiningOptions> options, TimeProvider clock)
{
    private readonly LinkedList<UploadedLog> _logs = new();
    private readonly Lock _lock = new();

    public UploadedLog Add(string name, EventLog log)
    {
        var entry = new UploadedLog(Guid.NewGuid().ToString("n")[..12], name, clock.GetUtcNow(), log);
        lock (_lock)
        {
            _logs.AddFirst(entry);
            while (_logs.Count > Math.Max(1, options.Value.MaxUploadedLogs))
            {
                _logs.RemoveLast();
            }
        }
        return entry;
    }

    public UploadedLog? Find(string id)
    {
        lock (_lock)
        {
            return _logs.FirstOrDefault(l => l.Id == id);
        }
    }

    public IReadOnlyList<UploadedLog> All()
    {
        lock (_lock)
        {
            return [.. _logs];
        }
    }
}
