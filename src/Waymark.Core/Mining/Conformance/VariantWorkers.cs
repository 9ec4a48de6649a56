namespace Waymark.Core.Mining;

/// <summary>
/// Runs a body over variant indices on a fixed number of workers, each with
/// its own state built once (a marking graph and search buffers that grow
/// warm). Parallel.For's per-task state would be rebuilt for every task the
/// scheduler starts, which on a busy machine means re-expanding the same
/// markings many times.
/// </summary>
internal static class VariantWorkers
{
    public static void Run<TWorker>(int count, int maxDegreeOfParallelism, Func<TWorker> create, Action<int, TWorker> body, CancellationToken cancellationToken)
    {
        var workers = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount;
        workers = Math.Max(1, Math.Min(workers, count));
        var next = -1;
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken }, _ =>
        {
            var worker = create();
            for (var v = Interlocked.Increment(ref next); v < count; v = Interlocked.Increment(ref next))
            {
                cancellationToken.ThrowIfCancellationRequested();
                body(v, worker);
            }
        });
    }
}
