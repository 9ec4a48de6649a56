using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Waymark.Bench.Load;

/// <summary>CPU time and memory of a process, from Linux's /proc.</summary>
internal static class ProcStats
{
    private static readonly Lazy<int> s_ticksPerSecond = new(ReadClockTicks);

    /// <summary>User plus system CPU time, ms (fields utime and stime of /proc/pid/stat).</summary>
    public static double CpuMs(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name may hold spaces: the fields follow its closing parenthesis.
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture);
            return ticks * 1000.0 / s_ticksPerSecond.Value;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    /// <summary>Resident set size now and its peak (VmRSS, VmHWM), MiB.</summary>
    public static (double Rss, double Peak) MemoryMb(int pid)
    {
        double rss = double.NaN, peak = double.NaN;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Kb(line) / 1024.0;
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peak = Kb(line) / 1024.0;
                }
            }
        }
        catch (IOException)
        {
            // The process is gone.
        }
        return (rss, peak);
    }

    /// <summary>Resets the peak RSS (VmHWM) to the current RSS, so that each phase has its own peak.</summary>
    public static bool ResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static double Kb(string line) =>
        double.Parse(line.AsSpan(line.IndexOf(':', StringComparison.Ordinal) + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);

    private static int ReadClockTicks()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            return 100;
        }
        try
        {
            using var p = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true, UseShellExecute = false });
            if (p is null)
            {
                return 100;
            }
            var text = p.StandardOutput.ReadToEnd();
            p.WaitForExit(5000);
            return int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 100;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 100;
        }
    }
}

/// <summary>Samples a process's RSS while a phase runs; the peak of the samples backs VmHWM up.</summary>
internal sealed class RssSampler : IAsyncDisposable
{
    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private double _max;

    public RssSampler(int pid)
    {
        _pid = pid;
        ProcStats.ResetPeak(pid);
        _loop = Task.Run(LoopAsync);
    }

    public double MaxMb => Volatile.Read(ref _max);

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            do
            {
                var (rss, _) = ProcStats.MemoryMb(_pid);
                if (rss > _max)
                {
                    Volatile.Write(ref _max, rss);
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
