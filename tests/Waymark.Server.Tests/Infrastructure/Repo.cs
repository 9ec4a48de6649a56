namespace Waymark.Server.Tests.Infrastructure;

/// <summary>Finds the repository root and the test data in it.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>tests/data: every file a test reads is in the repository (a clone has nothing beside it).</summary>
    public static string TestData => Path.Combine(Root, "tests", "data");

    /// <summary>MaxMind's public test databases (tests/data/geoip, with their licence note).</summary>
    public static string GeoIpFolder => Path.Combine(TestData, "geoip");

    public static string GeoIpCityTestDb => Path.Combine(GeoIpFolder, "GeoIP2-City-Test.mmdb");

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
