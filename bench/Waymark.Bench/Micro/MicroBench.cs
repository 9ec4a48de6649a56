using System.Net;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.Extensions.Options;
using Waymark.Bench.Load;
using Waymark.Core.Enrichment;
using Waymark.Core.Events;
using Waymark.Core.Protocol;
using Waymark.Core.Journeys;
using Waymark.Core.Sessions;
using Waymark.Server.Collect;
using Waymark.Server.Store;
using Waymark.Server.Apps;
using Waymark.Server.Ingest;

namespace Waymark.Bench.Micro;

/// <summary>
/// BenchmarkDotNet of the per-beacon hot functions, in process and with a
/// short job so that a run takes a minute or two. Allocated bytes are the
/// steadier figure on a shared machine; times are noisy.
/// </summary>
internal static class MicroBench
{
    public static void Run(string[] args)
    {
        var config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .AddDiagnoser(MemoryDiagnoser.Default);
        BenchmarkSwitcher.FromAssembly(typeof(MicroBench).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args, config);
    }

    /// <summary>A realistic beacon of exactly 25 events, as JSON and as generated.</summary>
    internal static (GeneratedBeacon Beacon, byte[] Json) Beacon25()
    {
        var generator = new BeaconGenerator(10, seed: 7);
        var rng = new Random(7);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 0; i < 1000; i++)
        {
            var b = BeaconGenerator.Next(generator.Visitors[i % 10], rng, now);
            if (b.Events.Count == 25 && b.Events.Exists(e => e.Type == EventType.Error))
            {
                return (b, BeaconGenerator.ToJson(b, now));
            }
        }
        throw new InvalidOperationException("no 25-event beacon with an error in 1000 tries");
    }
}

/// <summary>BeaconParser.Parse against the JSON DOM parse it is built on.</summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    private readonly BeaconParser _parser = new(new BeaconLimits());
    private byte[] _json = [];

    [GlobalSetup]
    public void Setup() => _json = MicroBench.Beacon25().Json;

    [Benchmark(Baseline = true, Description = "JsonDocument.Parse (25 events)")]
    public int JsonDocumentOnly()
    {
        using var doc = JsonDocument.Parse(_json);
        return doc.RootElement.GetProperty("events").GetArrayLength();
    }

    [Benchmark(Description = "BeaconParser.Parse (25 events)")]
    public int BeaconParserParse() => _parser.Parse(_json).Events.Count;
}

/// <summary>User-Agent parsing, once per beacon.</summary>
[MemoryDiagnoser]
public class UserAgentBenchmarks
{
    private const string ChromeWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private const string SafariIphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
    private const string Samsung = "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36";
    private static readonly ClientHints s_hints = new("\"Chromium\";v=\"131\", \"Google Chrome\";v=\"131\", \"Not_A Brand\";v=\"24\"", "?0", "\"Windows\"", "\"15.0.0\"");

    [Benchmark(Baseline = true, Description = "UA Chrome/Windows")]
    public ClientInfo Chrome() => UserAgentParser.Parse(ChromeWindows);

    [Benchmark(Description = "UA Safari/iPhone")]
    public ClientInfo Safari() => UserAgentParser.Parse(SafariIphone);

    [Benchmark(Description = "UA Samsung Internet")]
    public ClientInfo SamsungInternet() => UserAgentParser.Parse(Samsung);

    [Benchmark(Description = "UA Chrome + client hints")]
    public ClientInfo ChromeWithHints() => UserAgentParser.Parse(ChromeWindows, s_hints);
}

/// <summary>What the visitor's grain does with a 25-event batch, and the enrichment before it.</summary>
[MemoryDiagnoser]
public class JourneyBenchmarks
{
    private readonly SessionRules _rules = new();
    private readonly ApdexThresholds _apdex = new();
    private readonly AppOptions _app = new() { Id = BeaconGenerator.App, IngestKey = BeaconGenerator.Key, FirstPartyHosts = [BeaconGenerator.Host], AllowedQueryParams = ["q", "page"] };
    private Enricher _enricher = null!;
    private BatchContext _context = null!;
    private EventRecord[] _events = [];
    private IncomingEvent[] _incoming = [];
    private VisitorJourney _seen = null!;

    [GlobalSetup]
    public void Setup()
    {
        var (beacon, json) = MicroBench.Beacon25();
        _incoming = [.. new BeaconParser(new BeaconLimits()).Parse(json).Events];
        _enricher = new Enricher(new GeoLocator(null), new AppRegistry(Options.Create(new List<AppOptions> { _app })), Options.Create(new IdentityOptions()));
        _context = _enricher.Context(
            new BeaconHeader { App = _app.Id, Channel = "web", Visitor = beacon.Visitor.Id, Session = beacon.Session },
            new RequestFacts(IPAddress.Parse("81.2.69.160"), beacon.Visitor.Device.UserAgent, null, default),
            DateTimeOffset.UtcNow);
        _events = [.. _incoming.Select(e => _enricher.Accept(_app, e, e.Timestamp, BeaconGenerator.Host, out _)!)];
        _seen = new VisitorJourney(_app.Id, beacon.Visitor.Id, _rules, _apdex);
        _seen.Apply(_context, _events);
    }

    [Benchmark(Baseline = true, Description = "VisitorJourney.Apply, new visitor (25 events)")]
    public int ApplyNew() => new VisitorJourney(_app.Id, "v", _rules, _apdex).Apply(_context, _events).Facts.Count;

    [Benchmark(Description = "VisitorJourney.Apply, retried batch (25 duplicates)")]
    public int ApplyRetry() => _seen.Apply(_context, _events).Duplicates;

    [Benchmark(Description = "Enricher.Accept x25 (mask, third party, the stored event)")]
    public int Accept()
    {
        var n = 0;
        foreach (var e in _incoming)
        {
            n += _enricher.Accept(_app, e, e.Timestamp, BeaconGenerator.Host, out _)?.Url?.Length ?? 0;
        }
        return n;
    }

}
