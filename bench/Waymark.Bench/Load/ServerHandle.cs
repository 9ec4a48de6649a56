using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Waymark.Server.Store.DuckDb;

namespace Waymark.Bench.Load;

/// <summary>
/// The real server as a child process (<c>dotnet Waymark.Server.dll</c> from
/// this folder, where the project reference copies it), settings as
/// --Key=Value arguments, as the tests' ServerProcess does.
/// </summary>
internal sealed partial class ServerHandle : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lastLines;

    private ServerHandle(Process process, Uri baseAddress, ConcurrentQueue<string> lastLines)
    {
        _process = process;
        BaseAddress = baseAddress;
        _lastLines = lastLines;
    }

    public Uri BaseAddress { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the server wrote (for a report when it fails).</summary>
    public IEnumerable<string> LastLines => _lastLines;

    public static Dictionary<string, string> Settings(string folder) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["urls"] = "http://127.0.0.1:0",
        ["contentRoot"] = folder,
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Orleans"] = "Error",
        ["Logging:LogLevel:Waymark.Server.Hosting.GcPauses"] = "Information",
        ["Waymark:Diagnostics:GcPauses"] = "true",
        ["Logging:LogLevel:Waymark.Server.Store.DuckDbStore"] = Environment.GetEnvironmentVariable("WAYMARK_BENCH_TRACE") == "1" ? "Debug" : "Information",
        ["Waymark:Store:Path"] = Path.Combine(folder, "waymark.duckdb"),
        ["Waymark:Demo:Enabled"] = "false",
        ["Waymark:Apps:0:Id"] = BeaconGenerator.App,
        ["Waymark:Apps:0:IngestKey"] = BeaconGenerator.Key,
        ["Waymark:Apps:0:AllowedOrigins:0"] = "https://" + BeaconGenerator.Host,
        ["Waymark:Apps:0:AllowedQueryParams:0"] = "q",
        ["Waymark:Apps:0:AllowedQueryParams:1"] = "page",
        ["Waymark:Apps:0:FirstPartyHosts:0"] = BeaconGenerator.Host,
    };

    public static async Task<ServerHandle> StartAsync(IReadOnlyDictionary<string, string> settings, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Waymark.Server.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("Waymark.Server.dll is not next to the bench; build the bench project (it references the server).", dll);
        }
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(dll);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[k] = v;
        }
        foreach (var (k, v) in settings)
        {
            info.ArgumentList.Add($"--{k}={v}");
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var lines = new ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var printedStats = 0;
        void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }
            lines.Enqueue(line);
            if (Environment.GetEnvironmentVariable("WAYMARK_BENCH_TRACE") == "1" && line.Contains("Checkpointed", StringComparison.Ordinal))
            {
                Console.WriteLine($"server {DateTime.UtcNow:HH:mm:ss.fff}: {line.Trim()}");
            }
            if (line.Contains("GC pauses at stop", StringComparison.Ordinal))
            {
                Console.WriteLine("server: " + line.Trim());
            }
            if (line.Contains("Store at stop", StringComparison.Ordinal) && Interlocked.Exchange(ref printedStats, 1) == 0)
            {
                // The store's own account of its writer, deriver and checkpointer.
                Console.WriteLine("server: " + line.Trim());
            }
            while (lines.Count > 40 && lines.TryDequeue(out _))
            {
            }
            if (Listening().Match(line) is { Success: true } m)
            {
                listening.TrySetResult(new Uri(m.Groups[1].Value));
            }
        }
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = await Task.WhenAny(listening.Task, process.WaitForExitAsync(), Task.Delay(timeout)).ConfigureAwait(false);
        if (started != listening.Task)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            throw new InvalidOperationException("The server did not start listening:\n" + string.Join('\n', lines));
        }
        return new ServerHandle(process, await listening.Task.ConfigureAwait(false), lines);
    }

    /// <summary>SIGTERM, then waits for the graceful stop (final commit and checkpoint). Returns the exit code and the time it took.</summary>
    public async Task<(int ExitCode, TimeSpan Took)> StopAsync(TimeSpan timeout)
    {
        var t0 = Stopwatch.GetTimestamp();
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync().ConfigureAwait(false);
        }
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
            return (-1, Stopwatch.GetElapsedTime(t0));
        }
        return (_process.ExitCode, Stopwatch.GetElapsedTime(t0));
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"Waymark is listening on (\S+)")]
    private static partial Regex Listening();
}
