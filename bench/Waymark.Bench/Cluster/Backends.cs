using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Waymark.Bench.Cluster;

/// <summary>Debian's redis-server and clickhouse-server as plain processes on 127.0.0.1, data in a folder of the bench's.</summary>
internal sealed class Backend : IDisposable
{
    private readonly Process _process;

    private Backend(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int Pid => _process.Id;

    public static async Task<Backend> RedisAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        var port = FreePort();
        var p = Start("/usr/bin/redis-server", "--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--dir", folder, "--save", "", "--appendonly", "no");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, port);
                return new Backend(p, port);
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !p.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    public static async Task<Backend> ClickHouseAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        var http = FreePort();
        var tcp = FreePort();
        var config = Path.Combine(folder, "config.xml");
        await File.WriteAllTextAsync(config, $"""
            <?xml version="1.0"?>
            <yandex>
              <logger><level>warning</level><log>{folder}/server.log</log><errorlog>{folder}/error.log</errorlog><console>0</console></logger>
              <http_port>{http}</http_port><tcp_port>{tcp}</tcp_port><listen_host>127.0.0.1</listen_host>
              <path>{folder}/data/</path><tmp_path>{folder}/tmp/</tmp_path><users_config>{folder}/users.xml</users_config>
              <default_profile>default</default_profile><default_database>default</default_database>
              <mark_cache_size>268435456</mark_cache_size><max_concurrent_queries>200</max_concurrent_queries>
              <query_log><database>system</database><table>query_log</table><flush_interval_milliseconds>1000</flush_interval_milliseconds></query_log>
            </yandex>
            """);
        await File.WriteAllTextAsync(Path.Combine(folder, "users.xml"), """
            <?xml version="1.0"?>
            <yandex>
              <profiles><default><max_memory_usage>4000000000</max_memory_usage><log_queries>1</log_queries></default></profiles>
              <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
              <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
            </yandex>
            """);
        var p = Start("/usr/sbin/clickhouse-server", "--config-file=" + config);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await client.GetAsync(new Uri($"http://127.0.0.1:{http}/ping"))).IsSuccessStatusCode)
                {
                    return new Backend(p, http);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            if (p.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("clickhouse-server did not answer; see " + folder);
            }
            await Task.Delay(100);
        }
    }

    private static Process Start(string binary, params string[] args)
    {
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException($"{binary} is missing: run scripts/setup.sh test.");
        }
        var info = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        var p = Process.Start(info) ?? throw new InvalidOperationException(binary + " did not start");
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}

/// <summary>Sends each request to the next node in turn, as a round-robin load balancer would.</summary>
internal sealed class RoundRobinHandler(IReadOnlyList<Uri> nodes, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private int _next;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var node = nodes[(int)((uint)Interlocked.Increment(ref _next) % nodes.Count)];
        request.RequestUri = new Uri(node, request.RequestUri!.PathAndQuery);
        return base.SendAsync(request, cancellationToken);
    }
}
