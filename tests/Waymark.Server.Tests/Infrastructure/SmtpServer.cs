using System.Diagnostics;

namespace Waymark.Server.Tests.Infrastructure;

/// <summary>
/// A real SMTP server process (Debian's python3-aiosmtpd, which scripts/setup.sh
/// installs for the tests) on 127.0.0.1 that saves every message it receives
/// to a file (the envelope's recipients on the first line). Dispose stops it.
/// </summary>
public sealed class SmtpServer : IDisposable
{
    private const string Script = """
        import os, sys, time, signal
        from aiosmtpd.controller import Controller

        class Save:
            async def handle_DATA(self, server, session, envelope):
                name = os.path.join(sys.argv[2], "%d.eml" % time.time_ns())
                with open(name + ".tmp", "wb") as f:
                    f.write(("RCPT: " + ",".join(envelope.rcpt_tos) + "\n").encode())
                    f.write(envelope.original_content or envelope.content)
                os.rename(name + ".tmp", name)
                return "250 Message accepted"

        c = Controller(Save(), hostname="127.0.0.1", port=int(sys.argv[1]))
        c.start()
        print("ready", flush=True)
        signal.sigwait([signal.SIGTERM, signal.SIGINT])
        c.stop()
        """;

    private readonly Process _process;

    public int Port { get; }

    public string Folder { get; }

    private SmtpServer(Process process, int port, string folder)
    {
        _process = process;
        Port = port;
        Folder = folder;
    }

    public static async Task<SmtpServer> StartAsync()
    {
        if (!File.Exists("/usr/bin/python3"))
        {
            throw new InvalidOperationException("/usr/bin/python3 is missing: run scripts/setup.sh test (it installs python3-aiosmtpd).");
        }
        var folder = Directory.CreateTempSubdirectory("waymark-smtp-").FullName;
        var script = Path.Combine(folder, "smtp.py");
        await File.WriteAllTextAsync(script, Script);
        var mail = Directory.CreateDirectory(Path.Combine(folder, "mail")).FullName;
        var port = ClickHouseServer.FreePort();
        var info = new ProcessStartInfo("/usr/bin/python3") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add(mail);
        var process = Process.Start(info) ?? throw new InvalidOperationException("python3 did not start");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == "ready")
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) => errors.AppendLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(30))) != ready.Task)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("The SMTP server did not start: " + errors);
        }
        return new SmtpServer(process, port, mail);
    }

    /// <summary>The messages received so far, oldest first.</summary>
    public IReadOnlyList<string> Messages() =>
        [.. Directory.GetFiles(Folder, "*.eml").Order(StringComparer.Ordinal).Select(File.ReadAllText)];

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(Path.GetDirectoryName(Folder)!, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
