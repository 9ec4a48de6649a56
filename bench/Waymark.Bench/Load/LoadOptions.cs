using System.Globalization;

namespace Waymark.Bench.Load;

/// <summary>Options of <c>load</c>. Every phase is bounded in time, clients and requests in flight.</summary>
internal sealed class LoadOptions
{
    public const string Usage = """
        load options (defaults in brackets):
          --seconds N            phase A (closed loop, max throughput), measured seconds [12]
          --warmup N             closed-loop warm-up before phase A, not measured [10]
          --clients N            concurrent HTTP clients of phase A [64]
          --rate max|N           phase B offered load: half of phase A's rate, or N events/s [max]
          --half-seconds N       phase B (open loop) seconds [12]
          --inflight N           phase B bound on requests in flight [512]
          --overload-factor N    phase C offered load, times phase A's rate [10]
          --overload-seconds N   phase C seconds [8]
          --overload-inflight N  phase C bound on requests in flight [1024]
          --visitors N           visitor pool (grains are reused) [20000]
          --baseline-rows N      rows made for the DuckDB baselines [200000]
          --baseline-seconds N   time bound of each baseline [4]
          --commit N             events per commit of the fixed-size baselines [clients*25/2]
          --set Key=Value        extra server setting, e.g. --set Waymark:Collect:MaxConcurrentRequests=512
          --skip-server          baselines only
          --keep                 keep the temp folder
        """;

    public int Seconds { get; private set; } = 12;
    // Long enough for the JIT to have tiered up the hot paths at this load (docs/benchmarks.md).
    public int Warmup { get; private set; } = 10;
    public int Clients { get; private set; } = 64;
    /// <summary>Phase B events/s; null for half of phase A's rate.</summary>
    public double? Rate { get; private set; }
    public int HalfSeconds { get; private set; } = 12;
    public int Inflight { get; private set; } = 512;
    public double OverloadFactor { get; private set; } = 10;
    public int OverloadSeconds { get; private set; } = 8;
    public int OverloadInflight { get; private set; } = 1024;
    public int Visitors { get; private set; } = 20_000;
    public int BaselineRows { get; private set; } = 200_000;
    public int BaselineSeconds { get; private set; } = 4;
    public int? Commit { get; private set; }
    public Dictionary<string, string> ServerSettings { get; } = new(StringComparer.OrdinalIgnoreCase);
    public bool SkipServer { get; private set; }
    public bool Keep { get; private set; }

    public int CommitSize => Commit ?? Math.Max(100, Clients * BeaconGenerator.MeanEvents / 2);

    public static LoadOptions Parse(string[] args)
    {
        var o = new LoadOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value");
            int Int(int min, int max)
            {
                var v = Value();
                return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                    ? n
                    : throw new ArgumentException($"{name} must be a whole number in {min}..{max}, not '{v}'");
            }
            switch (name)
            {
                case "--seconds": o.Seconds = Int(1, 600); break;
                case "--warmup": o.Warmup = Int(0, 120); break;
                case "--clients": o.Clients = Int(1, 4096); break;
                case "--rate":
                    var r = Value();
                    o.Rate = r == "max" ? null
                        : double.TryParse(r, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 && d < 1e8 ? d
                        : throw new ArgumentException($"--rate is 'max' or events per second, not '{r}'");
                    break;
                case "--half-seconds": o.HalfSeconds = Int(1, 600); break;
                case "--inflight": o.Inflight = Int(1, 8192); break;
                case "--overload-factor": o.OverloadFactor = Int(1, 100); break;
                case "--overload-seconds": o.OverloadSeconds = Int(0, 600); break;
                case "--overload-inflight": o.OverloadInflight = Int(1, 8192); break;
                case "--visitors": o.Visitors = Int(100, 10_000_000); break;
                case "--baseline-rows": o.BaselineRows = Int(1000, 50_000_000); break;
                case "--baseline-seconds": o.BaselineSeconds = Int(1, 600); break;
                case "--commit": o.Commit = Int(1, 1_000_000); break;
                case "--set":
                    var kv = Value();
                    var eq = kv.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        throw new ArgumentException($"--set takes Key=Value, not '{kv}'");
                    }
                    o.ServerSettings[kv[..eq]] = kv[(eq + 1)..];
                    break;
                case "--skip-server": o.SkipServer = true; break;
                case "--keep": o.Keep = true; break;
                default: throw new ArgumentException($"unknown option '{name}'");
            }
        }
        return o;
    }
}
