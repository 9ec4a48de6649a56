using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Waymark.Bench.Load;

/// <summary>What the figures were measured on.</summary>
internal static class MachineFacts
{
    public static IEnumerable<string> Lines(string folder)
    {
        yield return $"cores={Environment.ProcessorCount} cpu=\"{CpuModel()}\" memory={MemTotalGb():0.0}GiB kernel={Read("/proc/sys/kernel/osrelease")}";
        yield return $"dotnet={RuntimeInformation.FrameworkDescription} os=\"{RuntimeInformation.OSDescription}\" gc={(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}(bench)";
        yield return $"duckdb={DuckDbBaselines.DuckDbVersion()} duckdb.net={typeof(DuckDB.NET.Data.DuckDBConnection).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "?"}";
        yield return $"disk=\"{FileSystem(folder)}\" loadavg=\"{Read("/proc/loadavg")}\"";
    }

    public static string LoadAverage() => Read("/proc/loadavg");

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static double MemTotalGb()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            var kb = double.Parse(line.AsSpan(9).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            return kb / 1024 / 1024;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    /// <summary>The device and file system type of the mount that holds <paramref name="path"/>.</summary>
    private static string FileSystem(string path)
    {
        try
        {
            var full = Path.GetFullPath(path);
            var best = ("?", "?", "");
            foreach (var line in File.ReadLines("/proc/mounts"))
            {
                var f = line.Split(' ');
                if (f.Length > 2 && full.StartsWith(f[1], StringComparison.Ordinal) && f[1].Length >= best.Item3.Length)
                {
                    best = (f[0], f[2], f[1]);
                }
            }
            return $"{best.Item1} {best.Item2} on {best.Item3}";
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
