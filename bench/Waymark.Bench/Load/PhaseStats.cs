using System.Diagnostics;

namespace Waymark.Bench.Load;

/// <summary>Latencies of one kind of answer, in Stopwatch ticks; bounded, lock-free.</summary>
internal sealed class LatencyRecorder(int capacity)
{
    private readonly long[] _ticks = new long[capacity];
    private readonly long[] _at = new long[capacity];
    private int _count;

    /// <summary>Records a latency; <paramref name="at"/> is when the answer came (Stopwatch timestamp).</summary>
    public void Add(long ticks, long at)
    {
        var i = Interlocked.Increment(ref _count) - 1;
        if (i < _ticks.Length)
        {
            _ticks[i] = ticks;
            _at[i] = at;
        }
    }

    /// <summary>The slowest answer of each <paramref name="window"/> after <paramref name="start"/>, ms: stalls show as spikes.</summary>
    public double[] MaxPerWindowMs(long start, TimeSpan window)
    {
        var n = Math.Min(Volatile.Read(ref _count), _ticks.Length);
        var w = (long)(window.TotalSeconds * Stopwatch.Frequency);
        var last = 0L;
        for (var i = 0; i < n; i++)
        {
            last = Math.Max(last, (_at[i] - start) / w);
        }
        var max = new double[n == 0 ? 0 : last + 1];
        for (var i = 0; i < n; i++)
        {
            var k = Math.Max(0, (_at[i] - start) / w);
            max[k] = Math.Max(max[k], _ticks[i] * 1000.0 / Stopwatch.Frequency);
        }
        return max;
    }

    /// <summary>Sorted latencies in ms (of at most the capacity's first answers).</summary>
    public double[] SortedMs()
    {
        var n = Math.Min(Volatile.Read(ref _count), _ticks.Length);
        var ms = new double[n];
        for (var i = 0; i < n; i++)
        {
            ms[i] = _ticks[i] * 1000.0 / Stopwatch.Frequency;
        }
        Array.Sort(ms);
        return ms;
    }

    /// <summary>Nearest-rank percentile of sorted values; NaN when empty.</summary>
    public static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>What one phase sent and got back.</summary>
internal sealed class PhaseStats(string name, int capacity)
{
    private long _offered;
    private long _sent;
    private long _ok;
    private long _okEvents;
    private long _busy;
    private long _busyWithRetryAfter;
    private long _otherStatus;
    private long _errors;
    private long _shed;

    public string Name { get; } = name;
    public LatencyRecorder Ok { get; } = new(capacity);
    public LatencyRecorder Busy { get; } = new(capacity);

    public long Offered => Interlocked.Read(ref _offered);
    public long Sent => Interlocked.Read(ref _sent);
    public long OkCount => Interlocked.Read(ref _ok);
    public long OkEvents => Interlocked.Read(ref _okEvents);
    public long BusyCount => Interlocked.Read(ref _busy);
    public long BusyWithRetryAfter => Interlocked.Read(ref _busyWithRetryAfter);
    public long OtherStatus => Interlocked.Read(ref _otherStatus);
    public long Errors => Interlocked.Read(ref _errors);
    /// <summary>Offered beacons the client did not send: the in-flight bound was reached (open loop only).</summary>
    public long Shed => Interlocked.Read(ref _shed);
    public string? FirstProblem { get; private set; }

    /// <summary>When the phase began (Stopwatch timestamp).</summary>
    public long Start { get; set; }

    /// <summary>Seconds from the first send to the last answer.</summary>
    public double Seconds { get; set; }
    /// <summary>Offered beacons per second (open loop); 0 for the closed loop.</summary>
    public double OfferedBeaconsPerSecond { get; set; }
    public double ServerCpuMs { get; set; }
    public double ClientCpuMs { get; set; }
    public double ServerPeakRssMb { get; set; }
    public double ServerEndRssMb { get; set; }

    public double OkEventsPerSecond => Seconds > 0 ? OkEvents / Seconds : 0;

    public void AddOk(long events) => Interlocked.Add(ref _okEvents, events);

    public void Offer() => Interlocked.Increment(ref _offered);

    public void ShedOne() => Interlocked.Increment(ref _shed);

    public void Record(int status, bool retryAfter, int events, long ticks)
    {
        Interlocked.Increment(ref _sent);
        if (status is >= 200 and < 300)
        {
            Interlocked.Increment(ref _ok);
            Interlocked.Add(ref _okEvents, events);
            Ok.Add(ticks, Stopwatch.GetTimestamp());
        }
        else if (status == 503)
        {
            Interlocked.Increment(ref _busy);
            if (retryAfter)
            {
                Interlocked.Increment(ref _busyWithRetryAfter);
            }
            Busy.Add(ticks, Stopwatch.GetTimestamp());
        }
        else
        {
            Interlocked.Increment(ref _otherStatus);
            FirstProblem ??= "HTTP " + status;
        }
    }

    public void Error(Exception ex)
    {
        Interlocked.Increment(ref _sent);
        Interlocked.Increment(ref _errors);
        FirstProblem ??= ex.GetType().Name + ": " + ex.Message;
    }
}
