using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Waymark.Bench.Load;
using Waymark.Core.Protocol;
using Waymark.Server.Hosting;
using Waymark.Server.Ingest;
using Waymark.Server.Telemetry;

namespace Waymark.Bench.Visitors;

/// <summary>
/// <c>visitors</c>: live state per visitor, and a flood of new visitors under a
/// memory limit. First the managed memory one live journey costs, in this
/// process (the server hosted here, one-beacon visitors through the ingest
/// pipeline, the heap measured before and after). Then the real server as a
/// child process with the GC heap limited, flooded by one-beacon visitors
/// over HTTP: it must keep answering, stay within its limit (the journeys it
/// cannot keep are shed and replayed when they return) and store every event
/// it accepted.
/// </summary>
internal static partial class VisitorsBench
{
    public const string Usage = """
        visitors options (defaults in brackets):
          --measure N        one-beacon visitors for the memory per live journey, in this process [20000]
          --count N          one-beacon visitors of the flood [200000]
          --heap-limit-mb N  the flooded server's GC heap limit (DOTNET_GCHeapHardLimit) [256]
          --duckdb-limit S   the flooded server's DuckDB memory limit [256MB]
          --clients N        concurrent HTTP clients of the flood [64]
          --minutes N        time bound of the flood [15]
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var o = Options.Parse(args);
        var folder = Directory.CreateTempSubdirectory("waymark-visitors-").FullName;
        Console.WriteLine("MACHINE " + string.Join("\nMACHINE ", MachineFacts.Lines(folder)));
        try
        {
            var perVisitor = await MeasureAsync(o.Measure, Path.Combine(folder, "measure"));
            var flood = await FloodAsync(o, Path.Combine(folder, "flood"));
            Console.WriteLine(FormattableString.Invariant($"RESULT visitors.memory bytes_per_live_journey={perVisitor:0} visitors={o.Measure}"));
            Console.WriteLine(flood);
            return flood.Contains("FAILED", StringComparison.Ordinal) ? 1 : 0;
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>The managed bytes one live journey (a one-beacon visitor) holds, all of it: grain, journey, session, remembered ids.</summary>
    private static async Task<double> MeasureAsync(int visitors, string folder)
    {
        Directory.CreateDirectory(folder);
        var settings = ServerHandle.Settings(folder);
        settings["Waymark:Diagnostics:GcPauses"] = "false";
        settings["Waymark:Journeys:IdleMinutes"] = "60";
        settings["Logging:LogLevel:Default"] = "Error";
        await using var app = WaymarkApp.Create([.. settings.Select(kv => $"--{kv.Key}={kv.Value}")]);
        await app.StartAsync();
        var ingest = app.Services.GetRequiredService<IngestService>();
        var metrics = app.Services.GetRequiredService<WaymarkMetrics>();
        var generator = new BeaconGenerator(0, seed: 11);
        var rng = new Random(11);

        async Task SendAsync(int from, int count)
        {
            await Parallel.ForEachAsync(Enumerable.Range(from, count), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
            {
                var visitor = NewVisitor(i, rng);
                var request = Request(visitor, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), ingest.Parser);
                var outcome = await ingest.IngestAsync(request, ct);
                while (outcome.Status == IngestStatus.Busy)
                {
                    await Task.Delay(outcome.RetryAfter, ct);
                    outcome = await ingest.IngestAsync(request, ct);
                }
            });
        }

        await SendAsync(0, 2000);
        var active0 = metrics.ActiveJourneys;
        var before = Heap();
        await SendAsync(2000, visitors);
        var after = Heap();
        var active = metrics.ActiveJourneys - active0;
        var per = (after - before) / (double)Math.Max(1, active);
        Console.WriteLine(FormattableString.Invariant($"measure: {visitors} one-beacon visitors, {active} journeys live, managed heap {before / 1048576.0:0.0} → {after / 1048576.0:0.0} MiB: {per:0} B per live journey"));
        await app.StopAsync();
        return per;
    }

    private static long Heap()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static Visitor NewVisitor(int i, Random rng) => new()
    {
        Id = "flood-" + i.ToString("x8", CultureInfo.InvariantCulture),
        Device = new DeviceProfile("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "en-GB"),
        Ip = "81.2." + (i % 250).ToString(CultureInfo.InvariantCulture) + ".7",
    };

    private static IngestRequest Request(Visitor v, long now, BeaconParser parser)
    {
        GeneratedBeacon beacon;
        lock (v)
        {
            beacon = BeaconGenerator.Next(v, new Random(v.Id.GetHashCode(StringComparison.Ordinal)), now);
        }
        var parsed = parser.Parse(BeaconGenerator.ToJson(beacon, now));
        var request = new IngestRequest
        {
            Transport = Transport.Beacon,
            Key = BeaconGenerator.Key,
            Facts = new RequestFacts(IPAddress.Parse(v.Ip), v.Device.UserAgent, null, default),
        };
        request.Batches.Add(new IncomingBatch { Header = parsed.Header, Events = parsed.Events, Rejected = parsed.Rejected });
        return request;
    }
}
