using System.Diagnostics;
using System.Globalization;
using Waymark.Core.Mining;

namespace Waymark.Bench.Mining;

/// <summary>
/// <c>mining [--runs N] [DATA_DIR]</c>: times the process-mining core on the
/// PM4Py reference logs and nets (tests/Waymark.Core.Tests/Data/process-mining):
/// reading the log, the directly-follows graph, and the full conformance check
/// (token replay, alignments, both precisions) of each log against each of its
/// nets. Prints the best of N runs per step, in milliseconds.
/// </summary>
internal static class MiningBench
{
    public const string Usage = "mining [--runs N] [DATA_DIR]: the process-mining core on the reference logs (best of N runs, default 5).";

    public static int Run(string[] args)
    {
        var runs = 5;
        string? dir = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--runs" && i + 1 < args.Length)
            {
                runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else
            {
                dir = args[i];
            }
        }
        dir ??= FindData();
        if (dir is null || !Directory.Exists(Path.Combine(dir, "logs")))
        {
            Console.Error.WriteLine("No reference data found; pass the folder that holds logs/ and nets/.");
            return 2;
        }
        Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}, best of {runs} runs, ms");
        Console.WriteLine($"{"log / net",-48} {"read",8} {"dfg",8} {"tbr",8} {"align",8} {"prec-tbr",9} {"prec-aln",9} {"all four",9}");
        double total = 0;
        foreach (var logPath in Directory.GetFiles(Path.Combine(dir, "logs")).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(logPath);
            var read = Best(runs, () => XesReader.Read(logPath), out var log);
            var dfg = Best(runs, () => DirectlyFollowsGraph.Discover(log), out _);
            Console.WriteLine($"{name,-48} {read,8:F1} {dfg,8:F1}");
            var stem = name.Replace(".xes.gz", "", StringComparison.Ordinal).Replace(".xes", "", StringComparison.Ordinal);
            foreach (var netPath in Directory.GetFiles(Path.Combine(dir, "nets"), stem + "__*.pnml").Order(StringComparer.Ordinal))
            {
                var net = PnmlReader.Read(netPath);
                var variants = TraceVariants.Compute(log);
                var tbr = Best(runs, () => TokenReplay.Apply(variants, net), out _);
                var align = Best(runs, () => Alignments.Apply(variants, net), out _);
                var precT = Best(runs, () => Precision.TokenBased(variants, net), out _);
                var precA = Best(runs, () => Precision.AlignmentBased(variants, net), out _);
                var all = Best(runs, () => Conformance.Check(log, net), out _);
                total += all;
                Console.WriteLine($"  {Path.GetFileName(netPath),-46} {"",8} {"",8} {tbr,8:F1} {align,8:F1} {precT,9:F1} {precA,9:F1} {all,9:F1}");
            }
        }
        Console.WriteLine($"all 20 conformance checks: {total:F0} ms");
        return 0;
    }

    private static double Best<T>(int runs, Func<T> work, out T result)
    {
        result = work(); // warm-up (JIT), not counted
        var best = double.MaxValue;
        for (var r = 0; r < runs; r++)
        {
            var start = Stopwatch.GetTimestamp();
            result = work();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return best;
    }

    private static string? FindData()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "tests", "Waymark.Core.Tests", "Data", "process-mining");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
