namespace Waymark.Client.Internal;

/// <summary>
/// Wakes every waiter once. A waiter takes <see cref="Task"/> before it checks
/// its condition, so a <see cref="Set"/> between the check and the wait is not lost.
/// </summary>
internal sealed class Signal
{
    private TaskCompletionSource _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Task => Volatile.Read(ref _tcs).Task;

    public void Set() =>
        Interlocked.Exchange(ref _tcs, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
