using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using Waymark.Bench.ConsolePages;
using Waymark.Bench.Load;
using Waymark.Server.Store.DuckDb;

namespace Waymark.Bench.Analytics;

/// <summary>
/// The experience analytics on a large store: fills a DuckDB file with
/// <see cref="BenchStore"/> (or reuses one), asks the same questions by hand in
/// SQL against the events and sessions tables (the baseline, in this run),
/// then starts the real server on the file and times each /v1/experience
/// endpoint with its cache off.
/// </summary>
internal static class AnalyticsBench
{
    public const string Usage = """
        analytics [--sessions N] [--store PATH] [--runs N]
          --sessions N     sessions in the store [500000, about 10M events]
          --store PATH     reuse a store filled earlier (kept; else a temporary one is made and removed)
          --runs N         timings per question; the median is reported [3]
        """;

    private const string Token = "bench-analytics-token-0123456789";

    // The same questions as the endpoints, by hand: what an analyst would write against the tables.
    private static readonly (string Name, string Sql)[] s_sql =
    [
        ("satisfaction", """
            SELECT date_trunc('day', start_ts) d, count(*), count(*) FILTER (WHERE experience = 'satisfied'), count(*) FILTER (WHERE experience = 'frustrated'),
                   count(*) FILTER (WHERE converted) FROM sessions WHERE app = 'bench' GROUP BY d ORDER BY d
            """),
        ("pages", """
            SELECT name, count(*), quantile_cont(duration, 0.5), quantile_cont(duration, 0.75), quantile_cont(duration, 0.95)
            FROM events WHERE app = 'bench' AND type = 1 GROUP BY name ORDER BY count(*) DESC
            """),
        ("speed", """
            WITH first AS (SELECT session, arg_min(duration, ts) AS first_load FROM events WHERE app = 'bench' AND type = 1 GROUP BY session)
            SELECT least(floor(first_load / 1000), 10) b, count(*), count(*) FILTER (WHERE s.converted)
            FROM first JOIN sessions s ON s.session_id = first.session AND s.app = 'bench' GROUP BY b ORDER BY b
            """),
        ("errors", """
            WITH e AS (SELECT DISTINCT session, coalesce(fingerprint, message) fp FROM events WHERE app = 'bench' AND type = 3),
                 s AS (SELECT session_id, converted, channel || device_class || coalesce(browser, '') stratum FROM sessions WHERE app = 'bench'),
                 w AS (SELECT fp, stratum, count(*) n, count(*) FILTER (WHERE converted) c FROM e JOIN s ON s.session_id = e.session GROUP BY fp, stratum),
                 a AS (SELECT stratum, count(*) n, count(*) FILTER (WHERE converted) c FROM s GROUP BY stratum)
            SELECT fp, sum(w.n) sessions, sum(w.n * ((a.c - w.c) / greatest(a.n - w.n, 1)::DOUBLE) - w.c) lost
            FROM w JOIN a USING (stratum) GROUP BY fp ORDER BY lost DESC
            """),
        ("third-parties", """
            SELECT regexp_extract(url, '^https?://([^/:?#]+)', 1) host, count(*), count(*) FILTER (WHERE failed OR status = 0 OR status >= 500),
                   quantile_cont(duration, 0.5), quantile_cont(duration, 0.95), quantile_cont(duration, 0.99), count(DISTINCT session)
            FROM events WHERE app = 'bench' AND type = 4 AND third_party GROUP BY host ORDER BY count(*) DESC
            """),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var sessions = 500_000;
        string? store = null;
        var runs = 3;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--sessions": sessions = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--store": store = args[++i]; break;
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default:
                    await Console.Error.WriteLineAsync("unknown option " + args[i] + "\n" + Usage);
                    return 2;
            }
        }
        var folder = Directory.CreateTempSubdirectory("waymark-analytics-bench-").FullName;
        static void R(FormattableString line) => Console.WriteLine("RESULT " + line.ToString(CultureInfo.InvariantCulture));
        try
        {
            foreach (var line in MachineFacts.Lines(folder))
            {
                R($"machine {line}");
            }
            var path = store ?? Path.Combine(folder, "waymark.duckdb");
            if (store is null || !File.Exists(store))
            {
                Console.WriteLine($"filling {path} with {sessions:N0} sessions ...");
                var s = BenchStore.Fill(path, sessions, DateTimeOffset.UtcNow, seed: 11);
                R($"store sessions={s.SessionRows} events={s.EventRows} fill_seconds={s.Seconds:0.0}");
            }
            var baseline = new Dictionary<string, double>(StringComparer.Ordinal);
            using (var c = new DuckDBConnection("Data Source=" + path))
            {
                c.Open();
                DuckDbSchema.AttachSegments(c, path);
                foreach (var (name, sql) in s_sql)
                {
                    var times = Enumerable.Range(0, runs).Select(_ => Time(() =>
                    {
                        using var cmd = c.CreateCommand();
                        cmd.CommandText = sql;
                        using var r = cmd.ExecuteReader();
                        while (r.Read())
                        {
                        }
                    })).Order().ToList();
                    baseline[name] = times[times.Count / 2];
                    R($"sql {name} median_ms={baseline[name]:0}");
                }
            }

            var settings = ServerHandle.Settings(folder);
            settings["Waymark:Store:Path"] = path;
            settings["Waymark:Apps:0:Id"] = BenchStore.App;
            settings["Waymark:Apps:0:IngestKey"] = "bench-key";
            settings["Waymark:Apps:0:FirstPartyHosts:0"] = "www.bench.example";
            settings["Waymark:Auth:Tokens:0:Name"] = "bench";
            settings["Waymark:Auth:Tokens:0:Token"] = Token;
            settings["Waymark:Auth:Tokens:0:Role"] = "admin";
            settings["Waymark:Experience:CacheFor"] = "00:00:00";
            using var server = await ServerHandle.StartAsync(settings, TimeSpan.FromMinutes(5));
            using var api = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(30) };
            api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
            var range = "app=bench&from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z";
            foreach (var (name, _) in s_sql)
            {
                var times = new List<double>();
                for (var i = 0; i < runs; i++)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    using var response = await api.GetAsync($"/v1/experience/{name}?{range}");
                    var body = await response.Content.ReadAsStringAsync();
                    if (!response.IsSuccessStatusCode)
                    {
                        throw new InvalidOperationException($"{name}: {(int)response.StatusCode} {body}");
                    }
                    times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                }
                times.Sort();
                var median = times[times.Count / 2];
                R($"api {name} median_ms={median:0} ratio_to_sql={median / Math.Max(1, baseline[name]):0.0}");
            }
            return 0;
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

    private static double Time(Action a)
    {
        var t0 = Stopwatch.GetTimestamp();
        a();
        return Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    }
}
