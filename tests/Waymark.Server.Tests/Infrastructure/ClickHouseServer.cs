using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Waymark.Server.Tests.Infrastructure;

/// <summary>
/// A real ClickHouse server (Debian's clickhouse-server, which scripts/setup.sh
/// installs for the tests) as a plain process on 127.0.0.1 with its data in a
/// temporary folder, for the tests of one collection. Each test uses a
/// database of its own. Dispose stops the process and deletes the folder.
/// </summary>
public sealed class ClickHouseServer : IAsyncLifetime
{
    public const string Binary = "/usr/sbin/clickhouse-server";

    private Process? _process;
    private string _folder = "";

    public Uri Url { get; private set; } = null!;

    public int HttpPort { get; private set; }

    public int TcpPort { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: run scripts/setup.sh test (it installs Debian's clickhouse-server).");
        }
        _folder = Directory.CreateTempSubdirectory("waymark-clickhouse-").FullName;
        HttpPort = PresetHttpPort ?? FreePort();
        TcpPort = PresetTcpPort ?? FreePort();
        await File.WriteAllTextAsync(Path.Combine(_folder, "config.xml"), Config(_folder, HttpPort, TcpPort, ExtraConfig));
        await File.WriteAllTextAsync(Path.Combine(_folder, "users.xml"), Users);
        var info = new ProcessStartInfo(Binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("--config-file=" + Path.Combine(_folder, "config.xml"));
        _process = Process.Start(info) ?? throw new InvalidOperationException("clickhouse-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Url = new Uri($"http://127.0.0.1:{HttpPort}/");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await http.GetAsync(new Uri(Url, "ping"))).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                var log = Path.Combine(_folder, "log", "error.log");
                throw new InvalidOperationException("clickhouse-server did not answer: " + (File.Exists(log) ? await File.ReadAllTextAsync(log) : "no log"));
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Ports chosen before the start (a cluster's servers name each other's).</summary>
    public int? PresetHttpPort { get; init; }

    public int? PresetTcpPort { get; init; }

    /// <summary>More configuration inside &lt;yandex&gt; (a cluster's remote_servers).</summary>
    public string ExtraConfig { get; init; } = "";

    /// <summary>A database name no other test uses.</summary>
    public static string NewDatabase() => "wm_" + Guid.NewGuid().ToString("N")[..12];

    private static string Config(string folder, int http, int tcp, string extra) => $"""
        <?xml version="1.0"?>
        <yandex>
            <logger><level>warning</level><log>{folder}/log/server.log</log><errorlog>{folder}/log/error.log</errorlog><console>0</console></logger>
            <http_port>{http}</http_port>
            <tcp_port>{tcp}</tcp_port>
            <listen_host>127.0.0.1</listen_host>
            <path>{folder}/data/</path>
            <tmp_path>{folder}/tmp/</tmp_path>
            <users_config>{folder}/users.xml</users_config>
            <default_profile>default</default_profile>
            <default_database>default</default_database>
            <mark_cache_size>67108864</mark_cache_size>
            <max_concurrent_queries>200</max_concurrent_queries>
            {extra}
        </yandex>
        """;

    private const string Users = """
        <?xml version="1.0"?>
        <yandex>
            <profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
            <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
            <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
        </yandex>
        """;

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
