namespace Waymark.Server.Tests.Infrastructure;

/// <summary>Finds the repository root and the shared data beside it.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>../shared from the repository root (as in CI's fresh clone).</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string GeoIpCityTestDb => Path.Combine(Shared, "data", "geoip", "GeoIP2-City-Test.mmdb");

    private static string FindRoot([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "")
    {
        // The test binaries may live outside the repository (--artifacts-path),
        // so the source file's own path is tried too.
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "", Directory.GetCurrentDirectory() })
        {
            var dir = start.Length == 0 ? null : new DirectoryInfo(start);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Waymark.slnx")))
            {
                dir = dir.Parent;
            }
            if (dir is not null)
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Cannot find the repository root (Waymark.slnx) above " + AppContext.BaseDirectory);
    }
}
