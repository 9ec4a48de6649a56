using Waymark.Bench.Analytics;
using Waymark.Bench.Cluster;
using Waymark.Bench.ConsolePages;
using Waymark.Bench.Load;
using Waymark.Bench.Micro;
using Waymark.Bench.Mining;
using Waymark.Bench.Visitors;

namespace Waymark.Bench;

/// <summary>
/// <c>load</c>: the whole server under HTTP load, with the raw DuckDB appender
/// as the same-run baseline. <c>micro</c>: BenchmarkDotNet of hot functions.
/// <c>mining</c>: the process-mining core on the reference logs.
/// <c>visitors</c>: memory per live journey, and a flood of new visitors under a memory limit.
/// <c>analytics</c>: the experience endpoints on a large store beside hand-written SQL.
/// <c>cluster</c>: 1, 2 and 3 nodes on ClickHouse and Redis beside one DuckDB node.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var command = args.Length > 0 ? args[0] : "";
        switch (command)
        {
            case "load" when args.Skip(1).Any(a => a is "--help" or "-h"):
                Console.WriteLine(LoadOptions.Usage);
                return 0;
            case "load":
                LoadOptions options;
                try
                {
                    options = LoadOptions.Parse(args[1..]);
                }
                catch (ArgumentException ex)
                {
                    await Console.Error.WriteLineAsync(ex.Message);
                    await Console.Error.WriteLineAsync(LoadOptions.Usage);
                    return 2;
                }
                return await LoadBench.RunAsync(options);
            case "analytics":
                return await AnalyticsBench.RunAsync(args[1..]);
            case "cluster":
                return await ClusterBench.RunAsync(args[1..]);
            case "console":
                return await ConsoleBench.RunAsync(args[1..]);
            case "db":
                return DbExperiments.Run(args[1..]);
            case "micro":
                MicroBench.Run(args[1..]);
                return 0;
            case "mining":
                return MiningBench.Run(args[1..]);
            case "visitors":
                return await VisitorsBench.RunAsync(args[1..]);
            default:
                Console.WriteLine("Waymark.Bench load [options] | analytics [options] | console [options] | db [rows] | micro [BenchmarkDotNet options] | mining [options] | visitors [options]");
                Console.WriteLine(VisitorsBench.Usage);
                Console.WriteLine(AnalyticsBench.Usage);
                Console.WriteLine(ClusterBench.Usage);
                Console.WriteLine(ConsoleBench.Usage);
                Console.WriteLine(MiningBench.Usage);
                Console.WriteLine(LoadOptions.Usage);
                Console.WriteLine("db [ROWS [pk|nopk COMMIT WAL_AUTOCHECKPOINT]]: the database alone, one factor at a time.");
                return command is "" or "help" or "--help" or "-h" ? 0 : 2;
        }
    }
}
