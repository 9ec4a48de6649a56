using System.Diagnostics;
using System.Threading.Channels;

namespace Waymark.Client.Tests;

/// <summary>Waymark.Client.TestApp as a child process (`dotnet Waymark.Client.TestApp.dll`), for tests that kill it.</summary>
public sealed class ClientProcess : IDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    private ClientProcess(Process process) => _process = process;

    public int ExitCode => _process.ExitCode;

    public static ClientProcess Start(params string[] args)
    {
        var app = Path.Combine(AppContext.BaseDirectory, "Waymark.Client.TestApp.dll");
        Assert.True(File.Exists(app), $"{app} is missing: the test project references Waymark.Client.TestApp to copy it here");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(app);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var client = new ClientProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                client._lines.Writer.TryComplete();
            }
            else
            {
                client._lines.Writer.TryWrite(e.Data);
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return client;
    }

    /// <summary>The rest of the first output line that starts with <paramref name="prefix"/>.</summary>
    public async Task<string> WaitForLineAsync(string prefix, int seconds = 60)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            await foreach (var line in _lines.Reader.ReadAllAsync(timeout.Token))
            {
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return line[prefix.Length..].Trim();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        Assert.Fail($"the test app did not print '{prefix}' within {seconds} s");
        return "";
    }

    /// <summary>SIGKILL: no shutdown, no flush, nothing of the SDK runs.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(int seconds = 90)
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(seconds));
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
