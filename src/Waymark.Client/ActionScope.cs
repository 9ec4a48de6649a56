namespace Waymark.Client;

/// <summary>
/// A user action in progress, from <see cref="WaymarkClient.Action(string)"/>
/// until <see cref="Dispose"/>, which records it with its duration. While it
/// is open (in the same async flow), HTTP calls and errors are linked to it.
/// </summary>
public sealed class ActionScope : IDisposable
{
    private readonly WaymarkClient _client;
    private readonly long _startTimestamp;
    private int _failed;
    private int _disposed;

    internal ActionScope(WaymarkClient client, string id, string name, DateTimeOffset started, long startTimestamp, ActionScope? parent)
    {
        _client = client;
        Id = id;
        Name = name;
        Started = started;
        _startTimestamp = startTimestamp;
        Parent = parent;
    }

    /// <summary>The action's event id; the requests and errors of the action carry it.</summary>
    public string Id { get; }

    /// <summary>The action's name.</summary>
    public string Name { get; }

    /// <summary>Whether <see cref="Fail"/> was called.</summary>
    public bool Failed => Volatile.Read(ref _failed) != 0;

    internal DateTimeOffset Started { get; }

    internal ActionScope? Parent { get; }

    /// <summary>
    /// Marks the action failed (a payment declined, a scan unreadable). With an
    /// exception, records it as an error of this action too.
    /// </summary>
    public void Fail(Exception? error = null)
    {
        Volatile.Write(ref _failed, 1);
        if (error is not null)
        {
            _client.RecordError(error, fatal: false, Id, crash: false);
        }
    }

    /// <summary>Records the action: its name, its start, its duration until now, and whether it failed.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _client.EndAction(this, _client.Time.GetElapsedTime(_startTimestamp), Failed);
        }
    }
}
