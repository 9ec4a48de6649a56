using System.Text.RegularExpressions;
using Waymark.Server.Tests.Infrastructure;

namespace Waymark.Server.Tests;

/// <summary>
/// The shape of the server: the store contracts are the only way into the
/// database (no DuckDB type, connection or SQL outside its folder), and the
/// feature folders do not import each other in circles.
/// </summary>
public sealed partial class LayoutTests
{
    private static readonly string s_server = Path.Combine(Repo.Root, "src", "Waymark.Server");

    [Fact]
    public void DuckDb_UsedOnlyInItsFolder()
    {
        var outside = SourceFiles()
            .Where(f => !f.Relative.StartsWith("Store/DuckDb/", StringComparison.Ordinal))
            .Where(f => DuckDbUse().IsMatch(f.Text))
            .Select(f => f.Relative)
            .ToList();
        Assert.Empty(outside);
    }

    [Fact]
    public void Sql_WrittenOnlyInTheStoreImplementations()
    {
        var outside = SourceFiles()
            .Where(f => !f.Relative.StartsWith("Store/DuckDb/", StringComparison.Ordinal) && !f.Relative.StartsWith("Store/ClickHouse/", StringComparison.Ordinal))
            .Where(f => Sql().IsMatch(f.Text))
            .Select(f => f.Relative)
            .ToList();
        Assert.Empty(outside);
    }

    [Fact]
    public void Folders_ImportEachOtherWithoutCircles()
    {
        // Folder → the folders of Waymark.Server it uses (a using or a qualified name).
        var edges = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var f in SourceFiles())
        {
            var from = f.Relative.Split('/')[0];
            if (from.EndsWith(".cs", StringComparison.Ordinal))
            {
                continue;
            }
            var uses = edges.TryGetValue(from, out var set) ? set : edges[from] = [];
            foreach (Match m in ServerNamespace().Matches(f.Text))
            {
                if (m.Groups[1].Value != from)
                {
                    uses.Add(m.Groups[1].Value);
                }
            }
        }
        var cycles = new List<string>();
        foreach (var start in edges.Keys)
        {
            // Depth-first from each folder: reaching it again is a circle.
            var path = new Stack<string>();
            void Walk(string node)
            {
                foreach (var next in edges.GetValueOrDefault(node) ?? [])
                {
                    if (next == start)
                    {
                        cycles.Add(string.Join(" → ", path.Reverse().Prepend(start).Append(next)));
                    }
                    else if (!path.Contains(next) && string.CompareOrdinal(next, start) > 0)
                    {
                        path.Push(next);
                        Walk(next);
                        path.Pop();
                    }
                }
            }
            Walk(start);
        }
        Assert.Empty(cycles);
    }

    private static IEnumerable<(string Relative, string Text)> SourceFiles() =>
        Directory.EnumerateFiles(s_server, "*.*", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".cs", StringComparison.Ordinal) || p.EndsWith(".razor", StringComparison.Ordinal))
            .Select(p => (Relative: Path.GetRelativePath(s_server, p).Replace('\\', '/'), Path: p))
            .Where(f => !f.Relative.StartsWith("bin/", StringComparison.Ordinal) && !f.Relative.StartsWith("obj/", StringComparison.Ordinal))
            .Select(f => (f.Relative, File.ReadAllText(f.Path)));

    // DuckDB.NET's types (DuckDBConnection, DuckDBCommand, …) and the implementation's own; the
    // composition root may call its AddDuckDbStore(), which names no type.
    [GeneratedRegex(@"\bDuckDB\.NET\b|\bDuckDB[A-Z]\w*|\bDuckDb(Store|Schema|Rows|Lifetime)\b")]
    private static partial Regex DuckDbUse();

    [GeneratedRegex(@"""[^""\n]*\b(SELECT\s+[\w*]|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+TABLE)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Sql();

    [GeneratedRegex(@"\bWaymark\.Server\.(\w+)")]
    private static partial Regex ServerNamespace();
}
