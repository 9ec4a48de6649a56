using System.Diagnostics;
using System.Net.Sockets;

namespace Waymark.Server.Tests.Infrastructure;

/// <summary>
/// A real Redis server (Debian's redis-server, which scripts/setup.sh installs
/// for the tests) as a plain process on 127.0.0.1, no persistence, its folder
/// temporary. Dispose stops it and deletes the folder.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/redis-server";

    private readonly Process _process;
    private readonly string _folder;

    private RedisServer(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: run scripts/setup.sh test (it installs Debian's redis-server).");
        }
        var folder = Directory.CreateTempSubdirectory("waymark-redis-").FullName;
        var port = ClickHouseServer.FreePort();
        var info = new ProcessStartInfo(Binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--bind", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dir", folder, "--save", "", "--appendonly", "no" })
        {
            info.ArgumentList.Add(a);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return new RedisServer(process, folder, port);
            }
            catch (SocketException) when (!process.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
