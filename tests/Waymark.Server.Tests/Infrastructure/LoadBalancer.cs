using System.Diagnostics;
using System.Net;

namespace Waymark.Server.Tests.Infrastructure;

/// <summary>
/// Debian's HAProxy in front of the nodes, configured as docs/scaling.md
/// documents it (round robin, a health check on /health, long tunnels), as a
/// foreground process on 127.0.0.1. Dispose stops it.
/// </summary>
public sealed class LoadBalancer : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/haproxy";

    private readonly Process _process;
    private readonly string _folder;

    private LoadBalancer(Process process, string folder, Uri url)
    {
        _process = process;
        _folder = folder;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<LoadBalancer> StartAsync(IReadOnlyList<Uri> nodes)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: run scripts/setup.sh test (it installs Debian's haproxy).");
        }
        var folder = Directory.CreateTempSubdirectory("waymark-haproxy-").FullName;
        var port = ClickHouseServer.FreePort();
        var servers = string.Join('\n', nodes.Select((n, i) => $"  server node{i + 1} 127.0.0.1:{n.Port} check"));
        var config = Path.Combine(folder, "haproxy.cfg");
        await File.WriteAllTextAsync(config, $"""
            global
              maxconn 2000

            defaults
              mode http
              timeout connect 2s
              timeout client 60s
              timeout server 30s
              timeout tunnel 1h
              retries 2
              option redispatch

            frontend waymark
              bind 127.0.0.1:{port}
              default_backend nodes

            backend nodes
              balance roundrobin
              option httpchk GET /health
              http-check expect status 200
              default-server inter 500ms fall 2 rise 2
            {servers}

            """);
        var info = new ProcessStartInfo(Binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-db");
        info.ArgumentList.Add("-f");
        info.ArgumentList.Add(config);
        var process = Process.Start(info) ?? throw new InvalidOperationException("haproxy did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var url = new Uri($"http://127.0.0.1:{port}/");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                if ((await http.GetAsync(new Uri(url, "health"))).StatusCode == HttpStatusCode.OK)
                {
                    return new LoadBalancer(process, folder, url);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("haproxy did not answer on " + url);
            }
            await Task.Delay(100);
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
        Directory.Delete(_folder, recursive: true);
    }
}
